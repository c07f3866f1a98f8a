/*
 * Expressions: libpg_query nodes → typed Expr trees.  One case per node
 * kind in analyze_expr(); function resolution is in func.c.  Nodes this
 * room does not know yet are refused with 0A000 and their position.
 */
#include "analyze/analyze.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int analyze_error_at(AnalyzeContext *ac, DbError *err, int location, const char *sqlstate,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    db_error_setv(err, sqlstate, fmt, ap);
    va_end(ap);
    if (location >= 0 && ac->sql) {
        int chars = 0;
        for (int i = 0; i < location && ac->sql[i]; i++)
            if (((unsigned char)ac->sql[i] & 0xC0) != 0x80) chars++;
        err->position = chars + 1;
    }
    return -1;
}

static Expr *expr_new(AnalyzeContext *ac, ExprKind kind, uint32_t type, int location)
{
    Expr *e = mem_alloc0(ac->cx, sizeof *e);
    e->kind = kind;
    e->type = type;
    e->typmod = -1;
    e->location = location;
    return e;
}

static int analyze_const(AnalyzeContext *ac, const PgQuery__AConst *c, Expr **out, DbError *err)
{
    Expr *e = expr_new(ac, EXPR_CONST, TYPE_UNKNOWN, c->location);
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        e->type = TYPE_INT4;
        e->value = datum_int(TYPE_INT4, c->ival ? c->ival->ival : 0);
        break;
    case PG_QUERY__A__CONST__VAL_FVAL: {
        /* PostgreSQL makes an integer-looking literal too big for int4 an
         * int8 if it fits, else numeric. */
        const char *s = c->fval->fval;
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (*end == '\0' && errno == 0) {
            e->type = TYPE_INT8;
            e->value = datum_int(TYPE_INT8, v);
        } else {
            e->type = TYPE_NUMERIC;
            e->value = datum_bytes(TYPE_NUMERIC, s, strlen(s));
        }
        break;
    }
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        e->type = TYPE_BOOL;
        e->value.type = TYPE_BOOL;
        e->value.v.b = c->boolval && c->boolval->boolval;
        break;
    case PG_QUERY__A__CONST__VAL_SVAL: {
        const char *s = c->sval ? c->sval->sval : "";
        e->value = datum_bytes(TYPE_UNKNOWN, s, strlen(s));
        break;
    }
    case PG_QUERY__A__CONST__VAL_BSVAL: {
        const char *s = c->bsval->bsval;
        e->value = datum_bytes(TYPE_UNKNOWN, s, strlen(s));
        break;
    }
    default:
        if (c->isnull) {
            e->value = datum_null(TYPE_UNKNOWN);
            break;
        }
        return analyze_error_at(ac, err, c->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "constant of this kind is not supported");
    }
    if (c->isnull) e->value = datum_null(e->type);
    *out = e;
    return 0;
}

static int analyze_sql_value_function(AnalyzeContext *ac, const PgQuery__SQLValueFunction *f,
                                      Expr **out, DbError *err)
{
    Expr *e = expr_new(ac, EXPR_FUNC, TYPE_NAME, f->location);
    switch (f->op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
        e->func = FUNC_CURRENT_USER;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
        e->func = FUNC_SESSION_USER;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
        e->func = FUNC_CURRENT_SCHEMA;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
        e->func = FUNC_CURRENT_DATABASE;
        break;
    default:
        return analyze_error_at(ac, err, f->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "this SQL value function is not supported yet");
    }
    *out = e;
    return 0;
}

typedef struct FuncDef {
    const char *name;
    size_t n_args;
    FuncId id;
    uint32_t result_type;
} FuncDef;

static const FuncDef func_defs[] = {
    {"version", 0, FUNC_VERSION, TYPE_TEXT},
    {"current_database", 0, FUNC_CURRENT_DATABASE, TYPE_NAME},
    {"current_user", 0, FUNC_CURRENT_USER, TYPE_NAME},
    {"session_user", 0, FUNC_SESSION_USER, TYPE_NAME},
    {"current_schema", 0, FUNC_CURRENT_SCHEMA, TYPE_NAME},
    {"pg_backend_pid", 0, FUNC_PG_BACKEND_PID, TYPE_INT4},
};

static int analyze_func_call(AnalyzeContext *ac, const PgQuery__FuncCall *fc, Expr **out,
                             DbError *err)
{
    const char *schema = NULL, *name = NULL;
    if (fc->n_funcname == 1) {
        name = fc->funcname[0]->string->sval;
    } else if (fc->n_funcname == 2) {
        schema = fc->funcname[0]->string->sval;
        name = fc->funcname[1]->string->sval;
    }
    if (name && (!schema || strcmp(schema, "pg_catalog") == 0)) {
        for (size_t i = 0; i < ARRAY_LEN(func_defs); i++) {
            if (strcmp(func_defs[i].name, name) != 0 || func_defs[i].n_args != fc->n_args) continue;
            Expr *e = expr_new(ac, EXPR_FUNC, func_defs[i].result_type, fc->location);
            e->func = func_defs[i].id;
            *out = e;
            return 0;
        }
    }
    StrBuf sig;
    strbuf_init(&sig);
    for (size_t i = 0; i < fc->n_funcname; i++)
        strbuf_appendf(&sig, "%s%s", i ? "." : "", fc->funcname[i]->string->sval);
    strbuf_append_str(&sig, "(");
    for (size_t i = 0; i < fc->n_args; i++)
        strbuf_append_str(&sig, i ? ", unknown" : "unknown");
    strbuf_append_str(&sig, ")");
    analyze_error_at(ac, err, fc->location, SQLSTATE_UNDEFINED_FUNCTION,
                     "function %s does not exist", sig.data);
    db_error_hint(err, "No function matches the given name and argument types. You might need "
                       "to add explicit type casts.");
    strbuf_fini(&sig);
    return -1;
}

int analyze_expr(AnalyzeContext *ac, const PgQuery__Node *node, Expr **out, DbError *err)
{
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        return analyze_const(ac, node->a_const, out, err);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        return analyze_sql_value_function(ac, node->sqlvalue_function, out, err);
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return analyze_func_call(ac, node->func_call, out, err);
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "expressions of kind %s are not supported yet",
                            parse_node_kind_name(node));
    }
}
