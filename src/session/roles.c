/*
 * Role statements: CREATE ROLE/USER, ALTER ROLE/USER (attributes and
 * RENAME TO), DROP ROLE and DSQL's AWS IAM GRANT/REVOKE; GRANT/REVOKE and
 * ALTER DEFAULT PRIVILEGES are in roles_grant.c.  Each runs inside the statement's transaction
 * (s->txn) and changes only catalog rows (catalog/role.h).
 *
 * DSQL's rules: `admin` is built in and immutable; only admin maps IAM
 * principals to roles (`permission denied to grant IAM trust with role
 * <role>`); a role with an IAM mapping cannot be dropped.  Everything else
 * follows PostgreSQL 15's texts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "session/roles_int.h"

void session_role_notice(Session *s, const char *sqlstate, DbSeverity sev, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    session_send_notice(s, sqlstate, sev, msg);
}

int session_role_current(Session *s, RoleDesc *out, DbError *err)
{
    bool found;
    if (catalog_role_lookup(s->txn, s->user, s->stmt_cx, out, &found, err) != 0) return -1;
    if (!found)
        return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist", s->user);
    return 0;
}

int session_role_resolve(Session *s, const PgQuery__RoleSpec *spec, bool allow_public,
                         RoleDesc *out, DbError *err)
{
    switch (spec->roletype) {
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC:
        if (!allow_public)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"public\" does not exist");
        memset(out, 0, sizeof *out);
        out->oid = CATALOG_PUBLIC_ROLE_OID;
        out->name = "PUBLIC";
        return 0;
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING: {
        bool found;
        if (catalog_role_lookup(s->txn, spec->rolename, s->stmt_cx, out, &found, err) != 0)
            return -1;
        if (!found)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist",
                                spec->rolename);
        return 0;
    }
    default:
        /* CURRENT_USER, CURRENT_ROLE, SESSION_USER: no SET ROLE yet. */
        return session_role_current(s, out, err);
    }
}

bool session_role_can_manage(const RoleDesc *r)
{
    return r->oid == CATALOG_ADMIN_ROLE_OID || (r->attrs & ROLE_ATTR_CREATEROLE);
}

static bool defelem_bool(const PgQuery__DefElem *d)
{
    if (!d->arg) return true;
    if (d->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN) return d->arg->boolean->boolval;
    if (d->arg->node_case == PG_QUERY__NODE__NODE_INTEGER) return d->arg->integer->ival != 0;
    return true;
}

/* Applies CREATE/ALTER ROLE options to r; fills the membership lists. */
static int role_options_apply(Session *s, PgQuery__Node **opts, size_t n, RoleDesc *r,
                              const RoleDesc *me, DbError *err)
{
    static const struct {
        const char *name;
        uint32_t attr;
    } flags[] = {
        {"canlogin", ROLE_ATTR_LOGIN},
        {"inherit", ROLE_ATTR_INHERIT},
        {"createrole", ROLE_ATTR_CREATEROLE},
        {"createdb", ROLE_ATTR_CREATEDB},
        {"isreplication", ROLE_ATTR_REPLICATION},
        {"bypassrls", ROLE_ATTR_BYPASSRLS},
        {"superuser", ROLE_ATTR_SUPERUSER},
    };
    for (size_t i = 0; i < n; i++) {
        const PgQuery__DefElem *d = opts[i]->def_elem;
        if (!d) continue;
        bool known = false;
        for (size_t f = 0; f < ARRAY_LEN(flags); f++) {
            if (strcmp(d->defname, flags[f].name) != 0) continue;
            known = true;
            bool on = defelem_bool(d);
            if (flags[f].attr == ROLE_ATTR_SUPERUSER && on)
                return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                                    "must be superuser to create superusers");
            if ((flags[f].attr & (ROLE_ATTR_REPLICATION | ROLE_ATTR_BYPASSRLS)) && on &&
                me->oid != CATALOG_ADMIN_ROLE_OID)
                return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                                    "must be superuser to change bypassrls attribute");
            r->attrs = on ? r->attrs | flags[f].attr : r->attrs & ~flags[f].attr;
        }
        if (known) continue;
        if (strcmp(d->defname, "connectionlimit") == 0) {
            if (d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_INTEGER)
                r->conn_limit = d->arg->integer->ival;
        } else if (strcmp(d->defname, "password") == 0 || strcmp(d->defname, "validUntil") == 0) {
            /* Tokens, not passwords, authenticate; accepted and ignored. */
        } else if (strcmp(d->defname, "addroleto") == 0 || strcmp(d->defname, "rolemembers") == 0 ||
                   strcmp(d->defname, "adminmembers") == 0) {
            /* Handled after the role exists (role_create_members). */
        } else {
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "role option \"%s\" is not supported", d->defname);
        }
    }
    (void)s;
    return 0;
}

/* CREATE ROLE … IN ROLE a / ROLE b / ADMIN c. */
static int role_create_members(Session *s, PgQuery__Node **opts, size_t n, const RoleDesc *r,
                               const RoleDesc *me, DbError *err)
{
    for (size_t i = 0; i < n; i++) {
        const PgQuery__DefElem *d = opts[i]->def_elem;
        if (!d || !d->arg || d->arg->node_case != PG_QUERY__NODE__NODE_LIST) continue;
        bool in_role = strcmp(d->defname, "addroleto") == 0;
        bool admin = strcmp(d->defname, "adminmembers") == 0;
        if (!in_role && !admin && strcmp(d->defname, "rolemembers") != 0) continue;
        const PgQuery__List *l = d->arg->list;
        for (size_t j = 0; j < l->n_items; j++) {
            RoleDesc other;
            if (session_role_resolve(s, l->items[j]->role_spec, false, &other, err) != 0) return -1;
            RoleMember m = {.role_oid = in_role ? other.oid : r->oid,
                            .member_oid = in_role ? r->oid : other.oid,
                            .grantor_oid = me->oid,
                            .admin_option = admin};
            bool added;
            if (catalog_role_member_add(s->txn, &m, &added, err) != 0) return -1;
        }
    }
    return 0;
}

static int role_name_check(const char *name, DbError *err)
{
    if (strncmp(name, "pg_", 3) == 0) {
        db_error_set(err, SQLSTATE_RESERVED_NAME, "role name \"%s\" is reserved", name);
        db_error_detail(err, "Role names starting with \"pg_\" are reserved.");
        return -1;
    }
    if (strlen(name) > CATALOG_ROLE_NAME_MAX)
        return db_error_set(err, SQLSTATE_NAME_TOO_LONG, "role name \"%s\" is too long", name);
    return 0;
}

static int role_create(Session *s, const PgQuery__CreateRoleStmt *cs, DbError *err)
{
    RoleDesc me;
    if (session_role_current(s, &me, err) != 0) return -1;
    if (!session_role_can_manage(&me))
        return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                            "permission denied to create role");
    if (role_name_check(cs->role, err) != 0) return -1;
    RoleDesc r = {.name = cs->role, .attrs = ROLE_ATTR_INHERIT, .conn_limit = -1};
    if (cs->stmt_type == PG_QUERY__ROLE_STMT_TYPE__ROLESTMT_USER) r.attrs |= ROLE_ATTR_LOGIN;
    if (role_options_apply(s, cs->options, cs->n_options, &r, &me, err) != 0) return -1;
    if (catalog_role_create(s->txn, &r, err) != 0) return -1;
    if (role_create_members(s, cs->options, cs->n_options, &r, &me, err) != 0) return -1;
    session_command_complete(s, "CREATE ROLE");
    return 0;
}

/* DSQL: admin is created by the service and cannot be modified. */
static int role_admin_immutable(const char *name, DbError *err)
{
    if (strcmp(name, CATALOG_ADMIN_ROLE) != 0) return 0;
    return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "role \"%s\" cannot be modified",
                        name);
}

static int role_alter(Session *s, const PgQuery__AlterRoleStmt *as, DbError *err)
{
    RoleDesc me, r;
    if (session_role_current(s, &me, err) != 0) return -1;
    if (session_role_resolve(s, as->role, false, &r, err) != 0) return -1;
    if (role_admin_immutable(r.name, err) != 0) return -1;
    if (!session_role_can_manage(&me))
        return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied");
    if (role_options_apply(s, as->options, as->n_options, &r, &me, err) != 0) return -1;
    if (catalog_role_update(s->txn, &r, err) != 0) return -1;
    session_command_complete(s, "ALTER ROLE");
    return 0;
}

static int role_rename(Session *s, const PgQuery__RenameStmt *rs, DbError *err)
{
    RoleDesc me, r;
    bool found;
    if (session_role_current(s, &me, err) != 0) return -1;
    if (catalog_role_lookup(s->txn, rs->subname, s->stmt_cx, &r, &found, err) != 0) return -1;
    if (!found)
        return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist",
                            rs->subname);
    if (role_admin_immutable(r.name, err) != 0) return -1;
    if (strcmp(r.name, s->user) == 0)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "session user cannot be renamed");
    if (!session_role_can_manage(&me))
        return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                            "permission denied to rename role");
    if (role_name_check(rs->newname, err) != 0) return -1;
    if (catalog_role_rename(s->txn, &r, rs->newname, err) != 0) return -1;
    session_command_complete(s, "ALTER ROLE");
    return 0;
}

static int role_drop(Session *s, const PgQuery__DropRoleStmt *ds, DbError *err)
{
    RoleDesc me;
    if (session_role_current(s, &me, err) != 0) return -1;
    if (!session_role_can_manage(&me))
        return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied to drop role");
    for (size_t i = 0; i < ds->n_roles; i++) {
        const PgQuery__RoleSpec *spec = ds->roles[i]->role_spec;
        if (spec->roletype != PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "current user cannot be dropped");
        RoleDesc r;
        bool found;
        if (catalog_role_lookup(s->txn, spec->rolename, s->stmt_cx, &r, &found, err) != 0)
            return -1;
        if (!found && ds->missing_ok) {
            session_role_notice(s, SQLSTATE_UNDEFINED_OBJECT, DB_SEVERITY_NOTICE,
                                "role \"%s\" does not exist, skipping", spec->rolename);
            continue;
        }
        if (!found)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist",
                                spec->rolename);
        if (strcmp(r.name, s->user) == 0)
            return db_error_set(err, SQLSTATE_OBJECT_IN_USE, "current user cannot be dropped");
        if (role_admin_immutable(r.name, err) != 0) return -1;
        if (catalog_role_drop(s->txn, &r, err) != 0) return -1;
    }
    session_command_complete(s, "DROP ROLE");
    return 0;
}

static int role_iam(Session *s, const ParsedStmt *ps, DbError *err)
{
    bool grant = ps->dsql == PARSE_DSQL_IAM_GRANT;
    if (strcmp(s->user, CATALOG_ADMIN_ROLE) != 0)
        return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                            "permission denied to grant IAM trust with role %s", ps->iam_role);
    if (!catalog_iam_arn_valid(ps->iam_arn))
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "IAM role must look like an IAM ARN");
    RoleDesc r;
    bool found;
    if (catalog_role_lookup(s->txn, ps->iam_role, s->stmt_cx, &r, &found, err) != 0) return -1;
    if (!found)
        return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist",
                            ps->iam_role);
    /* admin logs in with DbConnectAdmin, never through a mapping. */
    if (r.oid == CATALOG_ADMIN_ROLE_OID)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "Role %s not supported",
                            ps->iam_role);
    bool changed;
    int rc = grant ? catalog_iam_mapping_add(s->txn, ps->iam_arn, r.oid, CATALOG_ADMIN_ROLE_OID,
                                             &changed, err)
                   : catalog_iam_mapping_remove(s->txn, ps->iam_arn, r.oid, &changed, err);
    if (rc != 0) return -1;
    session_command_complete(s, grant ? "AWS IAM GRANT" : "AWS IAM REVOKE");
    return 0;
}

int session_role_stmt(Session *s, const ParsedStmt *ps, DbError *err)
{
    if (ps->dsql != PARSE_DSQL_NONE) return role_iam(s, ps, err);
    switch (ps->node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
        return role_create(s, ps->node->create_role_stmt, err);
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
        return role_alter(s, ps->node->alter_role_stmt, err);
    case PG_QUERY__NODE__NODE_RENAME_STMT:
        return role_rename(s, ps->node->rename_stmt, err);
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
        return role_drop(s, ps->node->drop_role_stmt, err);
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
        return session_role_grant_role(s, ps->node->grant_role_stmt, err);
    case PG_QUERY__NODE__NODE_GRANT_STMT:
        return session_role_grant_object(s, ps->node->grant_stmt, err);
    case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
        return session_role_default_privileges(s, ps->node->alter_default_privileges_stmt, err);
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "statement %s is not supported yet", parse_node_kind_name(ps->node));
    }
}
