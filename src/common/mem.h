/*
 * Memory contexts: allocation by lifetime, as in PostgreSQL.
 *
 * A MemContext is an arena that hands out memory from blocks it owns and
 * frees it all at once (mem_context_reset / mem_context_destroy).  Contexts
 * form a tree: destroying or resetting a context destroys its children.
 * The usual lifetimes are server > connection > transaction > statement >
 * row; a statement's allocations vanish when its context is reset, so no code
 * frees piece by piece.  Each context counts the bytes it holds (and, through
 * mem_context_total_bytes, those of its subtree) so per-query memory limits are
 * cheap to check.  A context is used by one thread at a time.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef struct MemContext MemContext;

/* parent may be NULL for a root context.  name must outlive the context
 * (use a string literal). */
MemContext *mem_context_create(MemContext *parent, const char *name);
void mem_context_destroy(MemContext *cx);
/* Frees every allocation and destroys every child; the context stays usable. */
void mem_context_reset(MemContext *cx);

/* Allocations are 16-byte aligned and live until the context is reset.
 * These never return NULL: running out of memory aborts the process. */
void *mem_alloc(MemContext *cx, size_t size);
void *mem_alloc0(MemContext *cx, size_t size);
void *mem_realloc(MemContext *cx, void *ptr, size_t old_size, size_t new_size);
char *mem_strdup(MemContext *cx, const char *s);
char *mem_strndup(MemContext *cx, const char *s, size_t n);
char *mem_sprintf(MemContext *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *mem_vsprintf(MemContext *cx, const char *fmt, va_list ap);

/* Bytes held in blocks by this context alone / by it and all descendants. */
size_t mem_context_bytes(const MemContext *cx);
size_t mem_context_total_bytes(const MemContext *cx);
const char *mem_context_name(const MemContext *cx);
