/*
 * GRANT/REVOKE: role membership (GRANT r TO u [WITH ADMIN OPTION]) and
 * object privileges on tables (ON [TABLE] t, ON ALL TABLES IN SCHEMA s),
 * sequences (USAGE, SELECT, UPDATE) and schemas (USAGE, CREATE), with
 * PostgreSQL 15's texts and warnings; ALTER DEFAULT PRIVILEGES for tables
 * and sequences (applied by catalog_object_created).
 *
 * Who may grant: role membership — admin, a CREATEROLE role, or a holder of
 * the role's admin option; object privileges — the owner or a holder of the
 * grant option (admin included, as DSQL: it gets nothing on objects other
 * roles create).  GRANT … ON DATABASE is refused as DSQL refuses it.
 */
#include <string.h>

#include "catalog/sequence.h"
#include "session/roles_int.h"

/* What a GRANT names; tables and sequences share the id space and rows. */
typedef enum GrantKind { GRANT_TABLE, GRANT_SEQUENCE, GRANT_SCHEMA } GrantKind;

static const char *const grant_kind_names[] = {"table", "sequence", "schema"};
static const uint32_t grant_kind_all[] = {PRIV_TABLE_ALL, PRIV_SEQUENCE_ALL, PRIV_SCHEMA_ALL};

int session_role_grant_role(Session *s, const PgQuery__GrantRoleStmt *g, DbError *err)
{
    RoleDesc me;
    if (session_role_current(s, &me, err) != 0) return -1;
    for (size_t i = 0; i < g->n_granted_roles; i++) {
        const PgQuery__AccessPriv *ap = g->granted_roles[i]->access_priv;
        RoleDesc role;
        bool found;
        if (catalog_role_lookup(s->txn, ap->priv_name, s->stmt_cx, &role, &found, err) != 0)
            return -1;
        if (!found)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist",
                                ap->priv_name);
        bool may = role.oid != CATALOG_ADMIN_ROLE_OID && session_role_can_manage(&me);
        if (!may && role.oid != CATALOG_ADMIN_ROLE_OID &&
            catalog_role_has_admin_option(s->txn, me.oid, role.oid, &may, err) != 0)
            return -1;
        if (!may)
            return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                                "must have admin option on role \"%s\"", role.name);
        for (size_t j = 0; j < g->n_grantee_roles; j++) {
            RoleDesc member;
            if (session_role_resolve(s, g->grantee_roles[j]->role_spec, false, &member, err))
                return -1;
            if (g->is_grant) {
                bool loop;
                if (catalog_role_is_member(s->txn, role.oid, member.oid, &loop, err) != 0)
                    return -1;
                if (loop)
                    return db_error_set(err, SQLSTATE_INVALID_GRANT_OPERATION,
                                        "role \"%s\" is a member of role \"%s\"", role.name,
                                        member.name);
                RoleMember m = {.role_oid = role.oid,
                                .member_oid = member.oid,
                                .grantor_oid = me.oid,
                                .admin_option = g->admin_opt};
                bool added;
                if (catalog_role_member_add(s->txn, &m, &added, err) != 0) return -1;
                if (!added && !g->admin_opt)
                    session_role_notice(s, "00000", DB_SEVERITY_NOTICE,
                                        "role \"%s\" is already a member of role \"%s\"",
                                        member.name, role.name);
                continue;
            }
            bool removed;
            if (catalog_role_member_remove(s->txn, role.oid, member.oid, &removed, err) != 0)
                return -1;
            if (!removed) {
                session_role_notice(s, "01000", DB_SEVERITY_WARNING,
                                    "role \"%s\" is not a member of role \"%s\"", member.name,
                                    role.name);
            } else if (g->admin_opt) {
                /* REVOKE ADMIN OPTION FOR keeps the membership itself. */
                RoleMember m = {.role_oid = role.oid, .member_oid = member.oid};
                bool added;
                m.grantor_oid = me.oid;
                if (catalog_role_member_add(s->txn, &m, &added, err) != 0) return -1;
            }
        }
    }
    session_command_complete(s, g->is_grant ? "GRANT ROLE" : "REVOKE ROLE");
    return 0;
}

/* Privilege names → bits for one object type; 0 with err set on a bad name. */
static uint32_t grant_privilege_bits(const PgQuery__GrantStmt *g, GrantKind kind, DbError *err)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } names[] = {
        {"select", PRIV_SELECT},   {"insert", PRIV_INSERT},     {"update", PRIV_UPDATE},
        {"delete", PRIV_DELETE},   {"truncate", PRIV_TRUNCATE}, {"references", PRIV_REFERENCES},
        {"trigger", PRIV_TRIGGER}, {"usage", PRIV_USAGE},       {"create", PRIV_CREATE},
    };
    uint32_t allowed = grant_kind_all[kind];
    if (g->n_privileges == 0) return allowed; /* ALL [PRIVILEGES] */
    uint32_t bits = 0;
    for (size_t i = 0; i < g->n_privileges; i++) {
        const PgQuery__AccessPriv *ap = g->privileges[i]->access_priv;
        if (ap->n_cols > 0) {
            db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                         "column privileges are not supported yet");
            return 0;
        }
        if (!ap->priv_name) return allowed;
        uint32_t bit = 0;
        for (size_t n = 0; n < ARRAY_LEN(names) && !bit; n++)
            if (strcmp(ap->priv_name, names[n].name) == 0) bit = names[n].bit;
        if (!bit) {
            db_error_set(err, SQLSTATE_SYNTAX_ERROR, "unrecognized privilege type \"%s\"",
                         ap->priv_name);
            return 0;
        }
        if (!(bit & allowed)) {
            char upper[32];
            size_t k = 0;
            for (; ap->priv_name[k] && k < sizeof upper - 1; k++)
                upper[k] = (char)(ap->priv_name[k] -
                                  ('a' <= ap->priv_name[k] && ap->priv_name[k] <= 'z' ? 32 : 0));
            upper[k] = '\0';
            db_error_set(err, SQLSTATE_INVALID_GRANT_OPERATION, "invalid privilege type %s for %s",
                         upper, grant_kind_names[kind]);
            return 0;
        }
        bits |= bit;
    }
    return bits;
}

/* The grantees as oids (PUBLIC = 0). */
static int grant_grantees(Session *s, const PgQuery__GrantStmt *g, uint32_t **out, DbError *err)
{
    *out = mem_alloc(s->stmt_cx, sizeof(uint32_t) * (g->n_grantees + 1));
    for (size_t i = 0; i < g->n_grantees; i++) {
        RoleDesc r;
        if (session_role_resolve(s, g->grantees[i]->role_spec, true, &r, err) != 0) return -1;
        (*out)[i] = r.oid;
    }
    return 0;
}

/* Grants or revokes what the current role may on one object (id for tables
 * and sequences, name for schemas), with PostgreSQL's warnings when it may
 * only do part of it. */
static int grant_one(Session *s, const PgQuery__GrantStmt *g, const RoleDesc *me, GrantKind kind,
                     uint32_t id, const char *name, uint32_t bits, const uint32_t *grantees,
                     DbError *err)
{
    /* DSQL: only admin creates in public, and admin cannot grant CREATE on
     * it (the text is PostgreSQL's for a grant the grantor may not make). */
    if (kind == GRANT_SCHEMA && g->is_grant && (bits & PRIV_CREATE) && strcmp(name, "public") == 0)
        return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied for schema %s",
                            name);
    uint32_t have, grantable;
    int rc = kind == GRANT_SCHEMA
                 ? catalog_schema_privileges(s->txn, me->oid, name, &have, &grantable, err)
                 : catalog_object_privileges(s->txn, me->oid, id, &have, &grantable, err);
    if (rc != 0) return -1;
    have &= grant_kind_all[kind];
    grantable &= grant_kind_all[kind];
    if ((grantable & bits) == 0) {
        if (have == 0)
            return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied for %s %s",
                                grant_kind_names[kind], name);
        if (g->is_grant)
            session_role_notice(s, SQLSTATE_WARNING_PRIVILEGE_NOT_GRANTED, DB_SEVERITY_WARNING,
                                "no privileges were granted for \"%s\"", name);
        else
            session_role_notice(s, SQLSTATE_WARNING_PRIVILEGE_NOT_REVOKED, DB_SEVERITY_WARNING,
                                "no privileges could be revoked for \"%s\"", name);
        return 0;
    }
    if ((grantable & bits) != bits) {
        if (g->is_grant)
            session_role_notice(s, SQLSTATE_WARNING_PRIVILEGE_NOT_GRANTED, DB_SEVERITY_WARNING,
                                "not all privileges were granted for \"%s\"", name);
        else
            session_role_notice(s, SQLSTATE_WARNING_PRIVILEGE_NOT_REVOKED, DB_SEVERITY_WARNING,
                                "not all privileges could be revoked for \"%s\"", name);
        bits &= grantable;
    }
    for (size_t i = 0; i < g->n_grantees; i++) {
        rc = kind == GRANT_SCHEMA
                 ? catalog_schema_privilege_change(s->txn, name, grantees[i], bits, g->is_grant,
                                                   g->grant_option, err)
                 : catalog_table_privilege_change(s->txn, id, grantees[i], bits, g->is_grant,
                                                  g->grant_option, err);
        if (rc != 0) return -1;
    }
    return 0;
}

/* GRANT … ON SEQUENCE s. */
static int grant_sequences(Session *s, const PgQuery__GrantStmt *g, const RoleDesc *me,
                           uint32_t bits, const uint32_t *grantees, DbError *err)
{
    for (size_t o = 0; o < g->n_objects; o++) {
        const PgQuery__RangeVar *rv = g->objects[o]->range_var;
        const char *schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : "public";
        SeqDesc *d;
        bool found;
        if (catalog_sequence_lookup(s->txn, schema, rv->relname, s->stmt_cx, &d, &found, err))
            return -1;
        if (!found)
            return db_error_set(err, SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                                rv->relname);
        if (grant_one(s, g, me, GRANT_SEQUENCE, d->id, d->name, bits, grantees, err) != 0)
            return -1;
    }
    return 0;
}

static int grant_tables(Session *s, const PgQuery__GrantStmt *g, const RoleDesc *me, uint32_t bits,
                        const uint32_t *grantees, DbError *err)
{
    if (g->targtype == PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_ALL_IN_SCHEMA) {
        TableDesc **all;
        size_t n;
        if (catalog_table_list(s->txn, s->stmt_cx, &all, &n, err) != 0) return -1;
        for (size_t o = 0; o < g->n_objects; o++) {
            const char *schema = g->objects[o]->string->sval;
            for (size_t i = 0; i < n; i++)
                if (strcmp(all[i]->schema, schema) == 0 &&
                    grant_one(s, g, me, GRANT_TABLE, all[i]->id, all[i]->name, bits, grantees,
                              err) != 0)
                    return -1;
        }
        return 0;
    }
    for (size_t o = 0; o < g->n_objects; o++) {
        const PgQuery__RangeVar *rv = g->objects[o]->range_var;
        const char *schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : "public";
        TableDesc *d;
        bool found;
        if (catalog_table_lookup(s->txn, schema, rv->relname, s->stmt_cx, &d, &found, err) != 0)
            return -1;
        if (!found)
            return db_error_set(err, SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                                rv->relname);
        if (grant_one(s, g, me, GRANT_TABLE, d->id, d->name, bits, grantees, err) != 0) return -1;
    }
    return 0;
}

int session_role_grant_object(Session *s, const PgQuery__GrantStmt *g, DbError *err)
{
    if (g->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_DATABASE)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported object type in GRANT");
    GrantKind kind = g->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA     ? GRANT_SCHEMA
                     : g->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE ? GRANT_SEQUENCE
                                                                            : GRANT_TABLE;
    if (g->targtype == PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_DEFAULTS ||
        (kind == GRANT_TABLE && g->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) ||
        (kind == GRANT_SEQUENCE && g->targtype != PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_OBJECT))
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "GRANT and REVOKE on this object type are not supported yet");
    RoleDesc me;
    if (session_role_current(s, &me, err) != 0) return -1;
    db_error_clear(err);
    uint32_t bits = grant_privilege_bits(g, kind, err);
    if (!bits) return -1;
    uint32_t *grantees;
    if (grant_grantees(s, g, &grantees, err) != 0) return -1;
    int rc = 0;
    if (kind == GRANT_SCHEMA) {
        for (size_t o = 0; rc == 0 && o < g->n_objects; o++)
            rc = grant_one(s, g, &me, GRANT_SCHEMA, 0, g->objects[o]->string->sval, bits, grantees,
                           err);
    } else if (kind == GRANT_SEQUENCE) {
        rc = grant_sequences(s, g, &me, bits, grantees, err);
    } else {
        rc = grant_tables(s, g, &me, bits, grantees, err);
    }
    if (rc != 0) return -1;
    session_command_complete(s, g->is_grant ? "GRANT" : "REVOKE");
    return 0;
}

/* ALTER DEFAULT PRIVILEGES [FOR ROLE r, …] [IN SCHEMA s, …] GRANT/REVOKE …
 * ON TABLES | SEQUENCES: only for roles the current role belongs to. */
int session_role_default_privileges(Session *s, const PgQuery__AlterDefaultPrivilegesStmt *a,
                                    DbError *err)
{
    const PgQuery__GrantStmt *g = a->action;
    GrantKind kind = g->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE      ? GRANT_TABLE
                     : g->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE ? GRANT_SEQUENCE
                                                                            : GRANT_SCHEMA;
    if (kind == GRANT_SCHEMA)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "ALTER DEFAULT PRIVILEGES is supported for tables and sequences only");
    RoleDesc me;
    if (session_role_current(s, &me, err) != 0) return -1;
    const PgQuery__List *roles = NULL, *schemas = NULL;
    for (size_t i = 0; i < a->n_options; i++) {
        const PgQuery__DefElem *d = a->options[i]->def_elem;
        if (!d || !d->arg || d->arg->node_case != PG_QUERY__NODE__NODE_LIST) continue;
        if (strcmp(d->defname, "roles") == 0) roles = d->arg->list;
        if (strcmp(d->defname, "schemas") == 0) schemas = d->arg->list;
    }
    db_error_clear(err);
    uint32_t bits = grant_privilege_bits(g, kind, err);
    if (!bits) return -1;
    uint32_t *grantees;
    if (grant_grantees(s, g, &grantees, err) != 0) return -1;
    size_t n_roles = roles ? roles->n_items : 1;
    for (size_t r = 0; r < n_roles; r++) {
        RoleDesc owner = me;
        if (roles && session_role_resolve(s, roles->items[r]->role_spec, false, &owner, err))
            return -1;
        bool member;
        if (catalog_role_is_member(s->txn, me.oid, owner.oid, &member, err) != 0) return -1;
        if (!member)
            return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                                "must be member of role \"%s\"", owner.name);
        size_t n_schemas = schemas ? schemas->n_items : 1;
        for (size_t sc = 0; sc < n_schemas; sc++) {
            const char *schema = schemas ? schemas->items[sc]->string->sval : "";
            for (size_t i = 0; i < g->n_grantees; i++)
                if (catalog_default_privilege_change(s->txn, owner.oid, schema,
                                                     kind == GRANT_TABLE ? 'r' : 'S', grantees[i],
                                                     bits, g->is_grant, g->grant_option, err))
                    return -1;
        }
    }
    session_command_complete(s, "ALTER DEFAULT PRIVILEGES");
    return 0;
}
