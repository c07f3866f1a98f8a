/*
 * Binary send/receive: PostgreSQL's exact binary wire formats (the *send and
 * *recv functions of pg_type) for the types Borealis supports, used by the
 * extended query protocol's binary parameter and result formats.
 *
 * Layouts (all integers big-endian):
 *   bool 1 byte (0/1; any non-zero reads as true)   int2/int4/int8, oid: 2/4/8/4 bytes
 *   float4/float8: IEEE 754 bits                     text family, bytea, json: raw bytes
 *   jsonb: version byte 1 + JSON text                "char": 1 byte (0 bytes for '')
 *   numeric: int16 ndigits, int16 weight, uint16 sign (0x0000 +, 0x4000 -, 0xC000 NaN,
 *            0xD000 +Inf, 0xF000 -Inf), uint16 dscale, ndigits × int16 base-10000 digits
 *   date int32 days since 2000-01-01; time, timestamp(tz) int64 µs; timetz int64 µs +
 *   int32 zone (seconds west); interval int64 µs, int32 days, int32 months; uuid 16 bytes.
 * This file does not know the wire protocol: callers frame the values.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/mem.h"
#include "common/strbuf.h"
#include "types/datum.h"

/* Whether values of type oid have a binary form here. */
bool type_binary_supported(uint32_t oid);

/* Appends the binary form of a non-NULL datum.  A type without one is
 * 42883 `no binary output function available for type %s`. */
int type_binary_send(const Datum *d, StrBuf *out, DbError *err);

/* Decodes the binary form of a value of type oid, as PostgreSQL's recv
 * function with typmod (-1 for Bind parameters).  *used is the number of
 * bytes read: PostgreSQL's caller reports bytes left over (`incorrect
 * binary data format in bind parameter 1`, 22P03).  Too few bytes: 08P01
 * `insufficient data left in message` (`no data left in message` for an
 * empty one-byte value); range and validity errors are the recv functions'
 * own (22008 `date out of range`, 22P03 `invalid digit in external
 * "numeric" value`, 22021 for bad UTF-8). */
int type_binary_recv(uint32_t oid, int32_t typmod, const uint8_t *data, size_t len, MemContext *cx,
                     Datum *out, size_t *used, DbError *err);
