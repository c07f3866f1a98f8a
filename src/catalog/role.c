/*
 * Roles and role memberships as rows (keys in role.h), plus the helpers the
 * other role files share.  Role value layout (big-endian):
 *
 *   u8 format (1), u32 oid, u32 attrs, i32 connection limit, u16 + name
 *
 * Membership value: u32 grantor oid, u8 admin option.  `admin` is built in:
 * looked up, listed and protected here, never stored.
 */
#include <string.h>

#include "catalog/role_int.h"

#define ROLE_FORMAT 1

void catalog_key_text(StrBuf *key, const char *s)
{
    DbError ignored;
    Datum d = datum_bytes(TYPE_TEXT, s, strlen(s));
    (void)kv_key_append(key, &d, KV_NULLS_LAST, &ignored);
}

void catalog_key_u32(StrBuf *key, uint32_t v)
{
    DbError ignored;
    Datum d = datum_int(TYPE_INT8, v);
    (void)kv_key_append(key, &d, KV_NULLS_LAST, &ignored);
}

int catalog_key_read_text(KvKeyReader *r, MemContext *cx, const char **out, DbError *err)
{
    Datum d;
    if (kv_key_read(r, TYPE_TEXT, KV_NULLS_LAST, cx, &d, err) != 0) return -1;
    *out = mem_strndup(cx, d.v.s.ptr, d.v.s.len);
    return 0;
}

int catalog_key_read_u32(KvKeyReader *r, uint32_t *out, DbError *err)
{
    Datum d;
    if (kv_key_read(r, TYPE_INT8, KV_NULLS_LAST, NULL, &d, err) != 0) return -1;
    *out = (uint32_t)d.v.i;
    return 0;
}

uint32_t catalog_be32_at(const uint8_t *p, size_t len, size_t off)
{
    if (off + 4 > len) return 0;
    p += off;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int catalog_oid_allocate(Txn *t, uint32_t *id, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    kv_key_begin(&key, CATALOG_ALLOCATOR_ID);
    catalog_key_text(&key, "next_object_id");
    bool found;
    int rc = txn_get(t, key.data, key.len, &val, &found, err);
    uint32_t next = CATALOG_FIRST_USER_ID;
    if (rc == 0 && found && val.len == 4) next = catalog_be32_at((uint8_t *)val.data, 4, 0);
    if (rc == 0) {
        *id = next;
        strbuf_reset(&val);
        strbuf_append_be32(&val, next + 1);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

/* ---- roles ---- */

static void role_key(StrBuf *key, const char *name)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_ROLES_ID);
    catalog_key_text(key, name);
}

static void role_encode(const RoleDesc *r, StrBuf *out)
{
    strbuf_append_char(out, ROLE_FORMAT);
    strbuf_append_be32(out, r->oid);
    strbuf_append_be32(out, r->attrs);
    strbuf_append_be32(out, (uint32_t)r->conn_limit);
    size_t n = strlen(r->name);
    strbuf_append_be16(out, (uint16_t)n);
    strbuf_append(out, r->name, n);
}

static int role_decode(const uint8_t *p, size_t len, MemContext *cx, RoleDesc *out, DbError *err)
{
    if (len < 15 || p[0] != ROLE_FORMAT || (size_t)((p[13] << 8) | p[14]) != len - 15)
        return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt role descriptor");
    out->oid = catalog_be32_at(p, len, 1);
    out->attrs = catalog_be32_at(p, len, 5);
    out->conn_limit = (int32_t)catalog_be32_at(p, len, 9);
    out->name = mem_strndup(cx, (const char *)p + 15, len - 15);
    return 0;
}

static void role_admin(RoleDesc *out)
{
    out->oid = CATALOG_ADMIN_ROLE_OID;
    out->name = CATALOG_ADMIN_ROLE;
    out->attrs = ROLE_ATTR_LOGIN | ROLE_ATTR_INHERIT | ROLE_ATTR_CREATEROLE | ROLE_ATTR_CREATEDB;
    out->conn_limit = -1;
}

int catalog_role_lookup(Txn *t, const char *name, MemContext *cx, RoleDesc *out, bool *found,
                        DbError *err)
{
    if (strcmp(name, CATALOG_ADMIN_ROLE) == 0) {
        role_admin(out);
        *found = true;
        return 0;
    }
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    role_key(&key, name);
    int rc = txn_get(t, key.data, key.len, &val, found, err);
    if (rc == 0 && *found) rc = role_decode((const uint8_t *)val.data, val.len, cx, out, err);
    /* Deciding on a role's existence or attributes depends on it until
     * commit, found or not. */
    if (rc == 0) rc = txn_check_key(t, key.data, key.len, JOURNAL_KIND_SCHEMA_READ, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

static int role_put(Txn *t, const RoleDesc *r, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    role_key(&key, r->name);
    role_encode(r, &val);
    int rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

static int role_exists_error(Txn *t, const char *name, DbError *err)
{
    MemContext *cx = mem_context_create(NULL, "role");
    RoleDesc existing;
    bool found;
    int rc = catalog_role_lookup(t, name, cx, &existing, &found, err);
    if (rc == 0 && found)
        rc = db_error_set(err, SQLSTATE_DUPLICATE_OBJECT, "role \"%s\" already exists", name);
    mem_context_destroy(cx);
    return rc;
}

int catalog_role_create(Txn *t, RoleDesc *r, DbError *err)
{
    if (role_exists_error(t, r->name, err) != 0) return -1;
    if (catalog_oid_allocate(t, &r->oid, err) != 0) return -1;
    return role_put(t, r, err);
}

int catalog_role_update(Txn *t, const RoleDesc *r, DbError *err)
{
    return role_put(t, r, err);
}

int catalog_role_rename(Txn *t, const RoleDesc *r, const char *new_name, DbError *err)
{
    if (role_exists_error(t, new_name, err) != 0) return -1;
    StrBuf key;
    strbuf_init(&key);
    role_key(&key, r->name);
    int rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    RoleDesc renamed = *r;
    renamed.name = new_name;
    return rc == 0 ? role_put(t, &renamed, err) : -1;
}

typedef struct RoleListState {
    MemContext *cx;
    RoleDesc *items;
    size_t n, cap;
} RoleListState;

static int role_list_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                           size_t val_len, DbError *err)
{
    (void)key;
    (void)key_len;
    RoleListState *st = arg;
    if (st->n == st->cap) {
        st->items = mem_realloc(st->cx, st->items, sizeof(RoleDesc) * st->cap,
                                sizeof(RoleDesc) * st->cap * 2);
        st->cap *= 2;
    }
    return role_decode(val, val_len, st->cx, &st->items[st->n++], err);
}

int catalog_role_list(Txn *t, MemContext *cx, RoleDesc **out, size_t *n, DbError *err)
{
    RoleListState st = {.cx = cx, .cap = 16};
    st.items = mem_alloc0(cx, sizeof(RoleDesc) * st.cap);
    role_admin(&st.items[st.n++]);
    if (catalog_rows_scan(t, CATALOG_ROLES_ID, role_list_visit, &st, err) != 0) return -1;
    *out = st.items;
    *n = st.n;
    return 0;
}

const char *catalog_role_name(Txn *t, uint32_t oid, MemContext *cx)
{
    if (oid == CATALOG_PUBLIC_ROLE_OID) return "PUBLIC";
    RoleDesc *roles = NULL;
    size_t n = 0;
    DbError ignored;
    if (catalog_role_list(t, cx, &roles, &n, &ignored) != 0) return "-";
    for (size_t i = 0; i < n; i++)
        if (roles[i].oid == oid) return roles[i].name;
    return "-";
}

/* ---- memberships ---- */

static void member_key(StrBuf *key, uint32_t role_oid, uint32_t member_oid)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_ROLE_MEMBERS_ID);
    catalog_key_u32(key, role_oid);
    catalog_key_u32(key, member_oid);
}

int catalog_role_member_add(Txn *t, const RoleMember *m, bool *added, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    member_key(&key, m->role_oid, m->member_oid);
    bool found;
    int rc = txn_get(t, key.data, key.len, &val, &found, err);
    *added = rc == 0 && !found;
    /* Re-granting WITH ADMIN OPTION upgrades an existing membership. */
    bool upgrade = rc == 0 && found && m->admin_option && val.len >= 5 && val.data[4] == 0;
    if (rc == 0 && (*added || upgrade)) {
        strbuf_reset(&val);
        strbuf_append_be32(&val, m->grantor_oid);
        strbuf_append_char(&val, m->admin_option ? 1 : 0);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_role_member_remove(Txn *t, uint32_t role_oid, uint32_t member_oid, bool *removed,
                               DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    member_key(&key, role_oid, member_oid);
    int rc = txn_get(t, key.data, key.len, &val, removed, err);
    if (rc == 0 && *removed)
        rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

typedef struct MemberListState {
    MemContext *cx;
    RoleMember *items;
    size_t n, cap;
} MemberListState;

static int member_list_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                             size_t val_len, DbError *err)
{
    MemberListState *st = arg;
    if (st->n == st->cap) {
        st->items = mem_realloc(st->cx, st->items, sizeof(RoleMember) * st->cap,
                                sizeof(RoleMember) * st->cap * 2);
        st->cap *= 2;
    }
    RoleMember *m = &st->items[st->n++];
    KvKeyReader r;
    kv_key_reader_init(&r, key, key_len);
    uint32_t obj;
    if (kv_key_read_object(&r, &obj, err) != 0 || catalog_key_read_u32(&r, &m->role_oid, err) ||
        catalog_key_read_u32(&r, &m->member_oid, err))
        return -1;
    m->grantor_oid = catalog_be32_at(val, val_len, 0);
    m->admin_option = val_len >= 5 && val[4] != 0;
    return 0;
}

int catalog_role_member_list(Txn *t, MemContext *cx, RoleMember **out, size_t *n, DbError *err)
{
    MemberListState st = {.cx = cx, .cap = 16};
    st.items = mem_alloc0(cx, sizeof(RoleMember) * st.cap);
    if (catalog_rows_scan(t, CATALOG_ROLE_MEMBERS_ID, member_list_visit, &st, err) != 0) return -1;
    *out = st.items;
    *n = st.n;
    return 0;
}

int catalog_role_is_member(Txn *t, uint32_t member_oid, uint32_t role_oid, bool *out, DbError *err)
{
    *out = member_oid == role_oid;
    if (*out) return 0;
    MemContext *cx = mem_context_create(NULL, "members");
    RoleMember *ms = NULL;
    size_t n = 0;
    int rc = catalog_role_member_list(t, cx, &ms, &n, err);
    /* Breadth-first over "member of" edges from member_oid. */
    uint32_t *seen = mem_alloc(cx, sizeof(uint32_t) * (n + 1));
    size_t n_seen = 0, next = 0;
    seen[n_seen++] = member_oid;
    while (rc == 0 && next < n_seen && !*out) {
        uint32_t cur = seen[next++];
        for (size_t i = 0; i < n; i++) {
            if (ms[i].member_oid != cur) continue;
            if (ms[i].role_oid == role_oid) *out = true;
            bool dup = false;
            for (size_t j = 0; j < n_seen; j++)
                dup = dup || seen[j] == ms[i].role_oid;
            if (!dup && n_seen <= n) seen[n_seen++] = ms[i].role_oid;
        }
    }
    mem_context_destroy(cx);
    return rc;
}

int catalog_role_has_admin_option(Txn *t, uint32_t member_oid, uint32_t role_oid, bool *out,
                                  DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    member_key(&key, role_oid, member_oid);
    bool found;
    int rc = txn_get(t, key.data, key.len, &val, &found, err);
    *out = rc == 0 && found && val.len >= 5 && val.data[4] != 0;
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

/* ---- DROP ROLE ---- */

typedef struct DropState {
    uint32_t oid;
    bool mapped;
    StrBuf *member_keys; /* keys of memberships to delete, u16 length-prefixed */
} DropState;

static int drop_mapping_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                              size_t val_len, DbError *err)
{
    (void)val;
    (void)val_len;
    DropState *st = arg;
    KvKeyReader r;
    kv_key_reader_init(&r, key, key_len);
    uint32_t obj, role_oid;
    if (kv_key_read_object(&r, &obj, err) != 0 || kv_key_skip(&r, err) != 0 ||
        catalog_key_read_u32(&r, &role_oid, err) != 0)
        return -1;
    st->mapped = role_oid == st->oid;
    return st->mapped ? 1 : 0;
}

static int drop_member_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                             size_t val_len, DbError *err)
{
    (void)val;
    (void)val_len;
    DropState *st = arg;
    KvKeyReader r;
    kv_key_reader_init(&r, key, key_len);
    uint32_t obj, role_oid, member_oid;
    if (kv_key_read_object(&r, &obj, err) != 0 || catalog_key_read_u32(&r, &role_oid, err) ||
        catalog_key_read_u32(&r, &member_oid, err))
        return -1;
    if (role_oid == st->oid || member_oid == st->oid) {
        strbuf_append_be16(st->member_keys, (uint16_t)key_len);
        strbuf_append(st->member_keys, key, key_len);
    }
    return 0;
}

int catalog_role_drop(Txn *t, const RoleDesc *r, DbError *err)
{
    DropState st = {.oid = r->oid};
    if (catalog_rows_scan(t, CATALOG_IAM_MAPPINGS_ID, drop_mapping_visit, &st, err) != 0) return -1;
    if (st.mapped)
        return db_error_set(err, SQLSTATE_DEPENDENT_OBJECTS_STILL_EXIST,
                            "role %s cannot be dropped because some objects depend on it", r->name);
    MemContext *cx = mem_context_create(NULL, "drop role");
    const char *what = NULL;
    int rc = catalog_role_has_privileges(t, r->oid, cx, &what, err);
    if (rc == 0 && what) {
        rc = db_error_set(err, SQLSTATE_DEPENDENT_OBJECTS_STILL_EXIST,
                          "role \"%s\" cannot be dropped because some objects depend on it",
                          r->name);
        db_error_detail(err, "%s", what);
    }
    mem_context_destroy(cx);
    if (rc != 0) return -1;
    StrBuf keys, key;
    strbuf_init(&keys);
    strbuf_init(&key);
    st.member_keys = &keys;
    rc = catalog_rows_scan(t, CATALOG_ROLE_MEMBERS_ID, drop_member_visit, &st, err);
    for (size_t off = 0; rc == 0 && off + 2 <= keys.len;) {
        size_t kl = (size_t)((uint8_t)keys.data[off] << 8 | (uint8_t)keys.data[off + 1]);
        rc = txn_delete(t, keys.data + off + 2, kl, JOURNAL_KIND_KEY_WRITE, false, err);
        off += 2 + kl;
    }
    role_key(&key, r->name);
    if (rc == 0) rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&keys);
    strbuf_fini(&key);
    return rc;
}
