/*
 * COPY's options and its text and CSV formats (copy_format.c), shared with
 * the protocol side of COPY (copy.c).  Private to session/.
 */
#pragma once

#include "session/session_int.h"

typedef struct CopyOptions {
    bool csv;
    char delim;
    const char *null_str;
    size_t null_len;
    char quote;
    char escape;
    bool header;
} CopyOptions;

/* Reads COPY's option list (PostgreSQL's ProcessCopyOptions checks and
 * errors).  *location is the offending option's byte offset in the query
 * for the errors PostgreSQL reports with a position, else -1. */
int session_copy_options(const PgQuery__CopyStmt *cs, CopyOptions *o, int *location, DbError *err);

/* Finds the end of the next record in data[0..len): the offset of its line
 * end (\n), or -1 when the record is not complete yet. */
long session_copy_record_end(const CopyOptions *o, const char *data, size_t len);

/* Splits one record (without its line end) into fields, de-escaped into cx;
 * NULL fields have values[i] == NULL.  Errors: 22P04 `unterminated CSV
 * quoted field`, and *n_fields may exceed max (the caller's 22P04). */
int session_copy_fields(const CopyOptions *o, const char *rec, size_t len, MemContext *cx,
                        const char **values, size_t *lens, size_t max, size_t *n_fields,
                        DbError *err);

/* Appends one field's output form (value NULL: the NULL string); single is
 * true when the row has one column (CSV quotes a lone \. then). */
void session_copy_field_out(const CopyOptions *o, const char *value, size_t len, bool single,
                            StrBuf *out);
