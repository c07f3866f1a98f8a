/*
 * DSQL's refusals: statements Aurora DSQL does not support, answered with
 * its exact SQLSTATE and message (spec §4; texts observed on a real cluster
 * where the spec marks them so).  session_refusal() is consulted before a
 * statement runs; it does not decide anything else.
 */
#include <string.h>

#include "session/session_int.h"

typedef struct Refusal {
    PgQuery__Node__NodeCase kind;
    const char *message;
} Refusal;

static const Refusal refusals[] = {
    {PG_QUERY__NODE__NODE_TRUNCATE_STMT, "unsupported statement: Truncate"},
    {PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT, "unsupported statement: CreateExtension"},
    {PG_QUERY__NODE__NODE_CREATE_TRIG_STMT, "CREATE TRIGGER not supported"},
    {PG_QUERY__NODE__NODE_CREATEDB_STMT, "unsupported statement: Createdb"},
    {PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT, "unsupported statement: CreateTableAs"},
    {PG_QUERY__NODE__NODE_CREATE_ENUM_STMT, "CREATE TYPE not supported"},
    {PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT, "unsupported statement: CompositeType"},
    {PG_QUERY__NODE__NODE_CREATE_RANGE_STMT, "unsupported statement: CreateRange"},
    {PG_QUERY__NODE__NODE_ALTER_ENUM_STMT, "ALTER TYPE not supported"},
    {PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT, "unsupported statement: CreateTableSpace"},
    {PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT, "unsupported statement: CreateForeignTable"},
    {PG_QUERY__NODE__NODE_LISTEN_STMT, "unsupported statement: Listen"},
    {PG_QUERY__NODE__NODE_NOTIFY_STMT, "unsupported statement: Notify"},
    {PG_QUERY__NODE__NODE_UNLISTEN_STMT, "unsupported statement: Unlisten"},
    {PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT, "unsupported statement: AlterSystem"},
    {PG_QUERY__NODE__NODE_LOCK_STMT, "unsupported statement: Lock"},
    {PG_QUERY__NODE__NODE_MERGE_STMT, "unsupported statement type: MERGE"},
    {PG_QUERY__NODE__NODE_DO_STMT, "unsupported statement: Do"},
    {PG_QUERY__NODE__NODE_CREATE_PLANG_STMT, "unsupported statement: CreatePLang"},
    {PG_QUERY__NODE__NODE_CREATE_EVENT_TRIG_STMT, "unsupported statement: CreateEventTrig"},
    {PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT, "unsupported statement: CreatePublication"},
    {PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT, "unsupported statement: CreateSubscription"},
    {PG_QUERY__NODE__NODE_CLUSTER_STMT, "unsupported statement: Cluster"},
    {PG_QUERY__NODE__NODE_REINDEX_STMT, "unsupported statement: Reindex"},
    {PG_QUERY__NODE__NODE_CHECK_POINT_STMT, "unsupported statement: CheckPoint"},
    {PG_QUERY__NODE__NODE_LOAD_STMT, "unsupported statement: Load"},
    {PG_QUERY__NODE__NODE_CREATE_CONVERSION_STMT, "unsupported statement: CreateConversion"},
};

static const char *lower_language(const PgQuery__CreateFunctionStmt *cf)
{
    for (size_t i = 0; i < cf->n_options; i++) {
        const PgQuery__DefElem *de = cf->options[i]->def_elem;
        if (strcmp(de->defname, "language") == 0 && de->arg &&
            de->arg->node_case == PG_QUERY__NODE__NODE_STRING)
            return de->arg->string->sval;
    }
    return "sql";
}

int session_refusal(const ParsedStmt *ps, DbError *err)
{
    if (!ps->node) return 0;
    const PgQuery__Node *n = ps->node;
    for (size_t i = 0; i < ARRAY_LEN(refusals); i++)
        if (refusals[i].kind == n->node_case)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "%s", refusals[i].message);
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
        /* ANALYZE is accepted (statistics are DSQL's business); VACUUM is not. */
        if (n->vacuum_stmt->is_vacuumcmd)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported VACUUM statement");
        return 0;
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        if (n->select_stmt->into_clause)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported statement: CreateTableAs");
        return 0;
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT: {
        const char *lang = lower_language(n->create_function_stmt);
        if (strcmp(lang, "sql") != 0)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "CREATE FUNCTION with language %s not supported", lang);
        return 0;
    }
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        if (!(ps->flags & PARSE_FLAG_INDEX_ASYNC))
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported mode. please use CREATE INDEX ASYNC.");
        return 0;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
        if (n->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported object in RENAME statement");
        return 0;
    case PG_QUERY__NODE__NODE_DROP_STMT: {
        PgQuery__ObjectType t = n->drop_stmt->remove_type;
        if (t == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE || t == PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported object in DROP statement");
        return 0;
    }
    case PG_QUERY__NODE__NODE_GRANT_STMT:
        if (n->grant_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_DATABASE)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported object type in GRANT");
        return 0;
    default:
        return 0;
    }
}
