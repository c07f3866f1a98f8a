/*
 * The in-flight overlay: keys of entries the adjudicator has proposed but
 * the FSM has not applied yet, so a second write set touching them is
 * judged against the first even though its version record is not written.
 * A chained hash table keyed by the key bytes; each node counts the
 * in-flight entries per conflict kind (several entries may share a key when
 * their kinds do not conflict, e.g. two KEY_SHARE).  A node goes away when
 * its counts reach zero.  Loop thread only; no locking.
 */
#include "journal/journal_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct JournalOverlayNode {
    struct JournalOverlayNode *next;
    uint64_t hash;
    JournalOverlayCounts counts;
    size_t key_len;
    uint8_t key[];
} JournalOverlayNode;

struct JournalOverlay {
    JournalOverlayNode **buckets;
    size_t n_buckets; /* a power of two */
    size_t n_keys;
};

#define JOURNAL_OVERLAY_MIN_BUCKETS 256

/* FNV-1a, 64-bit. */
static uint64_t journal_overlay_key_hash(const uint8_t *key, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= key[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static void *journal_overlay_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) abort();
    return p;
}

JournalOverlay *journal_overlay_create(void)
{
    JournalOverlay *ov = journal_overlay_calloc(1, sizeof *ov);
    ov->n_buckets = JOURNAL_OVERLAY_MIN_BUCKETS;
    ov->buckets = journal_overlay_calloc(ov->n_buckets, sizeof *ov->buckets);
    return ov;
}

void journal_overlay_destroy(JournalOverlay *ov)
{
    if (!ov) return;
    for (size_t i = 0; i < ov->n_buckets; i++) {
        JournalOverlayNode *n = ov->buckets[i];
        while (n) {
            JournalOverlayNode *next = n->next;
            free(n);
            n = next;
        }
    }
    free(ov->buckets);
    free(ov);
}

static JournalOverlayNode **journal_overlay_slot(const JournalOverlay *ov, const uint8_t *key,
                                                 size_t key_len, uint64_t hash)
{
    JournalOverlayNode **slot = &ov->buckets[hash & (ov->n_buckets - 1)];
    while (*slot && !((*slot)->hash == hash && (*slot)->key_len == key_len &&
                      memcmp((*slot)->key, key, key_len) == 0))
        slot = &(*slot)->next;
    return slot;
}

static void journal_overlay_grow(JournalOverlay *ov)
{
    size_t n = ov->n_buckets * 2;
    JournalOverlayNode **b = journal_overlay_calloc(n, sizeof *b);
    for (size_t i = 0; i < ov->n_buckets; i++) {
        JournalOverlayNode *node = ov->buckets[i];
        while (node) {
            JournalOverlayNode *next = node->next;
            node->next = b[node->hash & (n - 1)];
            b[node->hash & (n - 1)] = node;
            node = next;
        }
    }
    free(ov->buckets);
    ov->buckets = b;
    ov->n_buckets = n;
}

/* The count an item of this kind contributes to, or NULL if it leaves no
 * trace (schema reads and unchecked items). */
static uint32_t *journal_overlay_counter(JournalOverlayCounts *c, JournalConflictKind kind)
{
    switch (kind) {
    case JOURNAL_KIND_KEY_WRITE:
        return &c->key_write;
    case JOURNAL_KIND_NONKEY_WRITE:
        return &c->nonkey_write;
    case JOURNAL_KIND_KEY_SHARE:
        return &c->key_share;
    case JOURNAL_KIND_SCHEMA_READ:
    case JOURNAL_KIND_UNCHECKED:
        break;
    }
    return NULL;
}

void journal_overlay_add(JournalOverlay *ov, const JournalWriteSet *ws)
{
    for (size_t i = 0; i < ws->n_items; i++) {
        const JournalItem *it = &ws->items[i];
        JournalOverlayCounts probe = {0};
        if (!journal_overlay_counter(&probe, it->kind)) continue;
        uint64_t h = journal_overlay_key_hash(it->key, it->key_len);
        JournalOverlayNode **slot = journal_overlay_slot(ov, it->key, it->key_len, h);
        if (!*slot) {
            JournalOverlayNode *n = journal_overlay_calloc(1, sizeof *n + it->key_len);
            n->hash = h;
            n->key_len = it->key_len;
            memcpy(n->key, it->key, it->key_len);
            *slot = n;
            if (++ov->n_keys > ov->n_buckets) journal_overlay_grow(ov);
            slot = journal_overlay_slot(ov, it->key, it->key_len, h);
        }
        (*journal_overlay_counter(&(*slot)->counts, it->kind))++;
    }
}

void journal_overlay_remove(JournalOverlay *ov, const JournalWriteSet *ws)
{
    for (size_t i = 0; i < ws->n_items; i++) {
        const JournalItem *it = &ws->items[i];
        JournalOverlayCounts probe = {0};
        if (!journal_overlay_counter(&probe, it->kind)) continue;
        uint64_t h = journal_overlay_key_hash(it->key, it->key_len);
        JournalOverlayNode **slot = journal_overlay_slot(ov, it->key, it->key_len, h);
        JournalOverlayNode *n = *slot;
        if (!n) continue; /* never added: nothing to undo */
        uint32_t *count = journal_overlay_counter(&n->counts, it->kind);
        if (*count) (*count)--;
        if (n->counts.key_write == 0 && n->counts.nonkey_write == 0 && n->counts.key_share == 0) {
            *slot = n->next;
            free(n);
            ov->n_keys--;
        }
    }
}

JournalOverlayCounts journal_overlay_get(const JournalOverlay *ov, const uint8_t *key,
                                         size_t key_len)
{
    JournalOverlayCounts none = {0};
    if (ov->n_keys == 0) return none;
    JournalOverlayNode **slot =
        journal_overlay_slot(ov, key, key_len, journal_overlay_key_hash(key, key_len));
    return *slot ? (*slot)->counts : none;
}

size_t journal_overlay_keys(const JournalOverlay *ov)
{
    return ov->n_keys;
}
