/*
 * Table descriptor bytes.  Layout (all integers big-endian):
 *
 *   u8  format (1)
 *   u32 id, u32 next_column_id
 *   str schema, str name                       str = u16 length + bytes
 *   u16 n_columns, then per column:
 *       u32 id, u32 type, i32 typmod, u8 flags (bit 0 NOT NULL,
 *       bit 1 has default, bit 2 identity ALWAYS, bit 3 identity BY DEFAULT),
 *       str name, [str default SQL]
 *   u16 n_pk, then u16 column index per key column
 *   (format 2) u16 n_checks, then per CHECK constraint: str name, str expr
 *
 * The decoder is bounds-checked: corrupt bytes give XX001, never a crash.
 */
#include <string.h>

#include "catalog/catalog.h"

#define DESC_FORMAT 2

static void put_u16(StrBuf *b, uint16_t v)
{
    strbuf_append_be16(b, v);
}

static void put_u32(StrBuf *b, uint32_t v)
{
    strbuf_append_be32(b, v);
}

static void put_str(StrBuf *b, const char *s)
{
    size_t n = strlen(s);
    put_u16(b, (uint16_t)n);
    strbuf_append(b, s, n);
}

void catalog_desc_encode(const TableDesc *d, StrBuf *out)
{
    strbuf_append_char(out, DESC_FORMAT);
    put_u32(out, d->id);
    put_u32(out, d->next_column_id);
    put_str(out, d->schema);
    put_str(out, d->name);
    put_u16(out, (uint16_t)d->n_columns);
    for (size_t i = 0; i < d->n_columns; i++) {
        const ColumnDesc *c = &d->columns[i];
        put_u32(out, c->id);
        put_u32(out, c->type);
        put_u32(out, (uint32_t)c->typmod);
        strbuf_append_char(out, (char)((c->not_null ? 1 : 0) | (c->default_expr ? 2 : 0) |
                                       (c->identity == COLUMN_IDENTITY_ALWAYS ? 4 : 0) |
                                       (c->identity == COLUMN_IDENTITY_BY_DEFAULT ? 8 : 0)));
        put_str(out, c->name);
        if (c->default_expr) put_str(out, c->default_expr);
    }
    put_u16(out, (uint16_t)d->n_pk);
    for (size_t i = 0; i < d->n_pk; i++)
        put_u16(out, d->pk[i]);
    put_u16(out, (uint16_t)d->n_checks);
    for (size_t i = 0; i < d->n_checks; i++) {
        put_str(out, d->checks[i].name);
        put_str(out, d->checks[i].expr);
    }
}

typedef struct DescReader {
    const uint8_t *p;
    size_t len, pos;
    bool bad;
} DescReader;

static uint32_t get_n(DescReader *r, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = true;
        return 0;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | r->p[r->pos++];
    return v;
}

static const char *get_str(DescReader *r, MemContext *cx)
{
    size_t n = get_n(r, 2);
    if (r->bad || r->len - r->pos < n) {
        r->bad = true;
        return "";
    }
    const char *s = mem_strndup(cx, (const char *)r->p + r->pos, n);
    r->pos += n;
    return s;
}

int catalog_desc_decode(const uint8_t *p, size_t len, MemContext *cx, TableDesc **out, DbError *err)
{
    DescReader r = {p, len, 0, false};
    uint32_t format = get_n(&r, 1);
    if (format != 1 && format != DESC_FORMAT)
        return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "unknown table descriptor format");
    TableDesc *d = mem_alloc0(cx, sizeof *d);
    d->id = get_n(&r, 4);
    d->next_column_id = get_n(&r, 4);
    d->schema = get_str(&r, cx);
    d->name = get_str(&r, cx);
    d->n_columns = get_n(&r, 2);
    if (d->n_columns > CATALOG_MAX_COLUMNS * 8) r.bad = true;
    d->columns = mem_alloc0(cx, sizeof(ColumnDesc) * (r.bad ? 1 : d->n_columns + 1));
    for (size_t i = 0; !r.bad && i < d->n_columns; i++) {
        ColumnDesc *c = &d->columns[i];
        c->id = get_n(&r, 4);
        c->type = get_n(&r, 4);
        c->typmod = (int32_t)get_n(&r, 4);
        uint32_t flags = get_n(&r, 1);
        c->not_null = flags & 1;
        c->identity = flags & 4   ? COLUMN_IDENTITY_ALWAYS
                      : flags & 8 ? COLUMN_IDENTITY_BY_DEFAULT
                                  : 0;
        c->name = get_str(&r, cx);
        if (flags & 2) c->default_expr = get_str(&r, cx);
    }
    d->n_pk = get_n(&r, 2);
    if (d->n_pk > d->n_columns) r.bad = true;
    d->pk = mem_alloc0(cx, sizeof(uint16_t) * (r.bad ? 1 : d->n_pk + 1));
    for (size_t i = 0; !r.bad && i < d->n_pk; i++) {
        d->pk[i] = (uint16_t)get_n(&r, 2);
        if (d->pk[i] >= d->n_columns) r.bad = true;
    }
    if (format >= 2) {
        d->n_checks = get_n(&r, 2);
        d->checks = mem_alloc0(cx, sizeof(CheckDesc) * (r.bad ? 1 : d->n_checks + 1));
        for (size_t i = 0; !r.bad && i < d->n_checks; i++) {
            d->checks[i].name = get_str(&r, cx);
            d->checks[i].expr = get_str(&r, cx);
        }
    }
    if (r.bad || r.pos != r.len)
        return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt table descriptor");
    *out = d;
    return 0;
}

int catalog_column_index(const TableDesc *d, const char *name)
{
    for (size_t i = 0; i < d->n_columns; i++)
        if (strcmp(d->columns[i].name, name) == 0) return (int)i;
    return -1;
}
