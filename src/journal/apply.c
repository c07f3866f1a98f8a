/*
 * The apply step of the journal's state machine: one committed entry
 * becomes one RocksDB batch holding its data puts and deletes, the updated
 * version record of every checked item (KEY_WRITE, NONKEY_WRITE and
 * KEY_SHARE items, including FOR UPDATE / FOR KEY SHARE items that write no
 * data), and the applied version in meta.  One batch makes the three agree
 * after any crash.  Delete tombstones keep their version record, so a
 * delete stays visible to the adjudicator.  Schema reads and unchecked items
 * leave no record.  No fsync here: the raft log is the durable record and
 * replays whatever RocksDB lost.  The caller (fsm in journal.c) skips
 * entries at or below the applied version, which makes replay idempotent.
 */
#include "journal/journal_internal.h"

#include <string.h>

int journal_apply_entry(Storage *s, StorageBatch *b, const uint8_t *entry, size_t len,
                        CommitVersion version, DbError *err)
{
    JournalEntryHeader h;
    if (journal_entry_decode(entry, len, &h, err) != 0) return -1;
    storage_batch_clear(b);
    StrBuf rec;
    strbuf_init(&rec);
    JournalEntryCursor cur;
    journal_entry_cursor_init(&cur, entry, len);
    JournalItem it;
    int rc = 0;
    while (rc == 0 && journal_entry_cursor_next(&cur, &it)) {
        if (it.op == JOURNAL_OP_PUT)
            storage_batch_put(b, STORAGE_DATA, it.key, it.key_len, it.value, it.value_len);
        else if (it.op == JOURNAL_OP_DELETE)
            storage_batch_delete(b, STORAGE_DATA, it.key, it.key_len);

        if (it.kind != JOURNAL_KIND_KEY_WRITE && it.kind != JOURNAL_KIND_NONKEY_WRITE &&
            it.kind != JOURNAL_KIND_KEY_SHARE)
            continue;
        JournalVersionRecord r;
        bool found;
        if (storage_get(s, NULL, STORAGE_VERSIONS, it.key, it.key_len, &rec, &found, err) != 0) {
            rc = -1;
            break;
        }
        if (!found)
            memset(&r, 0, sizeof r);
        else if (journal_record_decode((const uint8_t *)rec.data, rec.len, &r, err) != 0) {
            rc = -1;
            break;
        }
        if (it.kind == JOURNAL_KIND_KEY_WRITE)
            r.key_write = version;
        else if (it.kind == JOURNAL_KIND_NONKEY_WRITE)
            r.nonkey_write = version;
        else
            r.key_share = version;
        r.touched_ms = h.proposed_ms;
        uint8_t out[JOURNAL_RECORD_BYTES];
        journal_record_encode(&r, out);
        storage_batch_put(b, STORAGE_VERSIONS, it.key, it.key_len, out, sizeof out);
    }
    strbuf_fini(&rec);
    if (rc != 0) return -1;
    uint8_t applied[8];
    journal_put_be64(applied, version);
    storage_batch_put(b, STORAGE_META, JOURNAL_META_APPLIED_KEY, strlen(JOURNAL_META_APPLIED_KEY),
                      applied, sizeof applied);
    return storage_write(s, b, false, err);
}
