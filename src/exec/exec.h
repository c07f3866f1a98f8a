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

/* What evaluation needs to know about the session. */
typedef struct ExecContext {
    MemContext *cx; /* per-statement; per-row work may use a child */
    const char *current_user;
    const char *session_user;
    const char *database;
    const char *search_schema; /* first schema of search_path */
    int backend_pid;
} ExecContext;

typedef struct ResultSink {
    /* Called once before any row, with the output columns. */
    int (*columns)(void *arg, const TargetEntry *targets, size_t n, DbError *err);
    int (*row)(void *arg, const Datum *values, size_t n, DbError *err);
    void *arg;
} ResultSink;

int exec_query(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows, DbError *err);
int exec_eval(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err);
int exec_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err);
