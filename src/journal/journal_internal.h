/*
 * Private to the journal room: the on-disk codecs (log entries, version
 * records, raft snapshot descriptors, the applied-version meta key), the
 * in-flight overlay, the adjudicator and the apply step.  None of this
 * touches raft or libuv, so all of it is testable without a raft group.
 * Byte layouts are in docs/formats/journal.md and at the top of entry.c;
 * change both together: these bytes live in raft logs and RocksDB.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal/journal.h"

/* ---- Log entries (entry.c) ---- */

#define JOURNAL_ENTRY_FORMAT 1
#define JOURNAL_ENTRY_TYPE_WRITE_SET 1
#define JOURNAL_ENTRY_HEADER_BYTES 40
#define JOURNAL_ITEM_HEADER_BYTES 10
#define JOURNAL_TXN_ID_BYTES 16
#define JOURNAL_ENTRY_PROPOSED_MS_OFFSET 16
/* Entries are padded with zeros to a multiple of this (raft_uv needs it). */
#define JOURNAL_ENTRY_ALIGN 8
/* Bound on one entry: DSQL's 10 MiB transaction limit plus index entries
 * and per-item overhead fit well inside it. */
#define JOURNAL_ENTRY_MAX_BYTES (64u << 20)

typedef struct JournalEntryHeader {
    uint32_t n_items;
    CommitVersion snapshot;
    uint64_t proposed_ms; /* leader's wall clock at proposal, ms since the epoch */
    uint8_t txn_id[JOURNAL_TXN_ID_BYTES];
} JournalEntryHeader;

/* Checks a write set before it is encoded: ops and kinds in range, keys
 * non-empty and distinct, values only on puts, SCHEMA_READ only with op
 * NONE, encoded size within JOURNAL_ENTRY_MAX_BYTES.  Fills XX000. */
int journal_ws_validate(const JournalWriteSet *ws, DbError *err);
/* Encoded size of a valid write set, padding included. */
size_t journal_entry_size(const JournalWriteSet *ws);
/* Encodes into out (journal_entry_size bytes). */
void journal_entry_encode(const JournalWriteSet *ws, const uint8_t txn_id[JOURNAL_TXN_ID_BYTES],
                          uint64_t proposed_ms, uint8_t *out);
/* Rewrites the proposal time of an encoded entry (the leader stamps it). */
void journal_entry_stamp(uint8_t *entry, uint64_t proposed_ms);
/* Validates a whole entry (every bound, every item) and reads its header.
 * Fills XX001 (data_corrupted) on malformed bytes. */
int journal_entry_decode(const uint8_t *buf, size_t len, JournalEntryHeader *h, DbError *err);

/* Walks the items of an entry that journal_entry_decode accepted. */
typedef struct JournalEntryCursor {
    const uint8_t *p;
    const uint8_t *end;
    uint32_t left;
} JournalEntryCursor;
void journal_entry_cursor_init(JournalEntryCursor *c, const uint8_t *buf, size_t len);
bool journal_entry_cursor_next(JournalEntryCursor *c, JournalItem *item);

/* ---- Version records: family versions, key = the data key ---- */

#define JOURNAL_RECORD_FORMAT 1
#define JOURNAL_RECORD_BYTES 33

typedef struct JournalVersionRecord {
    CommitVersion key_write;    /* last KEY_WRITE commit of the key, 0 = none */
    CommitVersion nonkey_write; /* last NONKEY_WRITE commit */
    CommitVersion key_share;    /* last KEY_SHARE commit */
    uint64_t touched_ms;        /* proposal time of the newest of the three */
} JournalVersionRecord;

void journal_record_encode(const JournalVersionRecord *r, uint8_t out[JOURNAL_RECORD_BYTES]);
int journal_record_decode(const uint8_t *buf, size_t len, JournalVersionRecord *r, DbError *err);

/* ---- The applied version: family meta ---- */

#define JOURNAL_META_APPLIED_KEY "journal.applied"
/* Reads the applied version (0 when absent) at snap (NULL = latest). */
int journal_meta_applied_read(Storage *s, const StorageSnapshot *snap, CommitVersion *out,
                              DbError *err);

/* ---- Raft snapshot descriptors ---- */

#define JOURNAL_SNAPSHOT_FORMAT 1
#define JOURNAL_SNAPSHOT_KIND_LOCAL 1 /* the state is this node's own RocksDB */
#define JOURNAL_SNAPSHOT_BYTES 32

typedef struct JournalSnapshotDesc {
    CommitVersion applied; /* storage holds every entry up to here, durably */
    uint64_t node_id;      /* the node that took it */
    uint64_t taken_ms;
} JournalSnapshotDesc;

void journal_snapshot_encode(const JournalSnapshotDesc *d, uint8_t out[JOURNAL_SNAPSHOT_BYTES]);
int journal_snapshot_decode(const uint8_t *buf, size_t len, JournalSnapshotDesc *d, DbError *err);

/* Big-endian helpers shared by the codecs. */
void journal_put_be64(uint8_t *p, uint64_t v);
uint64_t journal_get_be64(const uint8_t *p);

/* ---- In-flight overlay (overlay.c) ---- */

/* Keys of entries proposed but not yet applied, with how many in-flight
 * entries touch each key per conflict kind.  Loop thread only. */
typedef struct JournalOverlay JournalOverlay;
typedef struct JournalOverlayCounts {
    uint32_t key_write, nonkey_write, key_share;
} JournalOverlayCounts;

JournalOverlay *journal_overlay_create(void);
void journal_overlay_destroy(JournalOverlay *ov);
void journal_overlay_add(JournalOverlay *ov, const JournalWriteSet *ws);
/* Undoes journal_overlay_add of the same write set. */
void journal_overlay_remove(JournalOverlay *ov, const JournalWriteSet *ws);
JournalOverlayCounts journal_overlay_get(const JournalOverlay *ov, const uint8_t *key,
                                         size_t key_len);
size_t journal_overlay_keys(const JournalOverlay *ov);

/* ---- Adjudicator (adjudicate.c) ---- */

/* Checks ws against the committed version records in storage (latest state)
 * and the in-flight overlay.  0 = no conflict; -1 with err = 40001 OC000 or
 * OC001, or a storage error.  Data conflicts win over schema conflicts. */
int journal_adjudicate(Storage *s, const JournalOverlay *ov, const JournalWriteSet *ws,
                       DbError *err);

/* ---- Apply (apply.c) ---- */

/* Writes one committed entry at version into storage as one batch (b is a
 * scratch batch): data puts/deletes, the version records of its checked
 * items, and the applied version in meta.  No fsync. */
int journal_apply_entry(Storage *s, StorageBatch *b, const uint8_t *entry, size_t len,
                        CommitVersion version, DbError *err);
