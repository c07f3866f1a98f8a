/*
 * The analyze room's public header: libpg_query trees → typed query trees.
 *
 * analyze resolves names (columns, functions, types), assigns a type to
 * every expression, inserts coercions and checks DSQL's rules.  Its output
 * (Query, Expr) is what plan/ and exec/ consume; nothing downstream looks at
 * the protobuf tree again.  All nodes live in the AnalyzeContext's
 * MemContext (the statement's).
 */
#pragma once

#include "common/common.h"
#include "parse/parse.h"
#include "types/types.h"

typedef enum ExprKind {
    EXPR_CONST,    /* value */
    EXPR_COLUMN,   /* column: index into the input row */
    EXPR_FUNC,     /* func(args) */
    EXPR_OP,       /* binary/unary operator: op, args[0..1] */
    EXPR_AND,      /* args[0..n) */
    EXPR_OR,       /* args[0..n) */
    EXPR_NOT,      /* args[0] */
    EXPR_NULLTEST, /* args[0] IS [NOT] NULL: negate */
    EXPR_CAST,     /* args[0]::type(typmod) */
    EXPR_AGGREF,   /* the result of aggregate number `column` */
} ExprKind;

/* Built-in functions known to analyze and evaluated by exec (exec/func.c). */
typedef enum FuncId {
    FUNC_VERSION,
    FUNC_CURRENT_DATABASE,
    FUNC_CURRENT_USER,
    FUNC_SESSION_USER,
    FUNC_CURRENT_SCHEMA,
    FUNC_SYSTEM_USER,
    FUNC_PG_BACKEND_PID,
} FuncId;

typedef enum OpKind {
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_NEG,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_CONCAT,
} OpKind;

typedef struct Expr Expr;
struct Expr {
    ExprKind kind;
    uint32_t type; /* result type oid */
    int32_t typmod;
    int location; /* byte offset in the statement text, -1 if none */
    Datum value;  /* EXPR_CONST */
    int column;   /* EXPR_COLUMN, EXPR_AGGREF */
    FuncId func;  /* EXPR_FUNC */
    OpKind op;    /* EXPR_OP */
    bool negate;  /* EXPR_NULLTEST: IS NOT NULL */
    size_t n_args;
    Expr **args;
};

typedef struct TargetEntry {
    Expr *expr;
    const char *name;
} TargetEntry;

typedef enum QueryKind { QUERY_SELECT } QueryKind;

typedef struct Query {
    QueryKind kind;
    size_t n_targets;
    TargetEntry *targets;
} Query;

/* What analysis needs to know about the session. */
typedef struct AnalyzeContext {
    MemContext *cx;
    const char *sql; /* the statement text, for error positions */
} AnalyzeContext;

int analyze_select(AnalyzeContext *ac, const PgQuery__SelectStmt *stmt, Query **out, DbError *err);
int analyze_expr(AnalyzeContext *ac, const PgQuery__Node *node, Expr **out, DbError *err);

/* Error helpers: set err and its position (1-based characters) from a byte
 * location in ac->sql. */
int analyze_error_at(AnalyzeContext *ac, DbError *err, int location, const char *sqlstate,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
