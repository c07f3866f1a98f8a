/*
 * Private to the kv room: the key tag bytes, the ordered-integer sub-encoding
 * shared by integer keys, numeric exponents and timetz keys, and small error
 * helpers.  The tag table is the one in docs/formats/keys.md; change both
 * together, and never reuse a tag: keys written with it live on disk.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kv/kv.h"

/* Key tags (ascending).  0x00, 0x7F and 0xFF are never tags; 0x80-0xFE are
 * reserved for descending columns, whose elements will be the byte
 * complement of the ascending ones (so 0x81 is DESC NULLS FIRST). */
enum {
    KV_TAG_NULL_FIRST = 0x01,
    KV_TAG_FALSE = 0x20,
    KV_TAG_TRUE = 0x21,
    KV_TAG_INT_NEG8 = 0x28, /* 0x28-0x2F: negative, 8..1 payload bytes */
    KV_TAG_INT_ZERO = 0x30,
    KV_TAG_INT_POS8 = 0x38, /* 0x31-0x38: positive, 1..8 payload bytes */
    KV_TAG_FLOAT = 0x40,
    KV_TAG_NUMERIC_NEG_INF = 0x50,
    KV_TAG_NUMERIC_NEG = 0x51,
    KV_TAG_NUMERIC_ZERO = 0x52,
    KV_TAG_NUMERIC_POS = 0x53,
    KV_TAG_NUMERIC_POS_INF = 0x54,
    KV_TAG_NUMERIC_NAN = 0x55,
    KV_TAG_TEXT = 0x60,
    KV_TAG_BYTES = 0x61,
    KV_TAG_UUID = 0x68,
    KV_TAG_INTERVAL = 0x70,
    KV_TAG_TIMETZ = 0x71,
    KV_TAG_NULL_LAST = 0x7E,
};

/* The longest ordered integer: a length tag and 8 payload bytes. */
#define KV_OINT_MAX_BYTES 9

/* Writes v as an ordered integer (tag 0x28-0x38 plus 0-8 payload bytes) into
 * buf and returns its length. */
size_t kv_oint_encode(uint8_t buf[KV_OINT_MAX_BYTES], int64_t v);

/* Reads an ordered integer from p (avail bytes), each byte XORed with mask
 * first (0x00, or 0xFF inside a negative numeric).  Returns the bytes used,
 * or 0 when the bytes are not a canonical ordered integer. */
size_t kv_oint_decode(const uint8_t *p, size_t avail, uint8_t mask, int64_t *v);

/* Numeric keys (key_numeric.c).  Append writes the whole element, tag
 * included; read and skip start with r positioned at the tag byte. */
int kv_numeric_key_append(StrBuf *out, const char *text, size_t len, DbError *err);
int kv_numeric_key_read(KvKeyReader *r, MemContext *cx, Datum *out, DbError *err);
int kv_numeric_key_skip(KvKeyReader *r, DbError *err);

/* The int64 stored for an integer-like datum (int2/4/8, oid, date, time,
 * timestamp, timestamptz), range-checked as the type's input function
 * would (22003/22008); an oid is taken as unsigned. */
int kv_int_value(const Datum *d, int64_t *v, DbError *err);
/* Whether v is a value of that type (what a decoder accepts). */
bool kv_int_fits(uint32_t type, int64_t v);

/* The SQL name of a type for messages ("integer", "json"). */
const char *kv_type_name(uint32_t type);

/* Fails with XX001 data_corrupted, saying what was wrong and at which byte
 * of the key (r->pos).  Returns -1. */
int kv_key_corrupt(DbError *err, const KvKeyReader *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
