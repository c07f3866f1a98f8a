/*
 * ALTER DEFAULT PRIVILEGES: the privileges a role's future tables and
 * sequences get when it creates them, keyed (9, owner oid, schema or "",
 * kind, grantee oid) with the same value layout as privilege rows (u32
 * privilege bits, u32 grant-option bits).  catalog_object_created applies
 * them, with the owner row, when a table or sequence is created; changing
 * them later does not touch objects that already exist, as in PostgreSQL.
 */
#include <string.h>

#include "catalog/role_int.h"

static void default_key(StrBuf *key, uint32_t owner, const char *schema, char kind,
                        uint32_t grantee)
{
    char k[2] = {kind, '\0'};
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_DEFAULT_PRIVS_ID);
    catalog_key_u32(key, owner);
    catalog_key_text(key, schema);
    catalog_key_text(key, k);
    catalog_key_u32(key, grantee);
}

int catalog_default_privilege_change(Txn *t, uint32_t owner_oid, const char *schema, char kind,
                                     uint32_t grantee_oid, uint32_t bits, bool grant,
                                     bool grant_option, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    default_key(&key, owner_oid, schema, kind, grantee_oid);
    bool found;
    int rc = txn_get(t, key.data, key.len, &val, &found, err);
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
        rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    else if (rc == 0 && have != 0) {
        strbuf_reset(&val);
        strbuf_append_be32(&val, have);
        strbuf_append_be32(&val, grantable);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

typedef struct DefaultGrant {
    uint32_t grantee, bits, grantable;
} DefaultGrant;

/* The matching rows are collected first and applied after the scan: writing
 * while a scan of the same transaction is open would move under it. */
typedef struct ApplyState {
    uint32_t owner;
    const char *schema;
    char kind;
    MemContext *cx;
    DefaultGrant *items;
    size_t n, cap;
} ApplyState;

static int default_apply_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                               size_t val_len, DbError *err)
{
    ApplyState *st = arg;
    KvKeyReader r;
    kv_key_reader_init(&r, key, key_len);
    uint32_t obj, owner, grantee;
    const char *schema, *kind;
    if (kv_key_read_object(&r, &obj, err) != 0 || catalog_key_read_u32(&r, &owner, err) ||
        catalog_key_read_text(&r, st->cx, &schema, err) ||
        catalog_key_read_text(&r, st->cx, &kind, err) || catalog_key_read_u32(&r, &grantee, err))
        return -1;
    if (owner != st->owner || kind[0] != st->kind || (schema[0] && strcmp(schema, st->schema)))
        return 0;
    if (st->n == st->cap) {
        st->items = mem_realloc(st->cx, st->items, sizeof(DefaultGrant) * st->cap,
                                sizeof(DefaultGrant) * st->cap * 2);
        st->cap *= 2;
    }
    st->items[st->n++] =
        (DefaultGrant){grantee, catalog_be32_at(val, val_len, 0), catalog_be32_at(val, val_len, 4)};
    return 0;
}

int catalog_object_created(Txn *t, uint32_t object_id, const char *schema, char kind,
                           const char *role, DbError *err)
{
    MemContext *cx = mem_context_create(NULL, "object created");
    RoleDesc r;
    bool found;
    int rc = catalog_role_lookup(t, role, cx, &r, &found, err);
    if (rc == 0 && !found)
        rc = db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist", role);
    if (rc == 0) rc = catalog_table_owner_set(t, object_id, r.oid, err);
    ApplyState st = {.owner = r.oid, .schema = schema, .kind = kind, .cx = cx, .cap = 8};
    st.items = mem_alloc(cx, sizeof(DefaultGrant) * st.cap);
    if (rc == 0) rc = catalog_rows_scan(t, CATALOG_DEFAULT_PRIVS_ID, default_apply_visit, &st, err);
    for (size_t i = 0; rc == 0 && i < st.n; i++) {
        const DefaultGrant *g = &st.items[i];
        rc = catalog_table_privilege_change(t, object_id, g->grantee, g->bits, true, false, err);
        if (rc == 0 && g->grantable)
            rc = catalog_table_privilege_change(t, object_id, g->grantee, g->grantable, true, true,
                                                err);
    }
    mem_context_destroy(cx);
    return rc;
}

typedef struct HeldState {
    Txn *t;
    uint32_t oid;
    MemContext *cx;
    StrBuf *what;
} HeldState;

static int default_held_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                              size_t val_len, DbError *err)
{
    (void)val;
    (void)val_len;
    HeldState *st = arg;
    KvKeyReader r;
    kv_key_reader_init(&r, key, key_len);
    uint32_t obj, owner, grantee;
    const char *schema, *kind;
    if (kv_key_read_object(&r, &obj, err) != 0 || catalog_key_read_u32(&r, &owner, err) ||
        catalog_key_read_text(&r, st->cx, &schema, err) ||
        catalog_key_read_text(&r, st->cx, &kind, err) || catalog_key_read_u32(&r, &grantee, err))
        return -1;
    if (owner != st->oid && grantee != st->oid) return 0;
    if (st->what->len) strbuf_append_char(st->what, '\n');
    strbuf_appendf(st->what, "%s default privileges on new %s belonging to role %s",
                   owner == st->oid ? "owner of" : "privileges for",
                   kind[0] == 'S' ? "sequences" : "relations",
                   catalog_role_name(st->t, owner, st->cx));
    if (schema[0]) strbuf_appendf(st->what, " in schema %s", schema);
    return 0;
}

int catalog_default_privileges_held(Txn *t, uint32_t role_oid, MemContext *cx, StrBuf *what,
                                    DbError *err)
{
    HeldState st = {t, role_oid, cx, what};
    return catalog_rows_scan(t, CATALOG_DEFAULT_PRIVS_ID, default_held_visit, &st, err);
}
