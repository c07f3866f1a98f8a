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

#include "catalog/catalog.h"
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
    EXPR_PARAM,    /* bind parameter $n: `column` = n - 1 */
    EXPR_CASE,     /* CASE [case_arg] WHEN args[2i] THEN args[2i+1] … ELSE case_else END */
    EXPR_SUBLINK,  /* subquery: EXISTS, scalar, IN/ANY/ALL (see SubLinkKind) */
} ExprKind;

typedef enum SubLinkKind {
    SUBLINK_EXISTS, /* EXISTS (q) */
    SUBLINK_EXPR,   /* (q): its single value */
    SUBLINK_ANY,    /* testexpr op ANY (q), and IN (q) */
    SUBLINK_ALL,    /* testexpr op ALL (q) */
} SubLinkKind;

typedef struct Expr Expr;

/* Built-in functions known to analyze and evaluated by exec (exec/func.c). */
typedef enum FuncId {
    FUNC_VERSION,
    FUNC_CURRENT_DATABASE,
    FUNC_CURRENT_USER,
    FUNC_SESSION_USER,
    FUNC_CURRENT_SCHEMA,
    FUNC_SYSTEM_USER,
    FUNC_PG_BACKEND_PID,
    FUNC_COALESCE,
    FUNC_ABS,
    FUNC_LENGTH,
    FUNC_LOWER,
    FUNC_UPPER,
    FUNC_REPEAT,
    FUNC_NULLIF,
    FUNC_QUOTE_IDENT,
    FUNC_OCTET_LENGTH,
    FUNC_NOW, /* transaction start; result type timestamptz, timestamp or date */
    FUNC_STATEMENT_TIMESTAMP,
    FUNC_CLOCK_TIMESTAMP,
    FUNC_GEN_RANDOM_UUID,
    FUNC_SUBSTRING,
    FUNC_POSITION,
    FUNC_BTRIM,
    FUNC_LTRIM,
    FUNC_RTRIM,
    FUNC_REPLACE,
    FUNC_CONCAT,
    FUNC_CONCAT_WS,
    FUNC_LEFT,
    FUNC_RIGHT,
    FUNC_LPAD,
    FUNC_RPAD,
    FUNC_SPLIT_PART,
    FUNC_REVERSE,
    FUNC_INITCAP,
    FUNC_GREATEST,
    FUNC_LEAST,
    FUNC_EXTRACT,
    FUNC_DATE_PART,
    FUNC_DATE_TRUNC,
    FUNC_PG_GET_USERBYID,
    FUNC_PG_TABLE_IS_VISIBLE,
    FUNC_NEXTVAL,
    FUNC_CURRVAL,
    FUNC_SETVAL,
    FUNC_LASTVAL,
    /* Mathematical functions (exec/mathfunc.c). */
    FUNC_SQRT,
    FUNC_EXP,
    FUNC_LN,
    FUNC_LOG10,
    FUNC_POWER,
    FUNC_FLOOR,
    FUNC_CEIL,
    FUNC_ROUND,
    FUNC_TRUNC,
    FUNC_SIGN,
    FUNC_PI,
    FUNC_DEGREES,
    FUNC_RADIANS,
    FUNC_ROUND_NUMERIC,
} FuncId;

/* Aggregate functions. */
typedef enum AggKind { AGG_COUNT_STAR, AGG_COUNT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG } AggKind;

typedef struct AggDesc {
    AggKind kind;
    Expr *arg; /* NULL for count(*) */
    uint32_t type;
    bool distinct; /* agg(DISTINCT arg) */
} AggDesc;

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
    OP_DISTINCT,     /* IS DISTINCT FROM */
    OP_NOT_DISTINCT, /* IS NOT DISTINCT FROM */
    OP_LIKE,         /* ~~  (LIKE) */
    OP_NOT_LIKE,     /* !~~ */
    OP_ILIKE,        /* ~~* (ILIKE) */
    OP_NOT_ILIKE,    /* !~~* */
    OP_REGEX,        /* ~   (POSIX regular expression) */
    OP_NOT_REGEX,    /* !~  */
    OP_IREGEX,       /* ~*  */
    OP_NOT_IREGEX,   /* !~* */
} OpKind;

struct Expr {
    ExprKind kind;
    uint32_t type; /* result type oid */
    int32_t typmod;
    int location;  /* byte offset in the statement text, -1 if none */
    Datum value;   /* EXPR_CONST */
    int column;    /* EXPR_COLUMN: offset in the row; EXPR_AGGREF, EXPR_PARAM: index */
    int levels_up; /* EXPR_COLUMN: 0 = this query's row, 1 = the enclosing query's … */
    FuncId func;   /* EXPR_FUNC */
    OpKind op;     /* EXPR_OP */
    bool negate;   /* EXPR_NULLTEST: IS NOT NULL */
    size_t n_args;
    Expr **args;
    Expr *case_arg;         /* EXPR_CASE: the simple CASE's operand, or NULL */
    Expr *case_else;        /* EXPR_CASE: NULL means ELSE NULL */
    SubLinkKind sublink;    /* EXPR_SUBLINK */
    struct Query *subquery; /* EXPR_SUBLINK */
    Expr *testexpr;         /* EXPR_SUBLINK ANY/ALL: the left side */
    bool correlated;        /* EXPR_SUBLINK: reads an enclosing query's row */
};

/* '+', '-', '*', '/', '%' for arithmetic OpKinds (types/ speaks chars). */
char analyze_op_char(OpKind op);

typedef struct TargetEntry {
    Expr *expr;
    const char *name;
} TargetEntry;

typedef enum QueryKind { QUERY_SELECT, QUERY_INSERT, QUERY_UPDATE, QUERY_DELETE } QueryKind;

typedef enum RangeKind {
    RANGE_TABLE,
    RANGE_GENERATE_SERIES,
    RANGE_SUBQUERY,
    RANGE_VALUES,
    RANGE_SYSTEM, /* a system view (catalog/views.h) */
} RangeKind;

/* A leaf of FROM: a table, a function, a subquery.  Its columns occupy
 * [first_column, first_column + n_columns) of the query's row. */
typedef struct RangeEntry {
    RangeKind kind;
    const char *alias;
    TableDesc *table;                  /* RANGE_TABLE */
    Expr *series[3];                   /* RANGE_GENERATE_SERIES: start, stop, step (NULL = 1) */
    struct Query *subquery;            /* RANGE_SUBQUERY, RANGE_VALUES */
    const struct CatalogView *sysview; /* RANGE_SYSTEM */
    size_t first_column;
    size_t n_columns;
    const char **column_names;
    uint32_t *column_types;
    int32_t *column_typmods;
} RangeEntry;

typedef enum JoinKind { JOIN_INNER, JOIN_LEFT, JOIN_RIGHT, JOIN_FULL } JoinKind;

/* FROM is a list of items; an item is a range or a join of two items. */
typedef struct FromItem {
    RangeEntry *range; /* a leaf, or NULL for a join */
    JoinKind join;
    struct FromItem *left, *right;
    Expr *quals;                    /* ON / USING condition; NULL = true */
    size_t first_column, n_columns; /* the item's span of the row */
} FromItem;

/* What names are visible while analyzing an expression: this query's FROM
 * ranges, then the enclosing queries'. */
typedef struct Scope {
    RangeEntry **ranges;
    size_t n_ranges;
    const struct Scope *parent;
} Scope;

typedef struct SortKey {
    Expr *expr;
    int target; /* the output column it is, or -1 for an input expression */
    bool desc;
    bool nulls_first;
} SortKey;

typedef struct SetClause {
    int column; /* index into the table's columns */
    Expr *expr;
} SetClause;

/* SELECT ... FOR UPDATE / FOR KEY SHARE: rows read join the adjudicated set. */
typedef enum RowLock { ROW_LOCK_NONE, ROW_LOCK_UPDATE, ROW_LOCK_KEY_SHARE } RowLock;

typedef enum OnConflictAction { CONFLICT_NONE, CONFLICT_NOTHING, CONFLICT_UPDATE } OnConflictAction;

typedef enum SetOpKind { SETOP_NONE, SETOP_UNION, SETOP_INTERSECT, SETOP_EXCEPT } SetOpKind;

typedef struct Query {
    QueryKind kind;
    RowLock lock;
    /* FROM: items (joins inside), and all their leaf ranges in row order. */
    size_t n_from;
    FromItem **from;
    size_t n_ranges;
    RangeEntry **ranges;
    size_t row_width;  /* columns in the input row */
    RangeEntry *range; /* UPDATE/DELETE: the target's range */
    Expr *where;
    size_t n_group;
    Expr **group;
    Expr *having;
    bool has_grouping; /* GROUP BY or aggregates: one output row per group */
    bool distinct;
    /* Set operations: larg op rarg (the targets describe the result). */
    SetOpKind setop;
    bool setop_all;
    struct Query *larg, *rarg;
    size_t n_targets;
    TargetEntry *targets;
    size_t n_aggs;
    AggDesc *aggs;
    size_t n_sort;
    SortKey *sort;
    Expr *limit;
    Expr *offset;
    /* INSERT: n_rows rows of n_insert_cols expressions, or a SELECT. */
    size_t n_insert_cols;
    int *insert_cols;
    size_t n_rows;
    Expr ***rows;
    struct Query *source;
    /* UPDATE */
    size_t n_set;
    SetClause *set;
    /* INSERT/UPDATE/DELETE: the table written (also range->table for
     * UPDATE/DELETE). */
    TableDesc *target;
    /* Over a row of the target's columns (row offset 0): its CHECK
     * constraints, column defaults (NULL entry: none), RETURNING list. */
    Expr **checks;
    Expr **defaults;
    size_t n_returning;
    TargetEntry *returning;
    /* INSERT … ON CONFLICT: DO NOTHING, or DO UPDATE SET … [WHERE …] over
     * the row [existing columns][excluded columns]. */
    OnConflictAction on_conflict;
    size_t n_conflict_set;
    SetClause *conflict_set;
    Expr *conflict_where;
} Query;

/* The WITH queries of one SELECT, chained to the enclosing ones'. */
typedef struct CteScope {
    size_t n;
    PgQuery__Node **ctes; /* CommonTableExpr nodes */
    const struct CteScope *parent;
} CteScope;

/* What analysis needs to know about the session. */
typedef struct AnalyzeContext {
    MemContext *cx;
    const char *sql;  /* the whole query string, for error positions */
    Txn *txn;         /* catalog reads */
    const char *role; /* privilege checks for this role; NULL: none */
    /* Name resolution scope: set while analyzing a query's expressions. */
    const Scope *scope;
    /* Aggregates found while analyzing a target list (NULL: not allowed). */
    Query *agg_query;
    bool in_aggregate;
    /* WITH queries visible by name (innermost first). */
    const struct CteScope *ctes;
    /* Bind parameters ($1…): types declared by Parse (0 = unspecified) on
     * entry, inferred from context on return (unknown ones become text). */
    uint32_t *param_types;
    size_t n_params;
} AnalyzeContext;

/* Gives every parameter still of unknown type the type text, as a query
 * without context for $n would need; call after analysis. */
void analyze_params_finish(AnalyzeContext *ac);

int analyze_insert(AnalyzeContext *ac, const PgQuery__InsertStmt *stmt, Query **out, DbError *err);
int analyze_update(AnalyzeContext *ac, const PgQuery__UpdateStmt *stmt, Query **out, DbError *err);
int analyze_delete(AnalyzeContext *ac, const PgQuery__DeleteStmt *stmt, Query **out, DbError *err);
/* Finds a table by RangeVar (schema defaults to public); 42P01 if absent. */
int analyze_table(AnalyzeContext *ac, const PgQuery__RangeVar *rv, TableDesc **out, DbError *err);
/* Resolves a grammar TypeName to (oid, typmod). */
int analyze_type_name(AnalyzeContext *ac, const PgQuery__TypeName *tn, uint32_t *oid,
                      int32_t *typmod, DbError *err);
/* Wraps e in a coercion to (type, typmod) with assignment or explicit rules;
 * unknown literals are typed directly. */
int analyze_coerce(AnalyzeContext *ac, Expr *e, uint32_t type, int32_t typmod, bool explicit_cast,
                   Expr **out, DbError *err);

int analyze_select(AnalyzeContext *ac, const PgQuery__SelectStmt *stmt, Query **out, DbError *err);
/* The common type of a set of expressions (CASE, UNION, VALUES, COALESCE)
 * per PostgreSQL's select_common_type; unknown-only gives text. */
uint32_t analyze_common_type(Expr *const *exprs, size_t n);
int analyze_expr(AnalyzeContext *ac, const PgQuery__Node *node, Expr **out, DbError *err);

/* Error helpers: set err and its position (1-based characters) from a byte
 * location in ac->sql. */
int analyze_error_at(AnalyzeContext *ac, DbError *err, int location, const char *sqlstate,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A column's type with DSQL's refusals and defaults (ddl.c). */
int analyze_column_type(AnalyzeContext *ac, const PgQuery__TypeName *tn, ColumnDesc *c,
                        DbError *err);
/* Adds a CHECK constraint to a descriptor, named as PostgreSQL names it. */
int analyze_add_check(AnalyzeContext *ac, TableDesc *d, const PgQuery__Constraint *con,
                      const char *column, DbError *err);
/* ALTER TABLE / ALTER TABLE … RENAME (alter.c): the altered descriptor. */
int analyze_alter_table(AnalyzeContext *ac, const PgQuery__AlterTableStmt *stmt,
                        const TableDesc *old, TableDesc **out, StrBuf *notices, DbError *err);
int analyze_rename(AnalyzeContext *ac, const PgQuery__RenameStmt *stmt, const TableDesc *old,
                   TableDesc **out, DbError *err);
/* CREATE TABLE → descriptor (id unassigned). */
int analyze_create_table(AnalyzeContext *ac, const PgQuery__CreateStmt *stmt, TableDesc **out,
                         DbError *err);

/* dml.c: a table's CHECK constraints and column defaults as expressions
 * over a row of its columns (also for COPY). */
int analyze_table_checks(AnalyzeContext *ac, TableDesc *t, Expr ***out, DbError *err);
int analyze_table_defaults(AnalyzeContext *ac, TableDesc *t, Expr ***out, DbError *err);

/* from.c */
int analyze_from(AnalyzeContext *ac, Query *q, Scope *scope, PgQuery__Node *const *items, size_t n,
                 DbError *err);
RangeEntry *analyze_range_for_table(AnalyzeContext *ac, Query *q, TableDesc *t, const char *alias);
/* PostgreSQL's output column name of an expression (FigureColname). */
const char *analyze_column_name(const PgQuery__Node *n);
