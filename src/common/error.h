/*
 * DbError: an error as a value, with PostgreSQL's ErrorResponse fields.
 *
 * A fallible function returns int (0 = ok, -1 = failed) and fills the DbError
 * its caller passed.  The fields are fixed-size buffers so that filling an
 * error never allocates and never fails; over-long text is truncated.
 * SQLSTATE codes come from the generated table (sqlstate_codes.h, made from
 * sqlstates.txt).  This file does not decide how errors reach the client:
 * wire/ encodes them.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

#include "sqlstate_codes.h"

#define DB_ERROR_MESSAGE_MAX 1024
#define DB_ERROR_FIELD_MAX 256

typedef enum DbSeverity {
    DB_SEVERITY_ERROR = 0, /* the statement fails, the session goes on */
    DB_SEVERITY_FATAL,     /* the connection is closed after sending it */
    DB_SEVERITY_WARNING,
    DB_SEVERITY_NOTICE,
} DbSeverity;

typedef struct DbError {
    char sqlstate[6];
    DbSeverity severity;
    char message[DB_ERROR_MESSAGE_MAX];
    char detail[DB_ERROR_MESSAGE_MAX];
    char hint[DB_ERROR_FIELD_MAX];
    int position; /* 1-based character offset into the query, 0 = none */
    char schema_name[DB_ERROR_FIELD_MAX];
    char table_name[DB_ERROR_FIELD_MAX];
    char column_name[DB_ERROR_FIELD_MAX];
    char constraint_name[DB_ERROR_FIELD_MAX];
} DbError;

/* Clears every field: an empty sqlstate means "no error". */
void db_error_clear(DbError *err);
bool db_error_is_set(const DbError *err);

/* Sets sqlstate and message (printf-style); clears the other fields.  Returns
 * -1 so that `return db_error_set(...)` reads naturally. */
int db_error_set(DbError *err, const char *sqlstate, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int db_error_setv(DbError *err, const char *sqlstate, const char *fmt, va_list ap);
/* Same, with severity FATAL. */
int db_error_fatal(DbError *err, const char *sqlstate, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void db_error_detail(DbError *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void db_error_hint(DbError *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The PostgreSQL condition name of a SQLSTATE ("unique_violation"), or NULL. */
const char *db_sqlstate_name(const char *sqlstate);
/* "ERROR", "FATAL", ... as sent in the S and V fields. */
const char *db_severity_name(DbSeverity severity);
