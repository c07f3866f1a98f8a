/*
 * Expressions back to SQL text, for what the catalog stores as text
 * (column DEFAULT and CHECK expressions, view definitions later): the
 * expression is wrapped in "SELECT <expr>", packed to protobuf, deparsed by
 * libpg_query, and the "SELECT " prefix removed.  The text reads back
 * through parse_expr() to the same tree.
 */
#include <string.h>

#include "parse/parse.h"

int parse_deparse_expr(MemContext *cx, PgQuery__Node *expr, char **out, DbError *err)
{
    PgQuery__ResTarget rt = PG_QUERY__RES_TARGET__INIT;
    rt.val = expr;
    rt.location = -1;
    PgQuery__Node rt_node = PG_QUERY__NODE__INIT;
    rt_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    rt_node.res_target = &rt;
    PgQuery__Node *targets[1] = {&rt_node};
    PgQuery__SelectStmt sel = PG_QUERY__SELECT_STMT__INIT;
    sel.n_target_list = 1;
    sel.target_list = targets;
    sel.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    sel.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    PgQuery__Node stmt = PG_QUERY__NODE__INIT;
    stmt.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
    stmt.select_stmt = &sel;
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    raw.stmt = &stmt;
    PgQuery__RawStmt *raws[1] = {&raw};
    PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
    pr.version = 150001;
    pr.n_stmts = 1;
    pr.stmts = raws;
    size_t len = pg_query__parse_result__get_packed_size(&pr);
    uint8_t *buf = mem_alloc(cx, len + 1);
    pg_query__parse_result__pack(&pr, buf);
    PgQueryProtobuf pb = {.len = len, .data = (char *)buf};
    PgQueryDeparseResult dr = pg_query_deparse_protobuf(pb);
    if (dr.error) {
        db_error_set(err, SQLSTATE_INTERNAL_ERROR, "could not deparse an expression: %s",
                     dr.error->message);
        pg_query_free_deparse_result(dr);
        return -1;
    }
    const char *q = dr.query;
    if (strncmp(q, "SELECT ", 7) == 0) q += 7;
    *out = mem_strdup(cx, q);
    pg_query_free_deparse_result(dr);
    return 0;
}

int parse_expr(MemContext *cx, const char *text, PgQuery__Node **out, DbError *err)
{
    char *sql = mem_sprintf(cx, "SELECT %s", text);
    ParseResult pr;
    if (parse_sql(cx, sql, &pr, err) != 0) return -1;
    if (pr.n_stmts != 1 || !pr.stmts[0].node ||
        pr.stmts[0].node->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
        pr.stmts[0].node->select_stmt->n_target_list != 1)
        return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "stored expression is not an expression");
    *out = pr.stmts[0].node->select_stmt->target_list[0]->res_target->val;
    return 0;
}
