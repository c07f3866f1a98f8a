/*
 * The tools room's public header: the DSQL linter and the MySQL-to-DSQL
 * converter, as subcommands of the borealis binary and as library calls for
 * the MCP server.
 *
 * Both are clients: they read SQL text and write SQL text, diagnostics and
 * JSON; they never call into server rooms.  The linter stands on the parse
 * room (PostgreSQL's grammar plus DSQL's syntax); the converter carries its
 * own small MySQL DDL reader.  Results live in the caller's MemContext.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/common.h"

/* ---- borealis lint / borealis convert ---- */

/* Exit codes: 0 clean, 1 errors found (lint) or unfixable errors left (--fix),
 * 2 usage or I/O error, 3 (--fix) everything fixed but some fixes need review. */
int tools_lint_main(int argc, char **argv);
/* Exit codes: 0 converted (warnings may be on stderr), 1 some statements could
 * not be converted, 2 usage or I/O error. */
int tools_convert_main(int argc, char **argv);

/* ---- the linter ---- */

#define TOOLS_LINT_MAX_INPUT_BYTES (1000 * 1000 * 4) /* the MCP tool takes 1,000,000 chars */

typedef enum LintSeverity {
    LINT_SEVERITY_ERROR = 0, /* DSQL refuses the statement */
    LINT_SEVERITY_WARNING,   /* DSQL runs it, but it does not do what it seems to */
} LintSeverity;

typedef enum LintFixStatus {
    LINT_FIX_FIXED = 0,    /* a safe mechanical rewrite exists */
    LINT_FIX_WITH_WARNING, /* rewritten, but behaviour changes: review */
    LINT_FIX_UNFIXABLE,    /* needs a person */
} LintFixStatus;

typedef struct LintDiag {
    const char *rule; /* stable id: "serial_type", "index_async", ... */
    LintSeverity severity;
    int offset;             /* byte offset in the input */
    int line;               /* 1-based */
    int column;             /* 1-based, in characters */
    const char *message;    /* DSQL's own error text where DSQL has one */
    const char *suggestion; /* what to do instead */
    const char *statement_preview;
    LintFixStatus fix_status;
    const char *fix_detail; /* what --fix does; NULL when unfixable */
} LintDiag;

typedef struct LintResult {
    size_t n_diags;
    LintDiag *diags; /* in input order */
    char *fixed_sql; /* the rewritten input when fix was asked, else NULL */
    /* Disjoint counts (see docs/tools/lint.md): without fix, errors and
     * warnings count severities and fixed is 0; with fix, errors count what
     * is left unfixable, warnings the fixes to review, fixed the safe fixes. */
    int n_errors, n_warnings, n_fixed;
} LintResult;

/* Lints sql (NUL-terminated, UTF-8).  Syntax errors are findings (rule
 * parse_error), not failures: the call fails only on input it will not read
 * (too large: 54000).  Everything lives in cx. */
int tools_lint_sql(const char *sql, bool fix, MemContext *cx, LintResult *out, DbError *err);

/* The process exit code the CLI gives for a result (see tools_lint_main). */
int tools_lint_exit_code(const LintResult *r, bool fix);

/* JSON in dsql-lint's shape (schema_version 1):
 * {"schema_version":1,"files":[{"file":..,"diagnostics":[..],"error":null,
 *  "output_file":null,"fixed_sql":..}],"summary":{"errors":..,"warnings":..,"fixed":..}}
 * file is the name shown ("<stdin>" for standard input). */
void tools_lint_render_json(const LintResult *r, const char *file, bool fix, StrBuf *out);
/* Human-readable findings, one "file:line:col: severity: message [rule]"
 * block each, and a closing count line when there are findings. */
void tools_lint_render_text(const LintResult *r, const char *file, bool fix, StrBuf *out);

/* Appends s as a JSON string literal (quotes included, RFC 8259 escapes;
 * invalid UTF-8 bytes become U+FFFD). */
void tools_json_append_string(StrBuf *out, const char *s);

/* ---- MySQL to DSQL ---- */

#define TOOLS_CONVERT_MAX_INPUT_BYTES (16 * 1024 * 1024)

typedef struct ConvertNote {
    int line;   /* 1-based line in the MySQL input */
    bool error; /* true: the statement was not converted */
    const char *message;
} ConvertNote;

typedef struct ConvertResult {
    char *sql; /* DSQL DDL, one statement per transaction, ';'-terminated */
    size_t n_notes;
    ConvertNote *notes; /* warnings and errors, in input order */
    int n_errors;
} ConvertResult;

/* Converts MySQL DDL (CREATE TABLE, CREATE INDEX, DROP TABLE/INDEX, simple
 * ALTER TABLE) to DSQL DDL.  What cannot be converted becomes an error note
 * with its line and the rest goes on; the call fails only on input it will
 * not read (too large: 54000). */
int tools_convert_mysql(const char *mysql, MemContext *cx, ConvertResult *out, DbError *err);
