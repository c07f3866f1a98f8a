/*
 * The storage room's public header: one RocksDB database behind a small API.
 * This is the only place in Borealis that includes rocksdb/c.h.
 *
 * A Storage is one directory holding three column families ("families"):
 * data (table rows, index entries, catalog rows: opaque bytes from kv/),
 * versions (the journal's per-key conflict records) and meta (the journal's
 * applied version and similar bookkeeping).  Writes are atomic batches
 * across families; reads go to the latest state or to a snapshot.
 *
 * Thread safety: a Storage and its snapshots may be used from any number of
 * threads at once.  A StorageBatch or StorageIter belongs to one thread.
 * Errors fill a DbError: 58030 (io_error) for I/O failures, XX001 for
 * corruption, XX000 otherwise, with RocksDB's own message in DETAIL.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

typedef struct Storage Storage;
typedef struct StorageBatch StorageBatch;
typedef struct StorageIter StorageIter;
/* A consistent read view; valid until storage_snapshot_release. */
typedef struct StorageSnapshot StorageSnapshot;

typedef enum StorageFamily {
    STORAGE_DATA = 0, /* rows, index entries, catalog rows */
    STORAGE_VERSIONS, /* conflict records (journal/) */
    STORAGE_META,     /* applied version and other bookkeeping (journal/) */
} StorageFamily;
#define STORAGE_FAMILY_COUNT 3

/* Opens (creating if needed, parents included) the database in dir. */
int storage_open(const char *dir, Storage **out, DbError *err);
/* Closes the database.  Every snapshot and iterator must be gone. */
void storage_close(Storage *s);
const char *storage_dir(const Storage *s);

/* ---- Write batches: applied all or nothing by storage_write ---- */
StorageBatch *storage_batch_create(void);
void storage_batch_destroy(StorageBatch *b);
/* Empties the batch for reuse. */
void storage_batch_clear(StorageBatch *b);
/* Operations are copied into the batch; they apply in the order added. */
void storage_batch_put(StorageBatch *b, StorageFamily family, const void *key, size_t key_len,
                       const void *value, size_t value_len);
void storage_batch_delete(StorageBatch *b, StorageFamily family, const void *key, size_t key_len);
size_t storage_batch_count(const StorageBatch *b);
/* sync = fsync the RocksDB write-ahead log before returning. */
int storage_write(Storage *s, const StorageBatch *b, bool sync, DbError *err);

/* ---- Snapshots ---- */
const StorageSnapshot *storage_snapshot_take(Storage *s);
void storage_snapshot_release(Storage *s, const StorageSnapshot *snap);

/* ---- Point reads.  snap NULL = the latest committed state. ---- */
/* On success *found tells whether the key exists; value_out is replaced by
 * the value (left empty when not found). */
int storage_get(Storage *s, const StorageSnapshot *snap, StorageFamily family, const void *key,
                size_t key_len, StrBuf *value_out, bool *found, DbError *err);

/* ---- Range iteration over [lower, upper), in memcmp key order ---- */
/* lower NULL = from the first key; upper NULL = to the last key.  The
 * bounds are copied.  The iterator starts unpositioned: call a seek first. */
StorageIter *storage_iter_create(Storage *s, const StorageSnapshot *snap, StorageFamily family,
                                 const void *lower, size_t lower_len, const void *upper,
                                 size_t upper_len);
void storage_iter_seek_first(StorageIter *it);
void storage_iter_seek_last(StorageIter *it);
/* Positions at the first key >= key (clamped to the range). */
void storage_iter_seek(StorageIter *it, const void *key, size_t key_len);
bool storage_iter_valid(const StorageIter *it);
void storage_iter_next(StorageIter *it);
void storage_iter_prev(StorageIter *it);
/* Key and value of the current entry: valid until the iterator moves. */
const uint8_t *storage_iter_key(const StorageIter *it, size_t *len);
const uint8_t *storage_iter_value(const StorageIter *it, size_t *len);
/* After storage_iter_valid returned false: 0 if the range simply ended,
 * -1 (and err filled) if iteration stopped on an error. */
int storage_iter_status(const StorageIter *it, DbError *err);
void storage_iter_destroy(StorageIter *it);

/* ---- Durability and copies ---- */
/* Writes the RocksDB write-ahead log buffer out; sync = fsync it too. */
int storage_flush_wal(Storage *s, bool sync, DbError *err);
/* Flushes every family's memtable to SST files and waits. */
int storage_flush(Storage *s, DbError *err);
/* A consistent copy of the database in dir (which must not exist), made of
 * hard links where possible. */
int storage_checkpoint(Storage *s, const char *dir, DbError *err);
