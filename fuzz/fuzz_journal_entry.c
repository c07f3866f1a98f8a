/*
 * libFuzzer target for the journal's decoders (journal/entry.c): arbitrary
 * bytes go to journal_entry_decode (raft log entries, read back from disk
 * and received from peers), journal_record_decode (version records) and
 * journal_snapshot_decode (raft snapshot descriptors).  Each must accept or
 * refuse without crashing or reading outside the input.
 *
 * Oracle: an entry the decoder accepts re-encodes, from its decoded header
 * and items, to exactly the input bytes (the format has one encoding per
 * write set, padding included).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal/journal_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    DbError err;
    JournalVersionRecord rec;
    (void)journal_record_decode(data, size, &rec, &err);
    JournalSnapshotDesc desc;
    (void)journal_snapshot_decode(data, size, &desc, &err);

    /* A copy of exactly size bytes, so that overreads are caught. */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    JournalEntryHeader h;
    if (journal_entry_decode(buf, size, &h, &err) == 0) {
        JournalItem *items = malloc(sizeof *items * (h.n_items ? h.n_items : 1));
        JournalEntryCursor c;
        journal_entry_cursor_init(&c, buf, size);
        uint32_t n = 0;
        while (n < h.n_items && journal_entry_cursor_next(&c, &items[n]))
            n++;
        if (n != h.n_items) abort();
        JournalWriteSet ws = {.snapshot = h.snapshot, .items = items, .n_items = n};
        size_t len = journal_entry_size(&ws);
        if (len != size) abort();
        uint8_t *again = malloc(len);
        journal_entry_encode(&ws, h.txn_id, h.proposed_ms, again);
        if (memcmp(again, buf, len) != 0) abort();
        free(again);
        free(items);
    }
    free(buf);
    return 0;
}
