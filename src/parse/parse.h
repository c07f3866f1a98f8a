/*
 * The parse room's public header: SQL text → statements.
 *
 * PostgreSQL's own grammar (libpg_query, PostgreSQL 15) does the parsing.
 * Before it, a pre-pass (prepass.c) rewrites what that grammar does not know
 * — PostgreSQL 16 numeric literals (0x1F, 0o17, 0b101, 1_000) and DSQL's
 * CREATE INDEX ASYNC — and lifts out DSQL statements it cannot parse at all
 * (AWS IAM GRANT/REVOKE), keeping a position map so that every location and
 * error position refers to the text the client sent.
 *
 * The protobuf tree is unpacked into the caller's MemContext and lives as
 * long as it; nothing here frees piece by piece.  libpg_query is never torn
 * down (pg_query_exit on a worker thread double-frees).
 */
#pragma once

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>

#include "common/common.h"

typedef enum ParseDsqlKind {
    PARSE_DSQL_NONE = 0,   /* a PostgreSQL statement: see node */
    PARSE_DSQL_IAM_GRANT,  /* AWS IAM GRANT role TO 'arn' */
    PARSE_DSQL_IAM_REVOKE, /* AWS IAM REVOKE role FROM 'arn' */
} ParseDsqlKind;

#define PARSE_FLAG_INDEX_ASYNC 0x1u /* CREATE INDEX ASYNC */

typedef struct ParsedStmt {
    PgQuery__Node *node; /* NULL for DSQL statements */
    ParseDsqlKind dsql;
    unsigned flags;
    int location; /* byte offset of the statement in the original text */
    int length;   /* bytes, without the terminating ';' */
    const char *text;
    /* AWS IAM GRANT/REVOKE */
    const char *iam_role;
    const char *iam_arn;
} ParsedStmt;

typedef struct ParseResult {
    size_t n_stmts;
    ParsedStmt *stmts;
} ParseResult;

/* Parses every statement of sql (a simple-query string may hold many).  On a
 * syntax error nothing is returned, as in PostgreSQL, and err carries 42601
 * with the position in the original text. */
int parse_sql(MemContext *cx, const char *sql, ParseResult *out, DbError *err);

/* The name of a node's kind ("select_stmt"), for messages and logs. */
const char *parse_node_kind_name(const PgQuery__Node *node);

/* ---- pre-pass (prepass.c), exposed for tests ---- */

typedef struct ParseEdit {
    int orig_start, orig_end; /* replaced range in the original text */
    int new_start, new_end;   /* its replacement in the rewritten text */
} ParseEdit;

typedef struct ParsePrepass {
    char *text; /* rewritten text, NUL-terminated, in cx */
    size_t n_edits;
    ParseEdit *edits;
} ParsePrepass;

/* Rewrites PostgreSQL 16 numeric literals to forms the PostgreSQL 15 grammar
 * reads the same way.  Fails (22P02/42601) on a malformed literal. */
int parse_prepass_literals(MemContext *cx, const char *sql, ParsePrepass *out, DbError *err);
/* Maps a byte offset in the rewritten text back to the original text. */
int parse_prepass_map(const ParsePrepass *pp, int rewritten_offset);

/* deparse.c: an expression tree to SQL text and back (for stored DEFAULT
 * and CHECK expressions).  Locations in a re-parsed tree are relative to
 * "SELECT " + text. */
int parse_deparse_expr(MemContext *cx, PgQuery__Node *expr, char **out, DbError *err);
int parse_expr(MemContext *cx, const char *text, PgQuery__Node **out, DbError *err);
