/*
 * The kv room's public header: how SQL values become bytes in the key-value
 * store.  Two codecs live here:
 *   - keys: memcomparable encodings of datums (memcmp order of two keys ==
 *     SQL order of the values under collation C, NULLS FIRST/LAST per
 *     column), prefixed by a big-endian object id; plus range-bound helpers;
 *   - row values: the non-key columns of a row, each tagged by its column id,
 *     behind a leading format-version byte.
 * The byte layouts are documented in docs/formats/keys.md (and at the top of
 * key.c, key_numeric.c and row.c).  This room does not know tables, catalogs
 * or storage: callers say which types and which column ids they mean.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "types/datum.h"

/* ---- Keys ------------------------------------------------------------- */

/* Where NULL sorts in one key column.  PostgreSQL's default for ASC is
 * NULLS LAST.  Descending columns are not supported yet; the tag scheme
 * reserves 0x80-0xFE for them (the byte complement of the ascending
 * encoding), see docs/formats/keys.md. */
typedef enum KvNullOrder { KV_NULLS_LAST = 0, KV_NULLS_FIRST = 1 } KvNullOrder;

/* Length of the object-id prefix every key starts with. */
#define KV_KEY_OBJECT_BYTES 4

/* The numeric range PostgreSQL can store: up to 131072 digits before the
 * decimal point and 16383 after it.  Keys outside it are refused on encode
 * (22003) and treated as corrupt on decode. */
#define KV_NUMERIC_MAX_INT_DIGITS 131072
#define KV_NUMERIC_MAX_FRAC_DIGITS 16383

/* Appends the 4-byte big-endian object id (table or index id), so that the
 * keys of one object are contiguous and objects sort by id. */
void kv_key_begin(StrBuf *out, uint32_t object_id);

/* Appends one key element for d (its type is d->type).  Fails, leaving out
 * unchanged, for a type that cannot be a key (json, jsonb, unknown: 0A000),
 * a numeric whose text is not a decimal number (22P02) or is out of range
 * (22003), and int2/int4/date values out of their type's range (22003/22008). */
int kv_key_append(StrBuf *out, const Datum *d, KvNullOrder nulls, DbError *err);

/* Reads keys element by element.  pos only moves forward on success. */
typedef struct KvKeyReader {
    const uint8_t *p;
    size_t len;
    size_t pos;
} KvKeyReader;

static inline void kv_key_reader_init(KvKeyReader *r, const void *p, size_t len)
{
    r->p = (const uint8_t *)p;
    r->len = len;
    r->pos = 0;
}

static inline bool kv_key_reader_done(const KvKeyReader *r)
{
    return r->pos >= r->len;
}

int kv_key_read_object(KvKeyReader *r, uint32_t *object_id, DbError *err);

/* Decodes one element that was written for `type` with `nulls`.  Text,
 * bytea and numeric bytes are allocated in cx.  Normalised forms come back:
 * numeric without trailing fractional zeros ("1.50" reads as "1.5"), bpchar
 * without trailing spaces, interval as months/days/time with the same span
 * (justified: '30 days' reads as '1 mon'), float -0 as 0.  Bytes that no
 * encoder writes (wrong tag for the type, truncation, non-canonical forms)
 * fail with XX001 data_corrupted; nothing here crashes on bad input. */
int kv_key_read(KvKeyReader *r, uint32_t type, KvNullOrder nulls, MemContext *cx, Datum *out,
                DbError *err);

/* Steps over one element of any type (the tags say how long it is). */
int kv_key_skip(KvKeyReader *r, DbError *err);

/* Replaces out with the smallest key greater than every key that starts with
 * prefix (strip trailing 0xFF bytes, add one to the last byte).  When no such
 * key exists (prefix empty or all 0xFF) out is left empty: no upper bound. */
void kv_key_prefix_end(const uint8_t *prefix, size_t len, StrBuf *out);

/* Replaces out with key + 0x00: the smallest key greater than key itself
 * (an exclusive lower bound turned inclusive, or where to resume a scan).
 * For both helpers the input may be out->data itself (rewritten in place)
 * but must not otherwise overlap out. */
void kv_key_successor(const uint8_t *key, size_t len, StrBuf *out);

/* Replaces out with the first key of object_id + 1: the exclusive upper bound
 * of a scan of the whole object.  Empty (unbounded) for UINT32_MAX. */
void kv_key_object_end(StrBuf *out, uint32_t object_id);

/* ---- Row values --------------------------------------------------------- */

/* The leading byte of every row value this code writes. */
#define KV_ROW_FORMAT_V1 0x01

/* Encodes the non-NULL values as (column id, bytes) entries in ascending
 * column-id order (the ids may be given in any order; a duplicate id is an
 * internal error).  NULLs are simply absent, so a column added later reads
 * as NULL and a dropped column's entry is skipped.  Appends to out. */
int kv_row_encode(StrBuf *out, const uint32_t *column_ids, const Datum *values, size_t n,
                  DbError *err);

/* A visitor returns 0 to go on, KV_ROW_STOP to end the walk early (not an
 * error) or -1 (with err set) to fail it. */
#define KV_ROW_STOP 1
typedef int (*KvRowVisitor)(void *arg, uint32_t column_id, const uint8_t *value, size_t len,
                            DbError *err);

/* Walks a row value's entries in ascending column-id order, handing each
 * column's type-less bytes to visit (decode them with kv_value_decode and
 * the column's type from the catalog).  Corrupt input fails with XX001. */
int kv_row_decode(const uint8_t *p, size_t len, KvRowVisitor visit, void *arg, DbError *err);

/* Decodes only the n columns asked for (ids in any order) into out[i] with
 * types[i]; a column absent from the row value is NULL.  Stops reading as
 * soon as the largest id asked for is passed.  cx as for kv_value_decode. */
int kv_row_fetch(const uint8_t *p, size_t len, size_t n, const uint32_t *column_ids,
                 const uint32_t *types, MemContext *cx, Datum *out, DbError *err);

/* One column's bytes in a row value (exact: numeric keeps its display text,
 * float8 keeps -0 and NaN bits).  d must not be NULL. */
int kv_value_encode(StrBuf *out, const Datum *d, DbError *err);

/* The inverse for a column of the given type.  With cx, variable-width bytes
 * are copied into cx; with cx == NULL the datum points into p, which must
 * then outlive it.  Wrong lengths or out-of-range integers fail with XX001. */
int kv_value_decode(uint32_t type, const uint8_t *p, size_t len, MemContext *cx, Datum *out,
                    DbError *err);
