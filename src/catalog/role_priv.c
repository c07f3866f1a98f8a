/*
 * Table ownership and object privileges (keys in role.h), and the checks
 * analyze calls before a statement uses a table or schema.
 *
 * Privilege value layout (big-endian): u32 privilege bits, u32 grant-option
 * bits.  Owner value: u32 owner oid.  A role holds what it owns, what was
 * granted to it, to PUBLIC, or to any role it belongs to (roles inherit, as
 * PostgreSQL's default).  `admin` owns every schema and the tables it
 * created; as in DSQL it gets nothing on objects other roles create.  The
 * `public` schema is usable by every role (PostgreSQL 15's default grant of
 * USAGE to PUBLIC) but only admin may create in it.
 */
#include <string.h>

#include "catalog/role_int.h"

static void priv_key(StrBuf *key, uint32_t obj, uint32_t table_id, const char *schema,
                     uint32_t grantee)
{
    strbuf_reset(key);
    kv_key_begin(key, obj);
    if (schema)
        catalog_key_text(key, schema);
    else
        catalog_key_u32(key, table_id);
    catalog_key_u32(key, grantee);
}

static void owner_key(StrBuf *key, uint32_t table_id)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_TABLE_OWNERS_ID);
    catalog_key_u32(key, table_id);
}

int catalog_table_owner_set(Txn *t, uint32_t table_id, uint32_t owner_oid, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    owner_key(&key, table_id);
    strbuf_append_be32(&val, owner_oid);
    int rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_table_owner_get(Txn *t, uint32_t table_id, uint32_t *owner_oid, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    owner_key(&key, table_id);
    bool found;
    int rc = txn_get(t, key.data, key.len, &val, &found, err);
    *owner_oid =
        found && val.len == 4 ? catalog_be32_at((uint8_t *)val.data, 4, 0) : CATALOG_ADMIN_ROLE_OID;
    if (rc == 0) rc = txn_check_key(t, key.data, key.len, JOURNAL_KIND_SCHEMA_READ, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

static int priv_change(Txn *t, StrBuf *key, uint32_t bits, bool grant, bool grant_option,
                       DbError *err)
{
    StrBuf val;
    strbuf_init(&val);
    bool found;
    int rc = txn_get(t, key->data, key->len, &val, &found, err);
    uint32_t have = found ? catalog_be32_at((uint8_t *)val.data, val.len, 0) : 0;
    uint32_t grantable = found ? catalog_be32_at((uint8_t *)val.data, val.len, 4) : 0;
    if (grant) {
        have |= bits;
        if (grant_option) grantable |= bits;
    } else {
        grantable &= ~bits;
        if (!grant_option) have &= ~bits;
    }
    if (rc == 0 && have == 0 && found)
        rc = txn_delete(t, key->data, key->len, JOURNAL_KIND_KEY_WRITE, false, err);
    else if (rc == 0 && have != 0) {
        strbuf_reset(&val);
        strbuf_append_be32(&val, have);
        strbuf_append_be32(&val, grantable);
        rc = txn_put(t, key->data, key->len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&val);
    return rc;
}

int catalog_table_privilege_change(Txn *t, uint32_t table_id, uint32_t grantee_oid, uint32_t bits,
                                   bool grant, bool grant_option, DbError *err)
{
    StrBuf key;
    strbuf_init(&key);
    priv_key(&key, CATALOG_TABLE_PRIVS_ID, table_id, NULL, grantee_oid);
    int rc = priv_change(t, &key, bits, grant, grant_option, err);
    strbuf_fini(&key);
    return rc;
}

int catalog_schema_privilege_change(Txn *t, const char *schema, uint32_t grantee_oid, uint32_t bits,
                                    bool grant, bool grant_option, DbError *err)
{
    StrBuf key;
    strbuf_init(&key);
    priv_key(&key, CATALOG_SCHEMA_PRIVS_ID, 0, schema, grantee_oid);
    int rc = priv_change(t, &key, bits, grant, grant_option, err);
    strbuf_fini(&key);
    return rc;
}

/* The roles whose privileges role_oid uses: itself, PUBLIC and every role it
 * belongs to, directly or not. */
static int priv_closure(Txn *t, uint32_t role_oid, MemContext *cx, uint32_t **out, size_t *n,
                        DbError *err)
{
    RoleMember *ms;
    size_t n_ms;
    if (catalog_role_member_list(t, cx, &ms, &n_ms, err) != 0) return -1;
    uint32_t *set = mem_alloc(cx, sizeof(uint32_t) * (n_ms + 2));
    size_t k = 0;
    set[k++] = CATALOG_PUBLIC_ROLE_OID;
    set[k++] = role_oid;
    for (size_t next = 1; next < k; next++)
        for (size_t i = 0; i < n_ms; i++) {
            if (ms[i].member_oid != set[next]) continue;
            bool dup = false;
            for (size_t j = 0; j < k; j++)
                dup = dup || set[j] == ms[i].role_oid;
            if (!dup) set[k++] = ms[i].role_oid;
        }
    *out = set;
    *n = k;
    return 0;
}

/* ORs the rows (obj, object, g) for every g in the closure. */
static int priv_collect(Txn *t, uint32_t obj, uint32_t table_id, const char *schema,
                        const uint32_t *set, size_t n, uint32_t *bits, uint32_t *grantable,
                        DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        priv_key(&key, obj, table_id, schema, set[i]);
        bool found;
        rc = txn_get(t, key.data, key.len, &val, &found, err);
        if (rc == 0 && found) {
            *bits |= catalog_be32_at((uint8_t *)val.data, val.len, 0);
            *grantable |= catalog_be32_at((uint8_t *)val.data, val.len, 4);
        }
        /* A concurrent GRANT or REVOKE of any of these conflicts (OC001). */
        if (rc == 0) rc = txn_check_key(t, key.data, key.len, JOURNAL_KIND_SCHEMA_READ, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_object_privileges(Txn *t, uint32_t role_oid, uint32_t object_id, uint32_t *bits,
                              uint32_t *grantable, DbError *err)
{
    *bits = *grantable = 0;
    MemContext *cx = mem_context_create(NULL, "privileges");
    uint32_t owner = 0, *set = NULL;
    size_t n = 0;
    int rc = catalog_table_owner_get(t, object_id, &owner, err);
    if (rc == 0) rc = priv_closure(t, role_oid, cx, &set, &n, err);
    /* The owner holds every privilege of the object's kind; callers mask
     * the bits of their kind. */
    for (size_t i = 1; rc == 0 && i < n; i++)
        if (set[i] == owner) *bits = *grantable = PRIV_TABLE_ALL | PRIV_SEQUENCE_ALL;
    if (rc == 0)
        rc = priv_collect(t, CATALOG_TABLE_PRIVS_ID, object_id, NULL, set, n, bits, grantable, err);
    mem_context_destroy(cx);
    return rc;
}

int catalog_table_privileges(Txn *t, uint32_t role_oid, const TableDesc *table, uint32_t *bits,
                             uint32_t *grantable, DbError *err)
{
    int rc = catalog_object_privileges(t, role_oid, table->id, bits, grantable, err);
    *bits &= PRIV_TABLE_ALL;
    *grantable &= PRIV_TABLE_ALL;
    return rc;
}

int catalog_schema_privileges(Txn *t, uint32_t role_oid, const char *schema, uint32_t *bits,
                              uint32_t *grantable, DbError *err)
{
    *bits = *grantable = 0;
    if (role_oid == CATALOG_ADMIN_ROLE_OID) {
        *bits = *grantable = PRIV_SCHEMA_ALL;
        return 0;
    }
    if (strcmp(schema, "public") == 0) *bits |= PRIV_USAGE;
    MemContext *cx = mem_context_create(NULL, "privileges");
    uint32_t *set = NULL;
    size_t n = 0;
    int rc = priv_closure(t, role_oid, cx, &set, &n, err);
    for (size_t i = 1; rc == 0 && i < n; i++)
        if (set[i] == CATALOG_ADMIN_ROLE_OID) *bits = *grantable = PRIV_SCHEMA_ALL;
    if (rc == 0)
        rc = priv_collect(t, CATALOG_SCHEMA_PRIVS_ID, 0, schema, set, n, bits, grantable, err);
    /* DSQL: non-admin roles cannot create objects in public. */
    if (strcmp(schema, "public") == 0) *bits &= ~PRIV_CREATE;
    mem_context_destroy(cx);
    return rc;
}

static int priv_role_oid(Txn *t, const char *role, uint32_t *oid, DbError *err)
{
    MemContext *cx = mem_context_create(NULL, "role");
    RoleDesc r;
    bool found;
    int rc = catalog_role_lookup(t, role, cx, &r, &found, err);
    if (rc == 0 && !found)
        rc = db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist", role);
    *oid = r.oid;
    mem_context_destroy(cx);
    return rc;
}

int catalog_check_table_privilege(Txn *t, const char *role, const TableDesc *table, char priv,
                                  DbError *err)
{
    uint32_t want = priv == 'r'   ? PRIV_SELECT
                    : priv == 'a' ? PRIV_INSERT
                    : priv == 'w' ? PRIV_UPDATE
                    : priv == 'd' ? PRIV_DELETE
                    : priv == 'D' ? PRIV_TRUNCATE
                                  : PRIV_TABLE_ALL;
    uint32_t oid, bits, grantable;
    if (priv_role_oid(t, role, &oid, err) != 0) return -1;
    if (catalog_table_privileges(t, oid, table, &bits, &grantable, err) != 0) return -1;
    if ((bits & want) == want) return 0;
    return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied for table %s",
                        table->name);
}

int catalog_check_sequence_privilege(Txn *t, const char *role, uint32_t seq_id,
                                     const char *seq_name, char priv, DbError *err)
{
    uint32_t any = priv == 'n'   ? PRIV_USAGE | PRIV_UPDATE
                   : priv == 'c' ? PRIV_SELECT | PRIV_USAGE
                                 : PRIV_UPDATE;
    uint32_t oid, bits, grantable;
    if (priv_role_oid(t, role, &oid, err) != 0) return -1;
    if (catalog_object_privileges(t, oid, seq_id, &bits, &grantable, err) != 0) return -1;
    if (bits & any) return 0;
    return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied for sequence %s",
                        seq_name);
}

int catalog_table_owner_record(Txn *t, uint32_t table_id, const char *role, DbError *err)
{
    uint32_t oid;
    if (priv_role_oid(t, role, &oid, err) != 0) return -1;
    return catalog_table_owner_set(t, table_id, oid, err);
}

int catalog_check_table_owner(Txn *t, const char *role, const TableDesc *table, DbError *err)
{
    uint32_t oid, owner;
    bool member;
    if (priv_role_oid(t, role, &oid, err) != 0) return -1;
    if (catalog_table_owner_get(t, table->id, &owner, err) != 0) return -1;
    if (catalog_role_is_member(t, oid, owner, &member, err) != 0) return -1;
    if (member) return 0;
    return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "must be owner of table %s",
                        table->name);
}

int catalog_check_schema_privilege(Txn *t, const char *role, const char *schema, char priv,
                                   DbError *err)
{
    uint32_t want = priv == 'C' ? PRIV_CREATE : PRIV_USAGE;
    uint32_t oid, bits, grantable;
    if (priv_role_oid(t, role, &oid, err) != 0) return -1;
    if (catalog_schema_privileges(t, oid, schema, &bits, &grantable, err) != 0) return -1;
    if ((bits & want) == want) return 0;
    /* DSQL: non-admin roles cannot create objects in public. */
    return db_error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied for schema %s",
                        schema);
}

/* ---- what a role still holds (DROP ROLE) ---- */

typedef struct HoldState {
    uint32_t oid;
    MemContext *cx;
    TableDesc **tables;
    size_t n_tables;
    StrBuf *what;
    uint32_t obj;
} HoldState;

static const char *hold_table_name(const HoldState *st, uint32_t id)
{
    for (size_t i = 0; i < st->n_tables; i++)
        if (st->tables[i]->id == id) return st->tables[i]->name;
    return NULL;
}

static int hold_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                      size_t val_len, DbError *err)
{
    HoldState *st = arg;
    KvKeyReader r;
    kv_key_reader_init(&r, key, key_len);
    uint32_t obj, table_id = 0, grantee;
    const char *schema = NULL;
    if (kv_key_read_object(&r, &obj, err) != 0) return -1;
    int rc = obj == CATALOG_SCHEMA_PRIVS_ID ? catalog_key_read_text(&r, st->cx, &schema, err)
                                            : catalog_key_read_u32(&r, &table_id, err);
    if (rc != 0) return -1;
    if (obj == CATALOG_TABLE_OWNERS_ID)
        grantee = catalog_be32_at(val, val_len, 0);
    else if (catalog_key_read_u32(&r, &grantee, err) != 0)
        return -1;
    if (grantee != st->oid) return 0;
    const char *table = schema ? NULL : hold_table_name(st, table_id);
    if (!schema && !table) return 0; /* a dropped table's leftover row */
    if (st->what->len) strbuf_append_char(st->what, '\n');
    if (obj == CATALOG_TABLE_OWNERS_ID)
        strbuf_appendf(st->what, "owner of table %s", table);
    else if (schema)
        strbuf_appendf(st->what, "privileges for schema %s", schema);
    else
        strbuf_appendf(st->what, "privileges for table %s", table);
    return 0;
}

int catalog_role_has_privileges(Txn *t, uint32_t role_oid, MemContext *cx, const char **what,
                                DbError *err)
{
    StrBuf buf;
    strbuf_init(&buf);
    HoldState st = {.oid = role_oid, .cx = cx, .what = &buf};
    int rc = catalog_table_list(t, cx, &st.tables, &st.n_tables, err);
    static const uint32_t objs[] = {CATALOG_TABLE_OWNERS_ID, CATALOG_SCHEMA_PRIVS_ID,
                                    CATALOG_TABLE_PRIVS_ID};
    for (size_t i = 0; rc == 0 && i < ARRAY_LEN(objs); i++)
        rc = catalog_rows_scan(t, objs[i], hold_visit, &st, err);
    if (rc == 0) rc = catalog_default_privileges_held(t, role_oid, cx, &buf, err);
    *what = rc == 0 && buf.len ? mem_strndup(cx, buf.data, buf.len) : NULL;
    strbuf_fini(&buf);
    return rc;
}
