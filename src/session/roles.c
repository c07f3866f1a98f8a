/*
 * Role statements: CREATE/ALTER/DROP ROLE, GRANT/REVOKE and AWS IAM
 * GRANT/REVOKE.  Roles and IAM mappings arrive with the access-control work;
 * until then these statements are refused cleanly.
 */
#include "session/session_int.h"

int session_role_stmt(Session *s, const ParsedStmt *ps, DbError *err)
{
    (void)s;
    if (ps->dsql != PARSE_DSQL_NONE)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "AWS IAM GRANT and REVOKE are not supported yet");
    return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "statement %s is not supported yet",
                        parse_node_kind_name(ps->node));
}
