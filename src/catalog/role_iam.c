/*
 * AWS IAM mappings: which IAM principal ARN may log in as which database
 * role (AWS IAM GRANT/REVOKE), keyed (5, arn, role oid).  Value layout
 * (big-endian): u32 iam oid, u32 grantor oid.  A login reads its mapping
 * key as SCHEMA_READ, so a concurrent REVOKE cannot commit unnoticed.
 */
#include <ctype.h>
#include <string.h>

#include "catalog/role_int.h"

static void mapping_key(StrBuf *key, const char *arn, uint32_t role_oid)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_IAM_MAPPINGS_ID);
    catalog_key_text(key, arn);
    catalog_key_u32(key, role_oid);
}

bool catalog_iam_arn_valid(const char *arn)
{
    /* arn:<partition>:iam::<12-digit account>:role|user/<path and name> */
    static const char *const partitions[] = {
        "arn:aws:iam::", "arn:aws-cn:iam::", "arn:aws-us-gov:iam::"};
    const char *p = NULL;
    for (size_t i = 0; i < ARRAY_LEN(partitions) && !p; i++)
        if (strncmp(arn, partitions[i], strlen(partitions[i])) == 0)
            p = arn + strlen(partitions[i]);
    if (!p) return false;
    for (int i = 0; i < 12; i++)
        if (!isdigit((unsigned char)p[i])) return false;
    p += 12;
    if (strncmp(p, ":role/", 6) == 0)
        p += 6;
    else if (strncmp(p, ":user/", 6) == 0)
        p += 6;
    else
        return false;
    if (!*p || strlen(p) > 512) return false;
    for (; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("+=,.@_-/", *p)) return false;
    return true;
}

int catalog_iam_mapping_exists(Txn *t, const char *arn, uint32_t role_oid, bool *found,
                               DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    mapping_key(&key, arn, role_oid);
    int rc = txn_get(t, key.data, key.len, &val, found, err);
    if (rc == 0) rc = txn_check_key(t, key.data, key.len, JOURNAL_KIND_SCHEMA_READ, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_iam_mapping_add(Txn *t, const char *arn, uint32_t role_oid, uint32_t grantor_oid,
                            bool *added, DbError *err)
{
    bool found;
    if (catalog_iam_mapping_exists(t, arn, role_oid, &found, err) != 0) return -1;
    *added = !found;
    if (found) return 0;
    uint32_t iam_oid;
    if (catalog_oid_allocate(t, &iam_oid, err) != 0) return -1;
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    mapping_key(&key, arn, role_oid);
    strbuf_append_be32(&val, iam_oid);
    strbuf_append_be32(&val, grantor_oid);
    int rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_iam_mapping_remove(Txn *t, const char *arn, uint32_t role_oid, bool *removed,
                               DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    mapping_key(&key, arn, role_oid);
    int rc = txn_get(t, key.data, key.len, &val, removed, err);
    if (rc == 0 && *removed)
        rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

typedef struct MappingListState {
    MemContext *cx;
    IamMapping *items;
    size_t n, cap;
} MappingListState;

static int mapping_list_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                              size_t val_len, DbError *err)
{
    MappingListState *st = arg;
    if (st->n == st->cap) {
        st->items = mem_realloc(st->cx, st->items, sizeof(IamMapping) * st->cap,
                                sizeof(IamMapping) * st->cap * 2);
        st->cap *= 2;
    }
    IamMapping *m = &st->items[st->n++];
    memset(m, 0, sizeof *m);
    KvKeyReader r;
    kv_key_reader_init(&r, key, key_len);
    uint32_t obj;
    if (kv_key_read_object(&r, &obj, err) != 0 || catalog_key_read_text(&r, st->cx, &m->arn, err) ||
        catalog_key_read_u32(&r, &m->role_oid, err))
        return -1;
    m->iam_oid = catalog_be32_at(val, val_len, 0);
    m->grantor_oid = catalog_be32_at(val, val_len, 4);
    return 0;
}

int catalog_iam_mapping_list(Txn *t, MemContext *cx, IamMapping **out, size_t *n, DbError *err)
{
    MappingListState st = {.cx = cx, .cap = 16};
    st.items = mem_alloc0(cx, sizeof(IamMapping) * st.cap);
    if (catalog_rows_scan(t, CATALOG_IAM_MAPPINGS_ID, mapping_list_visit, &st, err) != 0) return -1;
    RoleDesc *roles;
    size_t n_roles;
    if (catalog_role_list(t, cx, &roles, &n_roles, err) != 0) return -1;
    for (size_t i = 0; i < st.n; i++) {
        st.items[i].role_name = st.items[i].grantor_name = "-";
        for (size_t j = 0; j < n_roles; j++) {
            if (roles[j].oid == st.items[i].role_oid) st.items[i].role_name = roles[j].name;
            if (roles[j].oid == st.items[i].grantor_oid) st.items[i].grantor_name = roles[j].name;
        }
    }
    *out = st.items;
    *n = st.n;
    return 0;
}
