/*
 * Helpers shared by role.c, role_iam.c and role_priv.c (not a public
 * header): key building for the role objects, whole-object scans, small
 * big-endian value readers and the object-id counter.
 */
#pragma once

#include "catalog/role.h"
#include "catalog/rows.h"
#include "kv/kv.h"

/* Key elements; text and int8 elements never fail to encode. */
void catalog_key_text(StrBuf *key, const char *s);
void catalog_key_u32(StrBuf *key, uint32_t v);
/* Reads a key element written by the helpers above. */
int catalog_key_read_text(KvKeyReader *r, MemContext *cx, const char **out, DbError *err);
int catalog_key_read_u32(KvKeyReader *r, uint32_t *out, DbError *err);

/* Big-endian u32 at p[off], 0 past the end. */
uint32_t catalog_be32_at(const uint8_t *p, size_t len, size_t off);

/* Appends, one line each, the default privileges role owns or is granted
 * (role_default.c; DROP ROLE's DETAIL). */
int catalog_default_privileges_held(Txn *t, uint32_t role_oid, MemContext *cx, StrBuf *what,
                                    DbError *err);

/* The next object id from catalog.h's shared counter (roles and IAM
 * mappings share the oid space with relations, as in PostgreSQL). */
int catalog_oid_allocate(Txn *t, uint32_t *id, DbError *err);
