/*
 * Named limits on everything that grows with outside input.  Values that
 * DSQL documents are DSQL's (spec §8); the rest are Borealis's own bounds.
 */
#pragma once

/* Wire protocol. */
#define LIMIT_STARTUP_PACKET_BYTES 10000       /* as PostgreSQL's MAX_STARTUP_PACKET_LENGTH */
#define LIMIT_MESSAGE_BYTES (10 * 1024 * 1024) /* DSQL: 10 MiB, 08P01 otherwise */
#define LIMIT_STARTUP_PARAMS 64
#define LIMIT_PASSWORD_BYTES 8192 /* a presigned token is ~1 KB */

/* Tokens. */
#define LIMIT_TOKEN_EXPIRES_SECONDS 604800 /* one week, as DSQL */
#define LIMIT_TOKEN_DEFAULT_EXPIRES_SECONDS 900
#define LIMIT_TOKEN_CLOCK_SKEW_SECONDS 300 /* only for X-Amz-Date in the future */

/* Transactions (DSQL quotas). */
#define LIMIT_TXN_ROWS 3000
#define LIMIT_TXN_BYTES (10 * 1024 * 1024)
#define LIMIT_TXN_AGE_SECONDS 300

/* Memory one statement may hold (checked as rows are read). */
#define LIMIT_QUERY_MEMORY_BYTES (1024L * 1024 * 1024)

/* Identifiers: PostgreSQL's NAMEDATALEN - 1. */
#define LIMIT_IDENTIFIER_BYTES 63

/* Extended query protocol: objects a connection may hold at once. */
#define LIMIT_PREPARED_STATEMENTS 10000
#define LIMIT_PORTALS 10000
