/*
 * Private to the MySQL converter: its working state, shared by the driver
 * (mysql_convert.c: statements, identifiers, literals, expressions, notes)
 * and the CREATE TABLE reader and writer (mysql_table.c).
 *
 * A statement's tokens are read into toks; the reader walks them with pos.
 * Failures are values: a reader returns false after convert_fail() recorded
 * why, and the driver drops the statement with an error note.
 */
#pragma once

#include "tools/tools_int.h"

typedef struct ConvertCtx {
    MemContext *cx;
    const char *s; /* the MySQL input */
    int len;
    /* The statement being converted. */
    MyToken *toks;
    size_t n_toks, cap_toks, pos;
    bool failed;
    /* Output: statements in order, then deferred ones (foreign keys to
     * tables created later in the input). */
    StrBuf out, tail;
    ConvertNote *notes;
    size_t n_notes, cap_notes;
    int n_errors;
    /* Names: tables created anywhere in the input (pre-scan), tables
     * created so far, and relation names used (for index name clashes). */
    const char **all_tables, **done_tables, **relations;
    size_t n_all_tables, n_done_tables, n_relations;
    size_t cap_all_tables, cap_done_tables, cap_relations;
    bool warned_ci;
    int n_data_stmts, first_data_line;
} ConvertCtx;

/* Notes.  convert_fail marks the statement unconvertible (first reason
 * wins); convert_warn adds a warning. */
void convert_warn(ConvertCtx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool convert_fail(ConvertCtx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Token cursor over the current statement. */
const MyToken *convert_peek(ConvertCtx *c, size_t ahead);
const MyToken *convert_take(ConvertCtx *c);
bool convert_at(ConvertCtx *c, const char *word);     /* peek is word */
bool convert_accept(ConvertCtx *c, const char *word); /* take if word */
bool convert_expect(ConvertCtx *c, const char *word);
bool convert_at_end(ConvertCtx *c);
int convert_line(ConvertCtx *c); /* line of the next token */

/* Identifiers: a MySQL name (possibly db.name) read and written for
 * PostgreSQL (lower case, quoted when needed). */
bool convert_read_name(ConvertCtx *c, const char **out);
bool convert_read_qualified(ConvertCtx *c, const char **out);
const char *convert_ident(ConvertCtx *c, const char *mysql_name);
/* A string value as a PostgreSQL literal. */
const char *convert_literal(ConvertCtx *c, const char *value);
/* A parenthesised expression from the current '(' to its ')', rewritten for
 * PostgreSQL (without the outer parentheses); warns about MySQL-only
 * operators and functions.  what names it in warnings. */
bool convert_read_expr(ConvertCtx *c, const char *what, const char **out);
/* Skips a parenthesised group starting at the current '('. */
bool convert_skip_group(ConvertCtx *c);

/* Relation names: records name, or returns a new name <table>_<name> when it
 * is taken (with a warning). */
const char *convert_relation_name(ConvertCtx *c, const char *table, const char *name, int line);
bool convert_table_done(ConvertCtx *c, const char *name);
bool convert_table_later(ConvertCtx *c, const char *name);
void convert_names_add(ConvertCtx *c, const char ***list, size_t *n, size_t *cap, const char *name);

/* mysql_table.c */
bool convert_create_table(ConvertCtx *c);
bool convert_index_columns(ConvertCtx *c, const char *what, const char **cols, int *n_cols);

typedef struct ConvColumn {
    const char *name;        /* PostgreSQL identifier */
    const char *raw_name;    /* as MySQL wrote it */
    const char *type;        /* DSQL type */
    const char *check;       /* CHECK expression (ENUM, UNSIGNED), or NULL */
    const char *default_sql; /* DEFAULT expression, or NULL */
    const char *generated;   /* GENERATED ALWAYS AS (...) STORED expression, or NULL */
    const char *comment;     /* COMMENT value, or NULL */
    const char *user_check;  /* a column CHECK (...) written in MySQL */
    bool not_null, primary, unique, auto_increment, on_update;
    int line;
} ConvColumn;

/* Reads a column definition (name, type, attributes) up to ',' or ')'. */
bool convert_read_column(ConvertCtx *c, const char *table, ConvColumn *col);
/* The column for CREATE TABLE; start_with > 0 starts an identity there. */
const char *convert_column_sql(ConvertCtx *c, const ConvColumn *col, long long start_with);

typedef struct ConvForeignKey {
    const char *name; /* PostgreSQL identifier or NULL */
    const char *cols, *ref_table, *ref_table_raw, *ref_cols, *actions;
    int line;
} ConvForeignKey;

/* FOREIGN KEY [name] (cols) REFERENCES t (cols) [ON DELETE a] [ON UPDATE a],
 * from FOREIGN. */
bool convert_read_foreign_key(ConvertCtx *c, const char *name, ConvForeignKey *fk);
