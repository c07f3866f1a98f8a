/*
 * The txn room's public header: one transaction's snapshot, its buffered
 * writes with read-your-writes, statement-level atomicity, DSQL's limits,
 * and the commit request to the journal.
 *
 * A transaction reads at one snapshot (taken at its first statement) plus
 * its own buffer; writes stay in the buffer until COMMIT, when the whole
 * write set goes to journal_commit() for adjudication.  Read-only
 * transactions never reach the journal.  Commit versions are opaque here.
 */
#pragma once

#include "common/common.h"
#include "journal/journal.h"
#include "storage/storage.h"

typedef struct Txn Txn;

/* How a buffered key takes part in conflict detection (journal's kinds). */
typedef JournalConflictKind TxnKind;

Txn *txn_begin(Journal *journal, Storage *storage, bool read_only, DbError *err);
/* Ends the transaction without writing anything and frees it. */
void txn_abort(Txn *t);
/* Sends the write set to the journal (if any) and frees the transaction
 * whatever the outcome.  Fails with 40001 (OC000/OC001) or a limit error. */
int txn_commit(Txn *t, DbError *err);

bool txn_is_read_only(const Txn *t);
bool txn_has_writes(const Txn *t);

/* Statement atomicity: a failed statement undoes its own buffered writes. */
void txn_statement_begin(Txn *t);
void txn_statement_rollback(Txn *t);
/* Checks the 300 s age limit; called at every statement and at commit. */
int txn_check_age(Txn *t, DbError *err);

/* Point read at the snapshot, seeing the transaction's own writes. */
int txn_get(Txn *t, const void *key, size_t key_len, StrBuf *value, bool *found, DbError *err);

/* Buffered writes.  counts_as_row: the key is a table row (DSQL's 3,000-row
 * limit counts rows, not index entries).  Fails with 54000 when a limit is
 * crossed; the caller then aborts the transaction. */
int txn_put(Txn *t, const void *key, size_t key_len, const void *value, size_t value_len,
            TxnKind kind, bool counts_as_row, DbError *err);
int txn_delete(Txn *t, const void *key, size_t key_len, TxnKind kind, bool counts_as_row,
               DbError *err);
/* Adds a key checked at commit but not written: FOR UPDATE / FOR KEY SHARE
 * rows and the catalog descriptors the transaction used (SCHEMA_READ). */
int txn_check_key(Txn *t, const void *key, size_t key_len, TxnKind kind, bool counts_as_row,
                  DbError *err);

/* Range scan [lower, upper) over snapshot + buffer, in key order. */
typedef struct TxnIter TxnIter;
TxnIter *txn_iter_create(Txn *t, const void *lower, size_t lower_len, const void *upper,
                         size_t upper_len);
/* Moves to the next visible key; returns 1 when positioned, 0 at the end,
 * -1 on error. */
int txn_iter_next(TxnIter *it, DbError *err);
const uint8_t *txn_iter_key(const TxnIter *it, size_t *len);
const uint8_t *txn_iter_value(const TxnIter *it, size_t *len);
void txn_iter_destroy(TxnIter *it);
