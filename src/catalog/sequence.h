/*
 * Sequences: descriptors and the allocation state, rows in the keyspace.
 *
 *   20  sequence descriptors  key (20, schema text, name text) → SeqDesc bytes
 *   21  allocation state      key (21, sequence id)            → i64 next unallocated
 *
 * Values are handed out in blocks of CACHE by an autonomous transaction
 * (session/sequence.c), so nextval never rolls back, as in PostgreSQL.
 */
#pragma once

#include "catalog/catalog.h"

#define CATALOG_SEQUENCES_ID 20u
#define CATALOG_SEQ_STATE_ID 21u

typedef struct SeqDesc {
    uint32_t id;
    const char *schema;
    const char *name;
    int64_t increment, min_value, max_value, start, cache;
    bool cycle;
} SeqDesc;

int catalog_sequence_lookup(Txn *t, const char *schema, const char *name, MemContext *cx,
                            SeqDesc **out, bool *found, DbError *err);
/* Assigns desc->id; 42P07 when the name is taken. */
int catalog_sequence_create(Txn *t, SeqDesc *desc, DbError *err);
int catalog_sequence_drop(Txn *t, const SeqDesc *desc, DbError *err);
/* The allocation state: the next value no session holds (start if never used). */
int catalog_sequence_state_get(Txn *t, const SeqDesc *d, int64_t *next, DbError *err);
int catalog_sequence_state_put(Txn *t, const SeqDesc *d, int64_t next, DbError *err);
