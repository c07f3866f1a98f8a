/*
 * The adjudicator: decides whether a write set may commit (spec §7.2, §7.4).
 * For each checked item it reads the key's version record (the last
 * committed KEY_WRITE, NONKEY_WRITE and KEY_SHARE versions) and the
 * in-flight overlay, and applies the conflict matrix against the write set's
 * snapshot; an in-flight entry counts as newer than any snapshot, since it
 * is not applied yet and snapshots only cover applied versions.  Pure
 * decision: it reads storage's latest state (one point get per item) and
 * the overlay, and changes neither.  Runs on the loop thread, in arrival
 * order, so "first committer wins" is the order write sets reach it.
 */
#include "journal/journal_internal.h"

#include <string.h>

#define JOURNAL_OC000 "change conflicts with another transaction (OC000)"
#define JOURNAL_OC001 "schema has been updated by another transaction (OC001)"

static CommitVersion journal_max2(CommitVersion a, CommitVersion b)
{
    return a > b ? a : b;
}

/* Reads the version record of key (all zeros when the key has none). */
static int journal_record_read(Storage *s, const JournalItem *it, StrBuf *buf,
                               JournalVersionRecord *r, DbError *err)
{
    bool found;
    if (storage_get(s, NULL, STORAGE_VERSIONS, it->key, it->key_len, buf, &found, err) != 0)
        return -1;
    if (!found) {
        memset(r, 0, sizeof *r);
        return 0;
    }
    return journal_record_decode((const uint8_t *)buf->data, buf->len, r, err);
}

int journal_adjudicate(Storage *s, const JournalOverlay *ov, const JournalWriteSet *ws,
                       DbError *err)
{
    StrBuf buf;
    strbuf_init(&buf);
    bool schema_conflict = false;
    int rc = 0;
    for (size_t i = 0; i < ws->n_items && rc == 0; i++) {
        const JournalItem *it = &ws->items[i];
        if (it->kind == JOURNAL_KIND_UNCHECKED) continue;
        JournalVersionRecord r;
        if (journal_record_read(s, it, &buf, &r, err) != 0) {
            rc = -1;
            break;
        }
        JournalOverlayCounts f = journal_overlay_get(ov, it->key, it->key_len);
        CommitVersion newest; /* the newest committed version this kind conflicts with */
        bool in_flight;       /* an in-flight entry of a conflicting kind */
        switch (it->kind) {
        case JOURNAL_KIND_KEY_WRITE:
            newest = journal_max2(journal_max2(r.key_write, r.nonkey_write), r.key_share);
            in_flight = f.key_write || f.nonkey_write || f.key_share;
            break;
        case JOURNAL_KIND_NONKEY_WRITE:
            newest = journal_max2(r.key_write, r.nonkey_write);
            in_flight = f.key_write || f.nonkey_write;
            break;
        case JOURNAL_KIND_KEY_SHARE:
            newest = r.key_write;
            in_flight = f.key_write != 0;
            break;
        case JOURNAL_KIND_SCHEMA_READ:
            /* Any write of the descriptor after the snapshot; checked after
             * every data item so that a data conflict is reported first. */
            if (journal_max2(r.key_write, r.nonkey_write) > ws->snapshot || f.key_write ||
                f.nonkey_write)
                schema_conflict = true;
            continue;
        default:
            continue;
        }
        if (in_flight || newest > ws->snapshot)
            rc = db_error_set(err, SQLSTATE_T_R_SERIALIZATION_FAILURE, JOURNAL_OC000);
    }
    if (rc == 0 && schema_conflict)
        rc = db_error_set(err, SQLSTATE_T_R_SERIALIZATION_FAILURE, JOURNAL_OC001);
    strbuf_fini(&buf);
    return rc;
}
