/*
 * The exec room's public header: run an analyzed (and planned) query and
 * hand its rows to a ResultSink.
 *
 * exec evaluates expressions (eval.c), built-in functions (func.c) and, as
 * the engine grows, the operators of a plan.  It knows nothing of the wire
 * protocol: the session gives it a sink that encodes columns and rows.
 */
#pragma once

#include "analyze/analyze.h"
#include "txn/txn.h"

#define EXEC_MAX_NESTING 64 /* subquery depth */

/* Sequence functions, provided by the session (values are cached per
 * session and allocated outside the statement's transaction). */
typedef struct ExecSequences {
    int (*nextval)(void *arg, const char *name, int64_t *out, DbError *err);
    int (*currval)(void *arg, const char *name, int64_t *out, DbError *err);
    int (*setval)(void *arg, const char *name, int64_t value, bool is_called, DbError *err);
    int (*lastval)(void *arg, int64_t *out, DbError *err);
    void *arg;
} ExecSequences;

/* What evaluation needs to know about the session. */
typedef struct ExecContext {
    MemContext *cx; /* per-statement; per-row work may use a child */
    const char *current_user;
    const char *session_user;
    const char *database;
    const char *search_schema; /* first schema of search_path */
    int backend_pid;
    Txn *txn;                /* reads and writes of table rows */
    const Datum *agg_values; /* EXPR_AGGREF reads these while projecting */
    const Datum *params;     /* bind parameter values ($1 = params[0]) */
    size_t n_params;
    /* Rows of the enclosing queries while a subquery runs: outer[n_outer - 1]
     * is the row one level up (EXPR_COLUMN levels_up = 1). */
    const Datum *outer[EXEC_MAX_NESTING];
    int n_outer;
    int64_t txn_start_us; /* now(): the transaction's start (PostgreSQL epoch µs) */
    const ExecSequences *seq;
    /* Results of uncorrelated subqueries, computed once per statement. */
    struct ExecSubCache *sub_cache;
} ExecContext;

typedef struct ResultSink {
    /* Called once before any row, with the output columns. */
    int (*columns)(void *arg, const TargetEntry *targets, size_t n, DbError *err);
    int (*row)(void *arg, const Datum *values, size_t n, DbError *err);
    void *arg;
} ResultSink;

/* Runs a query; *rows is the command tag's count (rows returned, inserted,
 * updated or deleted). */
int exec_query(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows, DbError *err);
/* CREATE TABLE / DROP TABLE through the catalog. */
int exec_create_table(ExecContext *ec, TableDesc *desc, DbError *err);

/* Table rows (row.c): the full column array of a row ↔ key and value. */
int exec_row_key(const TableDesc *t, const Datum *row, StrBuf *key, DbError *err);
int exec_row_decode(ExecContext *ec, const TableDesc *t, const uint8_t *key, size_t key_len,
                    const uint8_t *value, size_t value_len, Datum *row, DbError *err);
/* Writes a row: NOT NULL, key and size checks, then the buffered put.
 * insert: a row with the same key must not exist (23505). */
int exec_row_write(ExecContext *ec, const TableDesc *t, const Datum *row, bool insert,
                   bool key_columns_changed, Expr *const *checks, DbError *err);
/* Writes a row under a known key (an UPDATE keeping its key, a table's
 * hidden row id), after NOT NULL and CHECK. */
int exec_row_write_at(ExecContext *ec, const TableDesc *t, const Datum *row, const void *key,
                      size_t key_len, JournalConflictKind kind, Expr *const *checks, DbError *err);
/* Calls fn for every row of the table visible to the transaction. */
typedef int (*ExecRowFn)(void *arg, const uint8_t *key, size_t key_len, Datum *row, DbError *err);
int exec_table_scan(ExecContext *ec, const TableDesc *t, ExecRowFn fn, void *arg, DbError *err);
/* 53200 once the statement holds more than LIMIT_QUERY_MEMORY_BYTES;
 * call once per row produced with a counter starting at 0. */
int exec_memory_check(ExecContext *ec, uint64_t *seen, DbError *err);

/* A row of a query's FROM, with the key of its table row when the query
 * reads one table (for FOR UPDATE, UPDATE and DELETE). */
typedef struct ExecRow {
    Datum *values;
    const uint8_t *key;
    size_t key_len;
} ExecRow;
typedef int (*ExecInputFn)(void *arg, const ExecRow *row, DbError *err); /* 1 = stop */

/* from.c: every row of q's FROM (joins done) that passes WHERE. */
int exec_from(ExecContext *ec, const Query *q, ExecInputFn fn, void *arg, DbError *err);

/* select.c: a SELECT's output rows, ordered and limited, each n_targets
 * values (then the sort values). */
typedef struct ExecRows {
    Datum **rows;
    size_t n, cap;
} ExecRows;
int exec_select_rows(ExecContext *ec, const Query *q, ExecRows *out, DbError *err);
void exec_rows_add(ExecContext *ec, ExecRows *rows, Datum *row);
/* A key of values for equality (grouping, DISTINCT, set operations). */
int exec_values_key(const Datum *values, size_t n, StrBuf *key, DbError *err);

/* dml.c */
int exec_insert(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows, DbError *err);
int exec_update_delete(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows,
                       DbError *err);

/* subquery.c: EXPR_SUBLINK for the current row. */
int exec_sublink(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err);
int exec_eval(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err);
int exec_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err);
/* datefunc.c: extract, date_part, date_trunc. */
int exec_date_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err);
/* mathfunc.c: sqrt, exp, ln, log, power, floor, ceil, round, trunc, sign,
 * pi, degrees, radians (double precision) and round(numeric [, scale]). */
int exec_math_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err);
/* strfunc.c: string and time functions. */
int exec_func_more(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err);
