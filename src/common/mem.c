/*
 * Memory contexts (see mem.h).  Each context keeps a singly linked list of
 * blocks; small requests are bumped out of the current block, requests larger
 * than a quarter of the block size get a block of their own.  Reset frees all
 * blocks but keeps the first so that a reused statement context does not go
 * back to malloc for every statement.
 */
#include "common/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEM_BLOCK_INITIAL_BYTES 8192
#define MEM_BLOCK_MAX_BYTES (1024 * 1024)
#define MEM_ALIGN 16

typedef struct MemBlock {
    struct MemBlock *next;
    size_t size; /* usable bytes after the header */
    size_t used;
} MemBlock;

struct MemContext {
    const char *name;
    MemContext *parent;
    MemContext *first_child;
    MemContext *next_sibling;
    MemBlock *blocks;
    size_t next_block_size;
    size_t bytes;
};

#define BLOCK_HEADER ((sizeof(MemBlock) + MEM_ALIGN - 1) & ~(size_t)(MEM_ALIGN - 1))

static void *mem_checked_malloc(size_t size)
{
    void *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "borealis: out of memory allocating %zu bytes\n", size);
        abort();
    }
    return p;
}

MemContext *mem_context_create(MemContext *parent, const char *name)
{
    MemContext *cx = mem_checked_malloc(sizeof *cx);
    memset(cx, 0, sizeof *cx);
    cx->name = name;
    cx->parent = parent;
    cx->next_block_size = MEM_BLOCK_INITIAL_BYTES;
    if (parent) {
        cx->next_sibling = parent->first_child;
        parent->first_child = cx;
    }
    return cx;
}

static void mem_context_free_children(MemContext *cx)
{
    while (cx->first_child)
        mem_context_destroy(cx->first_child);
}

static void mem_context_unlink(MemContext *cx)
{
    if (!cx->parent) return;
    MemContext **link = &cx->parent->first_child;
    while (*link && *link != cx)
        link = &(*link)->next_sibling;
    if (*link) *link = cx->next_sibling;
}

void mem_context_destroy(MemContext *cx)
{
    if (!cx) return;
    mem_context_free_children(cx);
    mem_context_unlink(cx);
    MemBlock *b = cx->blocks;
    while (b) {
        MemBlock *next = b->next;
        free(b);
        b = next;
    }
    free(cx);
}

void mem_context_reset(MemContext *cx)
{
    mem_context_free_children(cx);
    MemBlock *keep = NULL;
    MemBlock *b = cx->blocks;
    while (b) {
        MemBlock *next = b->next;
        if (next == NULL && b->size <= MEM_BLOCK_INITIAL_BYTES) {
            keep = b; /* the oldest block, if it is a small one */
        } else {
            free(b);
        }
        b = next;
    }
    cx->blocks = keep;
    cx->bytes = 0;
    if (keep) {
        keep->used = 0;
        cx->bytes = keep->size;
    }
    cx->next_block_size = MEM_BLOCK_INITIAL_BYTES;
}

static MemBlock *mem_block_new(MemContext *cx, size_t usable)
{
    MemBlock *b = mem_checked_malloc(BLOCK_HEADER + usable);
    b->size = usable;
    b->used = 0;
    cx->bytes += usable;
    return b;
}

void *mem_alloc(MemContext *cx, size_t size)
{
    size_t need = (size + MEM_ALIGN - 1) & ~(size_t)(MEM_ALIGN - 1);
    if (need == 0) need = MEM_ALIGN;
    MemBlock *b = cx->blocks;
    if (b && b->size - b->used >= need) {
        void *p = (char *)b + BLOCK_HEADER + b->used;
        b->used += need;
        return p;
    }
    if (need > cx->next_block_size / 4) {
        /* A large request gets its own block behind the current one, so the
         * current block's free space is not wasted. */
        MemBlock *big = mem_block_new(cx, need);
        big->used = need;
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            big->next = NULL;
            cx->blocks = big;
        }
        return (char *)big + BLOCK_HEADER;
    }
    MemBlock *nb = mem_block_new(cx, cx->next_block_size);
    if (cx->next_block_size < MEM_BLOCK_MAX_BYTES) cx->next_block_size *= 2;
    nb->next = b;
    cx->blocks = nb;
    nb->used = need;
    return (char *)nb + BLOCK_HEADER;
}

void *mem_alloc0(MemContext *cx, size_t size)
{
    void *p = mem_alloc(cx, size);
    memset(p, 0, size);
    return p;
}

void *mem_realloc(MemContext *cx, void *ptr, size_t old_size, size_t new_size)
{
    if (new_size <= old_size) return ptr;
    void *p = mem_alloc(cx, new_size);
    if (ptr && old_size) memcpy(p, ptr, old_size);
    return p;
}

char *mem_strndup(MemContext *cx, const char *s, size_t n)
{
    char *p = mem_alloc(cx, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *mem_strdup(MemContext *cx, const char *s)
{
    return mem_strndup(cx, s, strlen(s));
}

char *mem_vsprintf(MemContext *cx, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *p = mem_alloc(cx, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *mem_sprintf(MemContext *cx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = mem_vsprintf(cx, fmt, ap);
    va_end(ap);
    return p;
}

size_t mem_context_bytes(const MemContext *cx)
{
    return cx->bytes;
}

size_t mem_context_total_bytes(const MemContext *cx)
{
    size_t total = cx->bytes;
    for (const MemContext *c = cx->first_child; c; c = c->next_sibling)
        total += mem_context_total_bytes(c);
    return total;
}

const char *mem_context_name(const MemContext *cx)
{
    return cx->name;
}
