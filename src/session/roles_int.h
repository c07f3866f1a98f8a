/*
 * Private to roles.c and roles_grant.c: the pieces the role statements
 * share (who is running them, role-name resolution, notices).
 */
#pragma once

#include "catalog/role.h"
#include "session/session_int.h"

/* The role running the statement and its descriptor. */
int session_role_current(Session *s, RoleDesc *out, DbError *err);
/* Resolves a RoleSpec (CURRENT_USER, SESSION_USER, a name) to a role;
 * PUBLIC gives oid 0 when allow_public, else an error; 42704 when absent. */
int session_role_resolve(Session *s, const PgQuery__RoleSpec *spec, bool allow_public,
                         RoleDesc *out, DbError *err);
/* Whether r may manage roles: admin, or a role with CREATEROLE. */
bool session_role_can_manage(const RoleDesc *r);
/* Formats a notice or warning for the client. */
void session_role_notice(Session *s, const char *sqlstate, DbSeverity sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* roles_grant.c: GRANT/REVOKE role and object privileges. */
int session_role_grant_role(Session *s, const PgQuery__GrantRoleStmt *g, DbError *err);
int session_role_grant_object(Session *s, const PgQuery__GrantStmt *g, DbError *err);
int session_role_default_privileges(Session *s, const PgQuery__AlterDefaultPrivilegesStmt *a,
                                    DbError *err);
