/*
 * StrBuf: a growable byte buffer on the heap (for wire output, messages and
 * text building).  Always NUL-terminated after its data so it can be used as
 * a C string when it holds text.  Owned by whoever embeds it: strbuf_fini
 * frees the storage.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct StrBuf {
    char *data;
    size_t len;
    size_t cap;
} StrBuf;

void strbuf_init(StrBuf *sb);
void strbuf_fini(StrBuf *sb);
void strbuf_reset(StrBuf *sb);
void strbuf_reserve(StrBuf *sb, size_t extra);
void strbuf_append(StrBuf *sb, const void *data, size_t len);
void strbuf_append_str(StrBuf *sb, const char *s);
void strbuf_append_char(StrBuf *sb, char c);
void strbuf_appendf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vappendf(StrBuf *sb, const char *fmt, va_list ap);
/* Big-endian integers, as the PostgreSQL protocol writes them. */
void strbuf_append_be16(StrBuf *sb, uint16_t v);
void strbuf_append_be32(StrBuf *sb, uint32_t v);
/* Overwrites 4 bytes at offset with v in big-endian order. */
void strbuf_put_be32(StrBuf *sb, size_t offset, uint32_t v);
