/*
 * DbError construction and the SQLSTATE name table.  See error.h.
 */
#include "common/error.h"

#include <stdio.h>
#include <string.h>

typedef struct SqlstateName {
    const char *code;
    const char *name;
} SqlstateName;

static const SqlstateName sqlstate_names[] = {
#include "sqlstate_table.inc"
};

void db_error_clear(DbError *err)
{
    memset(err, 0, sizeof *err);
}

bool db_error_is_set(const DbError *err)
{
    return err->sqlstate[0] != '\0';
}

int db_error_setv(DbError *err, const char *sqlstate, const char *fmt, va_list ap)
{
    db_error_clear(err);
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", sqlstate);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return -1;
}

int db_error_set(DbError *err, const char *sqlstate, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    db_error_setv(err, sqlstate, fmt, ap);
    va_end(ap);
    return -1;
}

int db_error_fatal(DbError *err, const char *sqlstate, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    db_error_setv(err, sqlstate, fmt, ap);
    va_end(ap);
    err->severity = DB_SEVERITY_FATAL;
    return -1;
}

void db_error_detail(DbError *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

void db_error_hint(DbError *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

const char *db_sqlstate_name(const char *sqlstate)
{
    for (size_t i = 0; i < sizeof sqlstate_names / sizeof sqlstate_names[0]; i++)
        if (strcmp(sqlstate_names[i].code, sqlstate) == 0) return sqlstate_names[i].name;
    return NULL;
}

const char *db_severity_name(DbSeverity severity)
{
    switch (severity) {
    case DB_SEVERITY_ERROR:
        return "ERROR";
    case DB_SEVERITY_FATAL:
        return "FATAL";
    case DB_SEVERITY_WARNING:
        return "WARNING";
    case DB_SEVERITY_NOTICE:
        return "NOTICE";
    }
    return "ERROR";
}
