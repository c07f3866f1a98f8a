/*
 * Roles, role memberships, AWS IAM mappings, table ownership and object
 * privileges, stored as rows in the cluster's keyspace beside the table
 * descriptors (catalog.h) and changed only through transactions.
 *
 * Keyspace (object ids after catalog.h's 1 and 2):
 *   3  roles          (3, name text)                   → RoleDesc bytes
 *   4  memberships    (4, role oid, member oid)        → grantor oid, admin option
 *   5  IAM mappings   (5, arn text, role oid)          → iam oid, grantor oid
 *   6  table privs    (6, table id, grantee oid)       → privilege bits, grant bits
 *                     (sequences too: ids come from the same counter)
 *   7  schema privs   (7, schema text, grantee oid)    → privilege bits, grant bits
 *   8  table owners   (8, table or sequence id)        → owner oid
 *   9  default privs  (9, owner oid, schema text or "", kind text "r"|"S",
 *                      grantee oid)                   → privilege bits, grant bits
 * `admin` is built in (never stored) and owns every schema and every table
 * without an owner row.  Role rows, mappings and privilege rows read to
 * decide something register SCHEMA_READ keys, so a concurrent GRANT/REVOKE
 * or role change fails the later commit with OC001, as DSQL documents.
 */
#pragma once

#include "catalog/catalog.h"

#define CATALOG_ROLES_ID 3u
#define CATALOG_ROLE_MEMBERS_ID 4u
#define CATALOG_IAM_MAPPINGS_ID 5u
#define CATALOG_TABLE_PRIVS_ID 6u
#define CATALOG_SCHEMA_PRIVS_ID 7u
#define CATALOG_TABLE_OWNERS_ID 8u
#define CATALOG_DEFAULT_PRIVS_ID 9u

#define CATALOG_PUBLIC_ROLE_OID 0u /* the PUBLIC pseudo-role as grantee */
#define CATALOG_ADMIN_ROLE_OID 10u /* as PostgreSQL's bootstrap superuser */
#define CATALOG_ADMIN_ROLE "admin"
#define CATALOG_ROLE_NAME_MAX 63 /* NAMEDATALEN - 1 */

/* Role attributes (PostgreSQL's rol* booleans). */
#define ROLE_ATTR_LOGIN 0x01u
#define ROLE_ATTR_INHERIT 0x02u
#define ROLE_ATTR_CREATEROLE 0x04u
#define ROLE_ATTR_CREATEDB 0x08u
#define ROLE_ATTR_REPLICATION 0x10u
#define ROLE_ATTR_BYPASSRLS 0x20u
#define ROLE_ATTR_SUPERUSER 0x40u

typedef struct RoleDesc {
    uint32_t oid;
    const char *name;
    uint32_t attrs;     /* ROLE_ATTR_* */
    int32_t conn_limit; /* -1: none */
} RoleDesc;

/* Privilege bits: tables (PostgreSQL's ACL letters r a w d D x t) and schemas. */
#define PRIV_SELECT 0x001u
#define PRIV_INSERT 0x002u
#define PRIV_UPDATE 0x004u
#define PRIV_DELETE 0x008u
#define PRIV_TRUNCATE 0x010u
#define PRIV_REFERENCES 0x020u
#define PRIV_TRIGGER 0x040u
#define PRIV_TABLE_ALL 0x07fu
#define PRIV_USAGE 0x100u
#define PRIV_CREATE 0x200u
#define PRIV_SCHEMA_ALL 0x300u
#define PRIV_SEQUENCE_ALL (PRIV_USAGE | PRIV_SELECT | PRIV_UPDATE)

typedef struct RoleMember {
    uint32_t role_oid, member_oid, grantor_oid;
    bool admin_option;
} RoleMember;

typedef struct IamMapping {
    uint32_t iam_oid;
    const char *arn;
    uint32_t role_oid;
    const char *role_name;
    uint32_t grantor_oid;
    const char *grantor_name;
} IamMapping;

/* ---- roles (role.c) ---- */

/* Finds a role by name (admin included); *found false when absent. */
int catalog_role_lookup(Txn *t, const char *name, MemContext *cx, RoleDesc *out, bool *found,
                        DbError *err);
/* Creates r (assigns r->oid); 42710 `role "x" already exists`. */
int catalog_role_create(Txn *t, RoleDesc *r, DbError *err);
/* Rewrites an existing role's attributes. */
int catalog_role_update(Txn *t, const RoleDesc *r, DbError *err);
/* Renames; 42710 when new_name is taken. */
int catalog_role_rename(Txn *t, const RoleDesc *r, const char *new_name, DbError *err);
/* Drops a role and its memberships; 2BP01 while an IAM mapping, a table it
 * owns or a privilege granted to it remains. */
int catalog_role_drop(Txn *t, const RoleDesc *r, DbError *err);
/* Every role, admin first, for pg_roles-like views. */
int catalog_role_list(Txn *t, MemContext *cx, RoleDesc **out, size_t *n, DbError *err);
/* The name of oid ("-" when unknown, "PUBLIC" for 0). */
const char *catalog_role_name(Txn *t, uint32_t oid, MemContext *cx);

/* ---- memberships (role.c) ---- */

/* *added false when member already was a member of role. */
int catalog_role_member_add(Txn *t, const RoleMember *m, bool *added, DbError *err);
int catalog_role_member_remove(Txn *t, uint32_t role_oid, uint32_t member_oid, bool *removed,
                               DbError *err);
/* Whether member is role or belongs to it, directly or through other roles. */
int catalog_role_is_member(Txn *t, uint32_t member_oid, uint32_t role_oid, bool *out, DbError *err);
/* Whether member holds role WITH ADMIN OPTION directly. */
int catalog_role_has_admin_option(Txn *t, uint32_t member_oid, uint32_t role_oid, bool *out,
                                  DbError *err);
int catalog_role_member_list(Txn *t, MemContext *cx, RoleMember **out, size_t *n, DbError *err);

/* ---- AWS IAM mappings (role_iam.c) ---- */

/* *added false when the mapping existed. */
int catalog_iam_mapping_add(Txn *t, const char *arn, uint32_t role_oid, uint32_t grantor_oid,
                            bool *added, DbError *err);
int catalog_iam_mapping_remove(Txn *t, const char *arn, uint32_t role_oid, bool *removed,
                               DbError *err);
int catalog_iam_mapping_exists(Txn *t, const char *arn, uint32_t role_oid, bool *found,
                               DbError *err);
/* Every mapping with role and grantor names, for sys.iam_pg_role_mappings. */
int catalog_iam_mapping_list(Txn *t, MemContext *cx, IamMapping **out, size_t *n, DbError *err);
/* Whether arn looks like an IAM role or user ARN (arn:aws:iam::<12 digits>:role|user/<name>). */
bool catalog_iam_arn_valid(const char *arn);

/* ---- ownership and privileges (role_priv.c) ---- */

/* Records the creator of a table (call after catalog_table_create). */
int catalog_table_owner_set(Txn *t, uint32_t table_id, uint32_t owner_oid, DbError *err);
/* The same by role name, for CREATE TABLE: 42704 when the role is absent. */
int catalog_table_owner_record(Txn *t, uint32_t table_id, const char *role, DbError *err);
/* 0 when role owns table (directly or through membership in the owner);
 * otherwise 42501 `must be owner of table <name>` (DROP/ALTER TABLE). */
int catalog_check_table_owner(Txn *t, const char *role, const TableDesc *table, DbError *err);
/* A new table ('r') or sequence ('S') of role in schema: records the owner
 * and applies the owner's ALTER DEFAULT PRIVILEGES (call after the
 * descriptor is created). */
int catalog_object_created(Txn *t, uint32_t object_id, const char *schema, char kind,
                           const char *role, DbError *err);
/* ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN SCHEMA schema] (schema "" for
 * all) GRANT/REVOKE bits ON TABLES ('r') | SEQUENCES ('S') TO/FROM grantee. */
int catalog_default_privilege_change(Txn *t, uint32_t owner_oid, const char *schema, char kind,
                                     uint32_t grantee_oid, uint32_t bits, bool grant,
                                     bool grant_option, DbError *err);
/* The owner oid (admin when no row was recorded). */
int catalog_table_owner_get(Txn *t, uint32_t table_id, uint32_t *owner_oid, DbError *err);
/* Adds (grant) or removes (!grant) privilege bits for grantee on a table or
 * schema; with grant_option the bits also become grantable (grant) or only
 * the grant option is removed (revoke). */
int catalog_table_privilege_change(Txn *t, uint32_t table_id, uint32_t grantee_oid, uint32_t bits,
                                   bool grant, bool grant_option, DbError *err);
int catalog_schema_privilege_change(Txn *t, const char *schema, uint32_t grantee_oid, uint32_t bits,
                                    bool grant, bool grant_option, DbError *err);
/* The privilege and grant-option bits role holds on a table, counting
 * ownership, PUBLIC and inherited memberships. */
int catalog_table_privileges(Txn *t, uint32_t role_oid, const TableDesc *table, uint32_t *bits,
                             uint32_t *grantable, DbError *err);
int catalog_schema_privileges(Txn *t, uint32_t role_oid, const char *schema, uint32_t *bits,
                              uint32_t *grantable, DbError *err);
/* Whether role has any privilege row on a table or schema (DROP ROLE). */
int catalog_role_has_privileges(Txn *t, uint32_t role_oid, MemContext *cx, const char **what,
                                DbError *err);

/* The same for a sequence (or any object with an id in the relation id
 * space): owner rows and privilege rows keyed by its id. */
int catalog_object_privileges(Txn *t, uint32_t role_oid, uint32_t object_id, uint32_t *bits,
                              uint32_t *grantable, DbError *err);
/* 0 when role may use sequence seq_name (id seq_id) for priv: 'n' nextval
 * (USAGE or UPDATE), 'c' currval/lastval (SELECT or USAGE), 's' setval
 * (UPDATE); otherwise 42501 `permission denied for sequence <name>`. */
int catalog_check_sequence_privilege(Txn *t, const char *role, uint32_t seq_id,
                                     const char *seq_name, char priv, DbError *err);

/* 0 when role may use table for priv ('r' SELECT, 'a' INSERT, 'w' UPDATE,
 * 'd' DELETE, as PostgreSQL's ACL letters); otherwise 42501 `permission
 * denied for table <name>`. */
int catalog_check_table_privilege(Txn *t, const char *role, const TableDesc *table, char priv,
                                  DbError *err);
/* 0 when role may use schema for priv ('U' USAGE, 'C' CREATE); otherwise
 * 42501 `permission denied for schema <name>`. */
int catalog_check_schema_privilege(Txn *t, const char *role, const char *schema, char priv,
                                   DbError *err);
