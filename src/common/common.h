/*
 * The common room's public header: errors, memory contexts, buffers,
 * logging, limits, and small helpers used everywhere.  Nothing here depends
 * on any other room.
 */
#pragma once

#include "common/conf.h"
#include "common/datadir.h"
#include "common/error.h"
#include "common/limits.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/strbuf.h"
#include "common/version.h"

#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Monotonic and wall clocks. */
uint64_t clock_monotonic_ms(void);
int64_t clock_wall_seconds(void);

/* Lowercase base32 (RFC 4648 alphabet, lowercased) of random bytes: n chars. */
void random_base32(char *out, size_t n);
/* Lowercase hex of bytes; out must hold 2*len+1. */
void hex_encode(const unsigned char *bytes, size_t len, char *out);
