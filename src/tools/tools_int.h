/*
 * Private to the tools room: the SQL token reader the linter uses to find
 * clause spans in the client's text, the linter's working state, and the
 * helpers the rule files share.
 *
 * Rule files (lint_table.c, lint_ddl.c, lint_stmt.c) only look at trees and
 * text and call lint_report / lint_edit_*; lint.c owns parsing, statement
 * order and transaction tracking; lint_fix.c applies edits; lint_output.c
 * renders.
 */
#pragma once

#include <stdio.h>

#include "parse/parse.h"
#include "tools/tools.h"

/* ---- lint_lex.c: PostgreSQL tokens over the original text ---- */

typedef enum LexKind {
    LEX_EOF = 0,
    LEX_WORD,   /* identifier or keyword */
    LEX_QIDENT, /* "quoted identifier" */
    LEX_STRING, /* '...', E'...', $tag$...$tag$, B'..', X'..', N'..' */
    LEX_NUMBER,
    LEX_PARAM, /* $1 */
    LEX_PUNCT, /* one of ( ) [ ] , ; . : */
    LEX_OP,    /* operator characters */
} LexKind;

typedef struct LexToken {
    LexKind kind;
    int start, end; /* byte offsets, end exclusive */
} LexToken;

/* Reads the token at or after pos (skipping blanks and comments) within
 * [0, len).  An unterminated string or comment runs to len. */
void lint_lex_next(const char *s, int len, int pos, LexToken *t);
/* Case-insensitive keyword test for LEX_WORD tokens, exact for punctuation. */
bool lint_tok_is(const char *s, const LexToken *t, const char *word);
/* The end of the parenthesised group whose '(' token starts at open_pos
 * (offset just after the matching ')'), or len if unbalanced. */
int lint_lex_skip_group(const char *s, int len, int open_pos);
/* The first token at paren depth 0 in [from, to) that is word, or -1. */
int lint_lex_find_word(const char *s, int from, int to, const char *word);
/* The end of a column's type written at pos: words, dotted names, (...)
 * modifiers, [] bounds and ARRAY, stopping at a column-constraint keyword,
 * ',' or ')' at depth 0. */
int lint_lex_type_end(const char *s, int len, int pos);
/* The end of the token starting at pos. */
int lint_lex_token_end(const char *s, int len, int pos);

/* ---- lint.c: state ---- */

typedef struct LintEdit {
    int start, end;   /* replaced byte range of the input */
    const char *text; /* replacement */
    size_t seq;       /* order of creation, to keep insertions stable */
} LintEdit;

typedef enum LintTxnClass {
    LINT_TXN_NONE = 0, /* utility, reads */
    LINT_TXN_DDL,
    LINT_TXN_DML,
} LintTxnClass;

typedef struct LintCtx {
    MemContext *cx;
    const char *sql; /* the whole input */
    int sql_len;
    bool fix;
    /* The chunk being linted (the whole input, or one statement after a
     * syntax error elsewhere): node locations are chunk offsets in the
     * pre-pass text, mapped through pp and shifted by base. */
    int base;
    ParsePrepass pp;
    /* The statement being linted, in input offsets. */
    const ParsedStmt *stmt;
    int stmt_start, stmt_end;
    bool stmt_async_alter; /* ALTER TABLE ASYNC (blanked before parsing) */
    /* Findings and edits. */
    LintDiag *diags;
    size_t n_diags, cap_diags;
    LintEdit *edits;
    size_t n_edits, cap_edits;
    size_t edit_mark; /* first edit of the finding being built */
    /* Type names created by CREATE TYPE in this input. */
    const char **user_types;
    size_t n_user_types, cap_user_types;
    /* Transaction block tracking (see lint_txn_*). */
    bool in_block;
    int block_ddl, block_dml; /* statements of each class in the current segment */
} LintCtx;

/* Maps a node location (chunk pre-pass offset) to an input offset, or the
 * statement start when the node has none (-1). */
int lint_loc(const LintCtx *lc, int location);

/* Adds a finding at input offset `offset`.  message is DSQL's error text
 * where DSQL has one.  The finding starts unfixable; lint_fix_set makes it
 * fixed once its edits are in. */
LintDiag *lint_report(LintCtx *lc, const char *rule, int offset, const char *message,
                      const char *suggestion);
/* Begins the edits of the finding just reported. */
void lint_edit_begin(LintCtx *lc);
void lint_edit_add(LintCtx *lc, int start, int end, const char *text);
/* Removes the token at pos and the blanks after it. */
void lint_edit_remove_token(LintCtx *lc, int pos);
/* Removes [start, end) and the blanks after it. */
void lint_edit_remove_span(LintCtx *lc, int start, int end);
/* Removes the whole current statement with its ';' and line end. */
void lint_edit_remove_stmt(LintCtx *lc);
/* Removes a clause [start, end) with the blanks before it. */
void lint_edit_remove_clause(LintCtx *lc, int start, int end);
/* Ends the edits: the finding becomes `status` with `detail`, unless its
 * edits overlap earlier ones (then they are dropped and it stays unfixable). */
void lint_fix_set(LintCtx *lc, LintDiag *d, LintFixStatus status, const char *detail);

/* Identifier quoted only when PostgreSQL needs it. */
const char *lint_quote_ident(MemContext *cx, const char *name);
/* A qualified name from a RangeVar. */
const char *lint_range_var_name(MemContext *cx, const PgQuery__RangeVar *rv);
/* Last component of a name list (String nodes). */
const char *lint_name_last(PgQuery__Node **names, size_t n);
/* The PostgreSQL display name of a type ("integer", "character varying"). */
const char *lint_type_display(const PgQuery__TypeName *tn);
/* The int64 value of a DefElem argument (Integer or Float node). */
bool lint_defelem_int(const PgQuery__DefElem *de, long long *out);

/* ---- rule files ---- */

void lint_create_table(LintCtx *lc, const PgQuery__CreateStmt *cs);
void lint_column_type(LintCtx *lc, const PgQuery__ColumnDef *cd, bool in_add_column);
/* COLLATE on a column or domain. */
void lint_collation(LintCtx *lc, const PgQuery__CollateClause *cc);
/* The column rules that apply to ALTER TABLE ADD COLUMN (type, COLLATE). */
void lint_add_column(LintCtx *lc, const PgQuery__ColumnDef *cd);
void lint_column_identity(LintCtx *lc, const PgQuery__ColumnDef *cd, const PgQuery__Constraint *c);
void lint_alter_table(LintCtx *lc, const PgQuery__AlterTableStmt *at);
void lint_index(LintCtx *lc, const PgQuery__IndexStmt *is);
typedef enum LintSeqKind {
    LINT_SEQ_CREATE,       /* CREATE SEQUENCE */
    LINT_SEQ_ALTER,        /* ALTER SEQUENCE */
    LINT_SEQ_IDENTITY,     /* GENERATED ... AS IDENTITY [(options)] at anchor */
    LINT_SEQ_IDENTITY_SET, /* ALTER COLUMN ... SET options */
} LintSeqKind;
void lint_sequence_options(LintCtx *lc, PgQuery__Node **options, size_t n, LintSeqKind kind,
                           int anchor);
/* Statement-kind rules (unsupported statements, SET, transactions). */
void lint_statement(LintCtx *lc, const PgQuery__Node *node);
/* Clause rules anywhere in a tree (locking clauses, TABLESAMPLE, advisory
 * locks). */
void lint_walk(LintCtx *lc, const PgQuery__Node *node);
/* DSQL's transaction rules for one statement of class cls. */
void lint_txn_statement(LintCtx *lc, const PgQuery__Node *node);

/* ---- lint_fix.c ---- */

/* The input with the non-overlapping edits applied. */
char *lint_fix_apply(LintCtx *lc);

/* ---- tools_io.c and the subcommands, with their streams as parameters for
 * tests ---- */

/* Reads path ("-" = in) whole into cx, NUL-terminated.  Fails on I/O
 * errors, on more than max_bytes and on a NUL byte in the text. */
int tools_read_input(const char *path, FILE *in, size_t max_bytes, MemContext *cx, char **text,
                     DbError *err);
int tools_lint_run(int argc, char **argv, FILE *in, FILE *out, FILE *errout);
int tools_convert_run(int argc, char **argv, FILE *in, FILE *out, FILE *errout);

/* ---- mysql_lex.c: MySQL tokens ---- */

typedef enum MyTokKind {
    MY_EOF = 0,
    MY_WORD,   /* bare identifier or keyword */
    MY_QIDENT, /* `backtick identifier` */
    MY_STRING, /* '...' or "..." (with an optional _charset or N introducer) */
    MY_NUMBER,
    MY_HEX,   /* 0x1F or X'1F' */
    MY_BITS,  /* b'101' or 0b101 */
    MY_PUNCT, /* ( ) , ; . */
    MY_OP,
} MyTokKind;

typedef struct MyToken {
    MyTokKind kind;
    int start, end; /* byte offsets */
    int line;       /* 1-based */
    bool delim;     /* the statement delimiter */
} MyToken;

typedef struct MyLexer {
    const char *s;
    int len, pos, line;
    bool in_versioned;  /* inside a MySQL-executed comment, such as 40101 SET ... */
    char delimiter[16]; /* the statement delimiter (DELIMITER changes it) */
} MyLexer;

#define CONVERT_MAX_STMT_TOKENS 1000000

void mysql_lex_init(MyLexer *lx, const char *s, int len);
/* The next token; a statement delimiter (";" or what DELIMITER set) comes
 * back with delim set. */
void mysql_lex_next(MyLexer *lx, MyToken *t);
/* Handles "DELIMITER xyz" lines: true (and the delimiter changed) when the
 * next token is DELIMITER at a statement start. */
bool mysql_lex_delimiter(MyLexer *lx);
bool mysql_tok_is(const char *s, const MyToken *t, const char *word);
/* An identifier's name (backticks removed, `` undoubled), as written. */
char *mysql_tok_ident(MemContext *cx, const char *s, const MyToken *t);
/* A string token's value with MySQL escapes decoded; *nul set when it held
 * \0 (dropped). */
char *mysql_tok_string(MemContext *cx, const char *s, const MyToken *t, bool *nul);
