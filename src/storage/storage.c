/*
 * Storage (see storage.h): RocksDB 7.8 through its C API.
 *
 * Owns the rocksdb_t handle, its column-family handles, the shared block
 * cache and the options objects; all tuning lives in storage_tuning below.
 * A StorageBatch records operations in its own buffer (it is made without a
 * Storage, so it cannot hold family handles) and storage_write turns it into
 * one rocksdb_writebatch_t.  Snapshots are RocksDB snapshots, passed out as
 * an opaque type.  This file knows nothing about keys, versions or raft.
 *
 * Batch buffer layout (in memory only, native byte order), per operation:
 *   u8 op (1 put, 2 delete) | u8 family | u32 key_len | u32 value_len |
 *   key bytes | value bytes
 */
#include "storage/storage.h"

#include <rocksdb/c.h>
#include <stdlib.h>
#include <string.h>

/* Every tuning knob in one place.  The defaults suit a node hosting a few
 * clusters on a laptop or a small VM; a fleet-wide shared block cache is a
 * later change (one cache per Storage today). */
static const struct {
    size_t block_cache_bytes;
    double bloom_bits_per_key;
    size_t block_size_bytes;
    size_t write_buffer_bytes;
    int max_background_jobs;
    int max_open_files;
    int compression;
} storage_tuning = {
    .block_cache_bytes = 64u << 20,
    .bloom_bits_per_key = 10.0,
    .block_size_bytes = 16u << 10,
    .write_buffer_bytes = 32u << 20,
    .max_background_jobs = 2,
    .max_open_files = 1024,
    .compression = rocksdb_lz4_compression,
};

/* WAL recovery: replay up to the first damaged record and stop there (RocksDB's
 * kPointInTimeRecovery).  The raft log, not this WAL, is the durable record, so a
 * torn tail after a power loss is re-applied from the log. */
#define STORAGE_WAL_RECOVERY_POINT_IN_TIME 2

static const char *const storage_family_names[STORAGE_FAMILY_COUNT] = {"data", "versions", "meta"};

enum { STORAGE_OP_PUT = 1, STORAGE_OP_DELETE = 2 };

struct Storage {
    char *dir;
    rocksdb_t *db;
    rocksdb_options_t *options;
    rocksdb_block_based_table_options_t *table_options;
    rocksdb_cache_t *cache;
    rocksdb_column_family_handle_t *cf_default;
    rocksdb_column_family_handle_t *cf[STORAGE_FAMILY_COUNT];
    rocksdb_writeoptions_t *write_sync;
    rocksdb_writeoptions_t *write_nosync;
};

struct StorageBatch {
    StrBuf ops;
    size_t count;
};

struct StorageIter {
    rocksdb_iterator_t *it;
    rocksdb_readoptions_t *ro;
    uint8_t *lower, *upper; /* owned copies: RocksDB keeps pointers to them */
    size_t lower_len, upper_len;
};

/* Fills err from a RocksDB error string and frees the string.  RocksDB's
 * Status::ToString() starts with the status kind ("IO error: ...",
 * "Corruption: ..."). */
static int storage_error(DbError *err, char *rocks_msg, const char *what)
{
    const char *code = SQLSTATE_INTERNAL_ERROR;
    if (strncmp(rocks_msg, "IO error", 8) == 0)
        code = SQLSTATE_IO_ERROR;
    else if (strncmp(rocks_msg, "Corruption", 10) == 0)
        code = SQLSTATE_DATA_CORRUPTED;
    db_error_set(err, code, "%s", what);
    db_error_detail(err, "%s", rocks_msg);
    rocksdb_free(rocks_msg);
    return -1;
}

static void storage_free_handles(Storage *s)
{
    for (int i = 0; i < STORAGE_FAMILY_COUNT; i++)
        if (s->cf[i]) rocksdb_column_family_handle_destroy(s->cf[i]);
    if (s->cf_default) rocksdb_column_family_handle_destroy(s->cf_default);
    if (s->db) rocksdb_close(s->db);
    if (s->write_sync) rocksdb_writeoptions_destroy(s->write_sync);
    if (s->write_nosync) rocksdb_writeoptions_destroy(s->write_nosync);
    if (s->options) rocksdb_options_destroy(s->options);
    if (s->table_options) rocksdb_block_based_options_destroy(s->table_options);
    if (s->cache) rocksdb_cache_destroy(s->cache);
    free(s->dir);
    free(s);
}

static void storage_options_build(Storage *s)
{
    s->cache = rocksdb_cache_create_lru(storage_tuning.block_cache_bytes);
    s->table_options = rocksdb_block_based_options_create();
    rocksdb_block_based_options_set_block_cache(s->table_options, s->cache);
    rocksdb_block_based_options_set_block_size(s->table_options, storage_tuning.block_size_bytes);
    /* The table options take ownership of the policy. */
    rocksdb_block_based_options_set_filter_policy(
        s->table_options,
        rocksdb_filterpolicy_create_bloom_full(storage_tuning.bloom_bits_per_key));
    rocksdb_block_based_options_set_cache_index_and_filter_blocks(s->table_options, 1);
    rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(s->table_options, 1);
    rocksdb_block_based_options_set_format_version(s->table_options, 5);

    s->options = rocksdb_options_create();
    rocksdb_options_set_create_if_missing(s->options, 1);
    rocksdb_options_set_create_missing_column_families(s->options, 1);
    rocksdb_options_set_block_based_table_factory(s->options, s->table_options);
    rocksdb_options_set_compression(s->options, storage_tuning.compression);
    rocksdb_options_set_write_buffer_size(s->options, storage_tuning.write_buffer_bytes);
    rocksdb_options_set_max_background_jobs(s->options, storage_tuning.max_background_jobs);
    rocksdb_options_set_max_open_files(s->options, storage_tuning.max_open_files);
    rocksdb_options_set_level_compaction_dynamic_level_bytes(s->options, 1);
    rocksdb_options_set_wal_recovery_mode(s->options, STORAGE_WAL_RECOVERY_POINT_IN_TIME);
    rocksdb_options_set_info_log_level(s->options, 2 /* WARN: keep the LOG file small */);

    s->write_sync = rocksdb_writeoptions_create();
    rocksdb_writeoptions_set_sync(s->write_sync, 1);
    s->write_nosync = rocksdb_writeoptions_create();
    rocksdb_writeoptions_set_sync(s->write_nosync, 0);
}

int storage_open(const char *dir, Storage **out, DbError *err)
{
    *out = NULL;
    if (datadir_mkdir(dir, err) != 0) return -1;
    Storage *s = calloc(1, sizeof *s);
    if (!s) return db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
    s->dir = strdup(dir);
    storage_options_build(s);

    /* RocksDB refuses to open a database without naming every family it
     * holds, so open exactly default + ours (created when missing). */
    const char *names[STORAGE_FAMILY_COUNT + 1];
    const rocksdb_options_t *cf_options[STORAGE_FAMILY_COUNT + 1];
    rocksdb_column_family_handle_t *handles[STORAGE_FAMILY_COUNT + 1] = {0};
    names[0] = "default";
    cf_options[0] = s->options;
    for (int i = 0; i < STORAGE_FAMILY_COUNT; i++) {
        names[i + 1] = storage_family_names[i];
        cf_options[i + 1] = s->options;
    }
    char *rerr = NULL;
    s->db = rocksdb_open_column_families(s->options, dir, STORAGE_FAMILY_COUNT + 1, names,
                                         cf_options, handles, &rerr);
    if (rerr) {
        storage_error(err, rerr, "could not open the database");
        storage_free_handles(s);
        return -1;
    }
    s->cf_default = handles[0];
    for (int i = 0; i < STORAGE_FAMILY_COUNT; i++)
        s->cf[i] = handles[i + 1];
    *out = s;
    return 0;
}

void storage_close(Storage *s)
{
    if (s) storage_free_handles(s);
}

const char *storage_dir(const Storage *s)
{
    return s->dir;
}

/* ---- Batches ---- */

StorageBatch *storage_batch_create(void)
{
    StorageBatch *b = calloc(1, sizeof *b);
    if (!b) abort();
    strbuf_init(&b->ops);
    return b;
}

void storage_batch_destroy(StorageBatch *b)
{
    if (!b) return;
    strbuf_fini(&b->ops);
    free(b);
}

void storage_batch_clear(StorageBatch *b)
{
    strbuf_reset(&b->ops);
    b->count = 0;
}

static void storage_batch_add(StorageBatch *b, uint8_t op, StorageFamily family, const void *key,
                              size_t key_len, const void *value, size_t value_len)
{
    uint8_t head[10];
    uint32_t kl = (uint32_t)key_len, vl = (uint32_t)value_len;
    head[0] = op;
    head[1] = (uint8_t)family;
    memcpy(head + 2, &kl, 4);
    memcpy(head + 6, &vl, 4);
    strbuf_reserve(&b->ops, sizeof head + key_len + value_len);
    strbuf_append(&b->ops, head, sizeof head);
    strbuf_append(&b->ops, key, key_len);
    if (value_len) strbuf_append(&b->ops, value, value_len);
    b->count++;
}

void storage_batch_put(StorageBatch *b, StorageFamily family, const void *key, size_t key_len,
                       const void *value, size_t value_len)
{
    storage_batch_add(b, STORAGE_OP_PUT, family, key, key_len, value, value_len);
}

void storage_batch_delete(StorageBatch *b, StorageFamily family, const void *key, size_t key_len)
{
    storage_batch_add(b, STORAGE_OP_DELETE, family, key, key_len, NULL, 0);
}

size_t storage_batch_count(const StorageBatch *b)
{
    return b->count;
}

int storage_write(Storage *s, const StorageBatch *b, bool sync, DbError *err)
{
    rocksdb_writebatch_t *wb = rocksdb_writebatch_create();
    const uint8_t *p = (const uint8_t *)b->ops.data;
    const uint8_t *end = p + b->ops.len;
    while (p < end) {
        uint32_t kl, vl;
        uint8_t op = p[0];
        StorageFamily family = (StorageFamily)p[1];
        memcpy(&kl, p + 2, 4);
        memcpy(&vl, p + 6, 4);
        const char *key = (const char *)p + 10;
        const char *value = key + kl;
        if (op == STORAGE_OP_PUT)
            rocksdb_writebatch_put_cf(wb, s->cf[family], key, kl, value, vl);
        else
            rocksdb_writebatch_delete_cf(wb, s->cf[family], key, kl);
        p += 10 + (size_t)kl + vl;
    }
    char *rerr = NULL;
    rocksdb_write(s->db, sync ? s->write_sync : s->write_nosync, wb, &rerr);
    rocksdb_writebatch_destroy(wb);
    if (rerr) return storage_error(err, rerr, "could not write to the database");
    return 0;
}

/* ---- Snapshots and reads ---- */

const StorageSnapshot *storage_snapshot_take(Storage *s)
{
    return (const StorageSnapshot *)rocksdb_create_snapshot(s->db);
}

void storage_snapshot_release(Storage *s, const StorageSnapshot *snap)
{
    if (snap) rocksdb_release_snapshot(s->db, (const rocksdb_snapshot_t *)snap);
}

int storage_get(Storage *s, const StorageSnapshot *snap, StorageFamily family, const void *key,
                size_t key_len, StrBuf *value_out, bool *found, DbError *err)
{
    rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
    if (snap) rocksdb_readoptions_set_snapshot(ro, (const rocksdb_snapshot_t *)snap);
    char *rerr = NULL;
    rocksdb_pinnableslice_t *v =
        rocksdb_get_pinned_cf(s->db, ro, s->cf[family], key, key_len, &rerr);
    rocksdb_readoptions_destroy(ro);
    strbuf_reset(value_out);
    *found = false;
    if (rerr) return storage_error(err, rerr, "could not read from the database");
    if (v) {
        size_t len;
        const char *data = rocksdb_pinnableslice_value(v, &len);
        strbuf_append(value_out, data, len);
        *found = true;
        rocksdb_pinnableslice_destroy(v);
    }
    return 0;
}

/* ---- Iterators ---- */

static uint8_t *storage_copy_bytes(const void *p, size_t len)
{
    uint8_t *c = malloc(len ? len : 1);
    if (!c) abort();
    if (len) memcpy(c, p, len);
    return c;
}

StorageIter *storage_iter_create(Storage *s, const StorageSnapshot *snap, StorageFamily family,
                                 const void *lower, size_t lower_len, const void *upper,
                                 size_t upper_len)
{
    StorageIter *it = calloc(1, sizeof *it);
    if (!it) abort();
    it->ro = rocksdb_readoptions_create();
    if (snap) rocksdb_readoptions_set_snapshot(it->ro, (const rocksdb_snapshot_t *)snap);
    if (lower) {
        it->lower = storage_copy_bytes(lower, lower_len);
        it->lower_len = lower_len;
        rocksdb_readoptions_set_iterate_lower_bound(it->ro, (const char *)it->lower, lower_len);
    }
    if (upper) {
        it->upper = storage_copy_bytes(upper, upper_len);
        it->upper_len = upper_len;
        rocksdb_readoptions_set_iterate_upper_bound(it->ro, (const char *)it->upper, upper_len);
    }
    it->it = rocksdb_create_iterator_cf(s->db, it->ro, s->cf[family]);
    return it;
}

static int storage_key_cmp(const void *a, size_t al, const void *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return al < bl ? -1 : al > bl ? 1 : 0;
}

void storage_iter_seek_first(StorageIter *it)
{
    if (it->lower)
        rocksdb_iter_seek(it->it, (const char *)it->lower, it->lower_len);
    else
        rocksdb_iter_seek_to_first(it->it);
}

void storage_iter_seek_last(StorageIter *it)
{
    rocksdb_iter_seek_to_last(it->it);
}

void storage_iter_seek(StorageIter *it, const void *key, size_t key_len)
{
    if (it->lower && storage_key_cmp(key, key_len, it->lower, it->lower_len) < 0) {
        storage_iter_seek_first(it);
        return;
    }
    rocksdb_iter_seek(it->it, key, key_len);
}

bool storage_iter_valid(const StorageIter *it)
{
    return rocksdb_iter_valid(it->it) != 0;
}

void storage_iter_next(StorageIter *it)
{
    rocksdb_iter_next(it->it);
}

void storage_iter_prev(StorageIter *it)
{
    rocksdb_iter_prev(it->it);
}

const uint8_t *storage_iter_key(const StorageIter *it, size_t *len)
{
    return (const uint8_t *)rocksdb_iter_key(it->it, len);
}

const uint8_t *storage_iter_value(const StorageIter *it, size_t *len)
{
    return (const uint8_t *)rocksdb_iter_value(it->it, len);
}

int storage_iter_status(const StorageIter *it, DbError *err)
{
    char *rerr = NULL;
    rocksdb_iter_get_error(it->it, &rerr);
    if (rerr) return storage_error(err, rerr, "could not read from the database");
    return 0;
}

void storage_iter_destroy(StorageIter *it)
{
    if (!it) return;
    rocksdb_iter_destroy(it->it);
    rocksdb_readoptions_destroy(it->ro);
    free(it->lower);
    free(it->upper);
    free(it);
}

/* ---- Durability ---- */

int storage_flush_wal(Storage *s, bool sync, DbError *err)
{
    char *rerr = NULL;
    rocksdb_flush_wal(s->db, sync ? 1 : 0, &rerr);
    if (rerr) return storage_error(err, rerr, "could not flush the database log");
    return 0;
}

int storage_flush(Storage *s, DbError *err)
{
    rocksdb_flushoptions_t *fo = rocksdb_flushoptions_create();
    rocksdb_flushoptions_set_wait(fo, 1);
    char *rerr = NULL;
    for (int i = 0; i < STORAGE_FAMILY_COUNT && !rerr; i++)
        rocksdb_flush_cf(s->db, fo, s->cf[i], &rerr);
    rocksdb_flushoptions_destroy(fo);
    if (rerr) return storage_error(err, rerr, "could not flush the database");
    return 0;
}

int storage_checkpoint(Storage *s, const char *dir, DbError *err)
{
    char *rerr = NULL;
    rocksdb_checkpoint_t *cp = rocksdb_checkpoint_object_create(s->db, &rerr);
    if (rerr) return storage_error(err, rerr, "could not create a database checkpoint");
    /* log_size_for_flush 0: always flush the memtables first, so the copy
     * needs no WAL replay. */
    rocksdb_checkpoint_create(cp, dir, 0, &rerr);
    rocksdb_checkpoint_object_destroy(cp);
    if (rerr) return storage_error(err, rerr, "could not create a database checkpoint");
    return 0;
}
