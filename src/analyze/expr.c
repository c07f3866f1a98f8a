/*
 * Expressions: libpg_query nodes → typed Expr trees.  One case per node
 * kind in analyze_expr(); function resolution is in func.c.  Nodes this
 * room does not know yet are refused with 0A000 and their position.
 */
#include "analyze/analyze.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int analyze_error_at(AnalyzeContext *ac, DbError *err, int location, const char *sqlstate,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    db_error_setv(err, sqlstate, fmt, ap);
    va_end(ap);
    if (location >= 0 && ac->sql) {
        int chars = 0;
        for (int i = 0; i < location && ac->sql[i]; i++)
            if (((unsigned char)ac->sql[i] & 0xC0) != 0x80) chars++;
        err->position = chars + 1;
    }
    return -1;
}

static Expr *expr_new(AnalyzeContext *ac, ExprKind kind, uint32_t type, int location)
{
    Expr *e = mem_alloc0(ac->cx, sizeof *e);
    e->kind = kind;
    e->type = type;
    e->typmod = -1;
    e->location = location;
    return e;
}

static int analyze_const(AnalyzeContext *ac, const PgQuery__AConst *c, Expr **out, DbError *err)
{
    Expr *e = expr_new(ac, EXPR_CONST, TYPE_UNKNOWN, c->location);
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        e->type = TYPE_INT4;
        e->value = datum_int(TYPE_INT4, c->ival ? c->ival->ival : 0);
        break;
    case PG_QUERY__A__CONST__VAL_FVAL: {
        /* PostgreSQL makes an integer-looking literal too big for int4 an
         * int8 if it fits, else numeric. */
        const char *s = c->fval->fval;
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (*end == '\0' && errno == 0) {
            e->type = TYPE_INT8;
            e->value = datum_int(TYPE_INT8, v);
        } else {
            /* Canonical numeric text ("1e5" → "100000"), as the type's
             * input function makes it. */
            e->type = TYPE_NUMERIC;
            if (type_input(TYPE_NUMERIC, -1, s, strlen(s), ac->cx, &e->value, err) != 0) return -1;
        }
        break;
    }
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        e->type = TYPE_BOOL;
        e->value.type = TYPE_BOOL;
        e->value.v.b = c->boolval && c->boolval->boolval;
        break;
    case PG_QUERY__A__CONST__VAL_SVAL: {
        const char *s = c->sval ? c->sval->sval : "";
        e->value = datum_bytes(TYPE_UNKNOWN, s, strlen(s));
        break;
    }
    case PG_QUERY__A__CONST__VAL_BSVAL: {
        const char *s = c->bsval->bsval;
        e->value = datum_bytes(TYPE_UNKNOWN, s, strlen(s));
        break;
    }
    default:
        if (c->isnull) {
            e->value = datum_null(TYPE_UNKNOWN);
            break;
        }
        return analyze_error_at(ac, err, c->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "constant of this kind is not supported");
    }
    if (c->isnull) e->value = datum_null(e->type);
    *out = e;
    return 0;
}

static int analyze_sql_value_function(AnalyzeContext *ac, const PgQuery__SQLValueFunction *f,
                                      Expr **out, DbError *err)
{
    Expr *e = expr_new(ac, EXPR_FUNC, TYPE_NAME, f->location);
    switch (f->op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
        e->func = FUNC_CURRENT_USER;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
        e->func = FUNC_SESSION_USER;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
        e->func = FUNC_CURRENT_SCHEMA;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
        e->func = FUNC_CURRENT_DATABASE;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
        e->func = FUNC_NOW;
        e->type = TYPE_TIMESTAMPTZ;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
        e->func = FUNC_NOW;
        e->type = TYPE_TIMESTAMP;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
        e->func = FUNC_NOW;
        e->type = TYPE_DATE;
        break;
    default:
        return analyze_error_at(ac, err, f->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "this SQL value function is not supported yet");
    }
    *out = e;
    return 0;
}

/* A built-in function's signature: argument count range and one type code
 * per argument (the last repeats for variadic functions): 't' text (string
 * types and literals), 'i' integer (int2/int4, literals), 'f' double
 * precision (any integer or float type, literals), 'n' numeric, 'a' any type,
 * '=' all '=' arguments take their common type, which is the result when
 * result_type is TYPE_INVALID. */
typedef struct FuncDef {
    const char *name;
    int min_args, max_args; /* max_args -1: variadic */
    const char *sig;
    FuncId id;
    uint32_t result_type;
} FuncDef;

static const FuncDef func_defs[] = {
    {"version", 0, 0, "", FUNC_VERSION, TYPE_TEXT},
    {"current_database", 0, 0, "", FUNC_CURRENT_DATABASE, TYPE_NAME},
    {"current_user", 0, 0, "", FUNC_CURRENT_USER, TYPE_NAME},
    {"session_user", 0, 0, "", FUNC_SESSION_USER, TYPE_NAME},
    {"current_schema", 0, 0, "", FUNC_CURRENT_SCHEMA, TYPE_NAME},
    {"pg_backend_pid", 0, 0, "", FUNC_PG_BACKEND_PID, TYPE_INT4},
    {"coalesce", 1, -1, "=", FUNC_COALESCE, TYPE_INVALID},
    {"abs", 1, 1, "=", FUNC_ABS, TYPE_INVALID},
    {"length", 1, 1, "t", FUNC_LENGTH, TYPE_INT4},
    {"char_length", 1, 1, "t", FUNC_LENGTH, TYPE_INT4},
    {"character_length", 1, 1, "t", FUNC_LENGTH, TYPE_INT4},
    {"octet_length", 1, 1, "t", FUNC_OCTET_LENGTH, TYPE_INT4},
    {"lower", 1, 1, "t", FUNC_LOWER, TYPE_TEXT},
    {"upper", 1, 1, "t", FUNC_UPPER, TYPE_TEXT},
    {"repeat", 2, 2, "ti", FUNC_REPEAT, TYPE_TEXT},
    {"quote_ident", 1, 1, "t", FUNC_QUOTE_IDENT, TYPE_TEXT},
    {"now", 0, 0, "", FUNC_NOW, TYPE_TIMESTAMPTZ},
    {"transaction_timestamp", 0, 0, "", FUNC_NOW, TYPE_TIMESTAMPTZ},
    {"statement_timestamp", 0, 0, "", FUNC_STATEMENT_TIMESTAMP, TYPE_TIMESTAMPTZ},
    {"clock_timestamp", 0, 0, "", FUNC_CLOCK_TIMESTAMP, TYPE_TIMESTAMPTZ},
    {"gen_random_uuid", 0, 0, "", FUNC_GEN_RANDOM_UUID, TYPE_UUID},
    {"substring", 2, 3, "tii", FUNC_SUBSTRING, TYPE_TEXT},
    {"substr", 2, 3, "tii", FUNC_SUBSTRING, TYPE_TEXT},
    {"position", 2, 2, "tt", FUNC_POSITION, TYPE_INT4},
    {"strpos", 2, 2, "tt", FUNC_POSITION, TYPE_INT4},
    {"btrim", 1, 2, "tt", FUNC_BTRIM, TYPE_TEXT},
    {"ltrim", 1, 2, "tt", FUNC_LTRIM, TYPE_TEXT},
    {"rtrim", 1, 2, "tt", FUNC_RTRIM, TYPE_TEXT},
    {"replace", 3, 3, "ttt", FUNC_REPLACE, TYPE_TEXT},
    {"concat", 1, -1, "a", FUNC_CONCAT, TYPE_TEXT},
    {"concat_ws", 2, -1, "ta", FUNC_CONCAT_WS, TYPE_TEXT},
    {"left", 2, 2, "ti", FUNC_LEFT, TYPE_TEXT},
    {"right", 2, 2, "ti", FUNC_RIGHT, TYPE_TEXT},
    {"lpad", 2, 3, "tit", FUNC_LPAD, TYPE_TEXT},
    {"rpad", 2, 3, "tit", FUNC_RPAD, TYPE_TEXT},
    {"split_part", 3, 3, "tti", FUNC_SPLIT_PART, TYPE_TEXT},
    {"reverse", 1, 1, "t", FUNC_REVERSE, TYPE_TEXT},
    {"initcap", 1, 1, "t", FUNC_INITCAP, TYPE_TEXT},
    {"extract", 2, 2, "td", FUNC_EXTRACT, TYPE_NUMERIC},
    {"date_part", 2, 2, "td", FUNC_DATE_PART, TYPE_FLOAT8},
    {"date_trunc", 2, 2, "td", FUNC_DATE_TRUNC, TYPE_INVALID},
    {"pg_get_userbyid", 1, 1, "o", FUNC_PG_GET_USERBYID, TYPE_NAME},
    {"pg_table_is_visible", 1, 1, "o", FUNC_PG_TABLE_IS_VISIBLE, TYPE_BOOL},
    {"nextval", 1, 1, "t", FUNC_NEXTVAL, TYPE_INT8},
    {"currval", 1, 1, "t", FUNC_CURRVAL, TYPE_INT8},
    {"setval", 2, 3, "tlb", FUNC_SETVAL, TYPE_INT8},
    {"lastval", 0, 0, "", FUNC_LASTVAL, TYPE_INT8},
    {"greatest", 1, -1, "=", FUNC_GREATEST, TYPE_INVALID},
    {"least", 1, -1, "=", FUNC_LEAST, TYPE_INVALID},
    /* Overloads are tried in order: numeric arguments take the numeric
     * form, integers and floats the double precision one (PostgreSQL's
     * preferred type of the numeric category). */
    {"round", 1, 2, "ni", FUNC_ROUND_NUMERIC, TYPE_NUMERIC},
    {"round", 1, 1, "f", FUNC_ROUND, TYPE_FLOAT8},
    {"sqrt", 1, 1, "f", FUNC_SQRT, TYPE_FLOAT8},
    {"exp", 1, 1, "f", FUNC_EXP, TYPE_FLOAT8},
    {"ln", 1, 1, "f", FUNC_LN, TYPE_FLOAT8},
    {"log", 1, 1, "f", FUNC_LOG10, TYPE_FLOAT8},
    {"log10", 1, 1, "f", FUNC_LOG10, TYPE_FLOAT8},
    {"power", 2, 2, "ff", FUNC_POWER, TYPE_FLOAT8},
    {"pow", 2, 2, "ff", FUNC_POWER, TYPE_FLOAT8},
    {"floor", 1, 1, "f", FUNC_FLOOR, TYPE_FLOAT8},
    {"ceil", 1, 1, "f", FUNC_CEIL, TYPE_FLOAT8},
    {"ceiling", 1, 1, "f", FUNC_CEIL, TYPE_FLOAT8},
    {"trunc", 1, 1, "f", FUNC_TRUNC, TYPE_FLOAT8},
    {"sign", 1, 1, "f", FUNC_SIGN, TYPE_FLOAT8},
    {"pi", 0, 0, "", FUNC_PI, TYPE_FLOAT8},
    {"degrees", 1, 1, "f", FUNC_DEGREES, TYPE_FLOAT8},
    {"radians", 1, 1, "f", FUNC_RADIANS, TYPE_FLOAT8},
};

static bool type_is_numeric_family(uint32_t t)
{
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8 || t == TYPE_NUMERIC ||
           t == TYPE_FLOAT4 || t == TYPE_FLOAT8;
}

static bool is_string_type(uint32_t t)
{
    return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_NAME ||
           t == TYPE_UNKNOWN;
}

/* Types the arguments of a built-in per its signature.  Returns -1 with err
 * empty when the arguments do not fit (the caller reports "function does
 * not exist"), -1 with err set on other errors. */
static int analyze_builtin_call(AnalyzeContext *ac, const FuncDef *fd, Expr **args, size_t n,
                                int location, Expr **out, DbError *err)
{
    db_error_clear(err);
    size_t siglen = strlen(fd->sig);
    Expr **same = mem_alloc0(ac->cx, sizeof(Expr *) * (n + 1));
    size_t n_same = 0;
    for (size_t i = 0; i < n; i++) {
        char code = fd->sig[i < siglen ? i : siglen - 1];
        if (code == '=') same[n_same++] = args[i];
    }
    uint32_t common = n_same ? analyze_common_type(same, n_same) : TYPE_TEXT;
    bool float_arg = false;
    for (size_t i = 0; i < n; i++)
        float_arg |= args[i]->type == TYPE_FLOAT4 || args[i]->type == TYPE_FLOAT8;
    for (size_t i = 0; i < n; i++) {
        char code = fd->sig[i < siglen ? i : siglen - 1];
        Expr *a = args[i];
        uint32_t want;
        switch (code) {
        case 't':
            if (!is_string_type(a->type)) return -1;
            want = TYPE_TEXT;
            break;
        case 'i':
            if (a->type != TYPE_INT2 && a->type != TYPE_INT4 && a->type != TYPE_UNKNOWN) return -1;
            want = TYPE_INT4;
            break;
        case 'f':
            /* numeric takes the numeric form unless a float argument makes
             * the double precision one the better match. */
            if (a->type != TYPE_UNKNOWN &&
                (!type_is_numeric_family(a->type) || (a->type == TYPE_NUMERIC && !float_arg)))
                return -1;
            want = TYPE_FLOAT8;
            break;
        case 'n':
            if (a->type != TYPE_NUMERIC) return -1;
            want = TYPE_NUMERIC;
            break;
        case '=':
            want = common;
            break;
        default:
            want = a->type == TYPE_UNKNOWN ? TYPE_TEXT : a->type;
            break;
        }
        if (a->type != want && analyze_coerce(ac, a, want, -1, false, &args[i], err) != 0)
            return -1;
    }
    uint32_t rt = fd->result_type != TYPE_INVALID ? fd->result_type : common;
    /* date_trunc returns its source's type (a date is truncated as a
     * timestamp with time zone). */
    if (fd->id == FUNC_DATE_TRUNC) {
        if (args[1]->type == TYPE_DATE &&
            analyze_coerce(ac, args[1], TYPE_TIMESTAMPTZ, -1, false, &args[1], err) != 0)
            return -1;
        rt = args[1]->type;
    }
    if (fd->id == FUNC_ABS && !type_is_numeric_family(rt)) return -1;
    Expr *e = expr_new(ac, EXPR_FUNC, rt, location);
    e->func = fd->id;
    e->n_args = n;
    e->args = args;
    *out = e;
    return 0;
}

static const char *func_name(const PgQuery__FuncCall *fc, const char **schema)
{
    *schema = NULL;
    if (fc->n_funcname == 1) return fc->funcname[0]->string->sval;
    if (fc->n_funcname == 2) {
        *schema = fc->funcname[0]->string->sval;
        return fc->funcname[1]->string->sval;
    }
    return NULL;
}

static int function_not_found(AnalyzeContext *ac, const PgQuery__FuncCall *fc, Expr **args,
                              DbError *err)
{
    StrBuf sig;
    strbuf_init(&sig);
    for (size_t i = 0; i < fc->n_funcname; i++)
        strbuf_appendf(&sig, "%s%s", i ? "." : "", fc->funcname[i]->string->sval);
    strbuf_append_str(&sig, "(");
    for (size_t i = 0; i < fc->n_args; i++)
        strbuf_appendf(&sig, "%s%s", i ? ", " : "",
                       args && args[i] ? type_format_name(args[i]->type, -1, ac->cx) : "unknown");
    strbuf_append_str(&sig, ")");
    analyze_error_at(ac, err, fc->location, SQLSTATE_UNDEFINED_FUNCTION,
                     "function %s does not exist", sig.data);
    db_error_hint(err, "No function matches the given name and argument types. You might need "
                       "to add explicit type casts.");
    strbuf_fini(&sig);
    return -1;
}

static int analyze_aggregate(AnalyzeContext *ac, const PgQuery__FuncCall *fc, const char *name,
                             Expr **out, DbError *err)
{
    if (!ac->agg_query)
        return analyze_error_at(ac, err, fc->location, SQLSTATE_GROUPING_ERROR,
                                "aggregate functions are not allowed in %s",
                                ac->scope && ac->scope->n_ranges ? "WHERE" : "this context");
    if (ac->in_aggregate)
        return analyze_error_at(ac, err, fc->location, SQLSTATE_GROUPING_ERROR,
                                "aggregate function calls cannot be nested");
    AggDesc a = {0};
    if (fc->agg_star) {
        if (strcmp(name, "count") != 0) return function_not_found(ac, fc, NULL, err);
        a.kind = AGG_COUNT_STAR;
        a.type = TYPE_INT8;
    } else {
        if (fc->n_args != 1) return function_not_found(ac, fc, NULL, err);
        a.distinct = fc->agg_distinct;
        ac->in_aggregate = true;
        int rc = analyze_expr(ac, fc->args[0], &a.arg, err);
        ac->in_aggregate = false;
        if (rc != 0) return -1;
        if (a.arg->type == TYPE_UNKNOWN &&
            analyze_coerce(ac, a.arg, TYPE_TEXT, -1, false, &a.arg, err) != 0)
            return -1;
        uint32_t t = a.arg->type;
        if (strcmp(name, "count") == 0) {
            a.kind = AGG_COUNT;
            a.type = TYPE_INT8;
        } else if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) {
            a.kind = name[1] == 'i' ? AGG_MIN : AGG_MAX;
            a.type = t;
        } else if (strcmp(name, "sum") == 0 && type_is_numeric_family(t)) {
            a.kind = AGG_SUM;
            a.type = t == TYPE_INT2 || t == TYPE_INT4       ? TYPE_INT8
                     : t == TYPE_FLOAT4 || t == TYPE_FLOAT8 ? TYPE_FLOAT8
                                                            : TYPE_NUMERIC;
        } else if (strcmp(name, "avg") == 0 && type_is_numeric_family(t)) {
            a.kind = AGG_AVG;
            a.type = t == TYPE_FLOAT4 || t == TYPE_FLOAT8 ? TYPE_FLOAT8 : TYPE_NUMERIC;
        } else {
            Expr *args[1] = {a.arg};
            return function_not_found(ac, fc, args, err);
        }
    }
    Query *q = ac->agg_query;
    q->aggs = mem_realloc(ac->cx, q->aggs, sizeof(AggDesc) * q->n_aggs,
                          sizeof(AggDesc) * (q->n_aggs + 1));
    q->aggs[q->n_aggs] = a;
    Expr *e = expr_new(ac, EXPR_AGGREF, a.type, fc->location);
    e->column = (int)q->n_aggs++;
    *out = e;
    return 0;
}

static bool is_aggregate_name(const char *name)
{
    static const char *const names[] = {"count", "sum", "min", "max", "avg"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(names[i], name) == 0) return true;
    return false;
}

static int analyze_func_call(AnalyzeContext *ac, const PgQuery__FuncCall *fc, Expr **out,
                             DbError *err)
{
    const char *schema;
    const char *name = func_name(fc, &schema);
    if (name && (!schema || strcmp(schema, "pg_catalog") == 0) && is_aggregate_name(name))
        return analyze_aggregate(ac, fc, name, out, err);
    Expr **args = mem_alloc0(ac->cx, sizeof(Expr *) * (fc->n_args + 1));
    for (size_t i = 0; i < fc->n_args; i++)
        if (analyze_expr(ac, fc->args[i], &args[i], err) != 0) return -1;
    if (name && (!schema || strcmp(schema, "pg_catalog") == 0)) {
        const FuncDef *fd = NULL;
        /* Each definition of that name and arity in turn, on a fresh copy
         * of the arguments (a failed fit may have coerced some). */
        Expr **try_args = mem_alloc0(ac->cx, sizeof(Expr *) * (fc->n_args + 1));
        for (size_t i = 0; i < ARRAY_LEN(func_defs); i++) {
            const FuncDef *f = &func_defs[i];
            if (strcmp(f->name, name) != 0 || (int)fc->n_args < f->min_args ||
                (f->max_args >= 0 && (int)fc->n_args > f->max_args))
                continue;
            fd = f;
            memcpy(try_args, args, sizeof(Expr *) * fc->n_args);
            Expr *e;
            if (analyze_builtin_call(ac, f, try_args, fc->n_args, fc->location, &e, err) == 0) {
                *out = e;
                return 0;
            }
            if (err->sqlstate[0]) return -1;
        }
        if (fd) return function_not_found(ac, fc, args, err);
    }
    return function_not_found(ac, fc, args, err);
}

static int analyze_column_ref(AnalyzeContext *ac, const PgQuery__ColumnRef *cr, Expr **out,
                              DbError *err)
{
    const char *rel = NULL, *col = NULL;
    for (size_t i = 0; i < cr->n_fields; i++)
        if (cr->fields[i]->node_case != PG_QUERY__NODE__NODE_STRING)
            return analyze_error_at(ac, err, cr->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                    "this column reference is not supported here");
    if (cr->n_fields == 1) {
        col = cr->fields[0]->string->sval;
    } else if (cr->n_fields == 2) {
        rel = cr->fields[0]->string->sval;
        col = cr->fields[1]->string->sval;
    } else if (cr->n_fields == 3) {
        /* schema.table.column: the schema must be the range's. */
        rel = cr->fields[1]->string->sval;
        col = cr->fields[2]->string->sval;
    } else {
        return analyze_error_at(ac, err, cr->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "cross-database references are not implemented");
    }
    int levels = 0;
    bool rel_seen = false;
    for (const Scope *sc = ac->scope; sc; sc = sc->parent, levels++) {
        const RangeEntry *hit = NULL;
        size_t hit_col = 0;
        for (size_t i = 0; i < sc->n_ranges; i++) {
            const RangeEntry *r = sc->ranges[i];
            if (rel && strcmp(rel, r->alias) != 0) continue;
            rel_seen = true;
            for (size_t c = 0; c < r->n_columns; c++) {
                if (strcmp(r->column_names[c], col) != 0) continue;
                if (hit)
                    return analyze_error_at(ac, err, cr->location, SQLSTATE_AMBIGUOUS_COLUMN,
                                            "column reference \"%s\" is ambiguous", col);
                hit = r;
                hit_col = c;
            }
        }
        if (hit) {
            Expr *e = expr_new(ac, EXPR_COLUMN, hit->column_types[hit_col], cr->location);
            e->typmod = hit->column_typmods[hit_col];
            e->column = (int)(hit->first_column + hit_col);
            e->levels_up = levels;
            *out = e;
            return 0;
        }
        if (rel && rel_seen) break;
    }
    if (!rel && strcmp(col, "system_user") == 0) {
        /* PostgreSQL 16's SYSTEM_USER, which the PostgreSQL 15 grammar reads
         * as a column name. */
        Expr *e = expr_new(ac, EXPR_FUNC, TYPE_TEXT, cr->location);
        e->func = FUNC_SYSTEM_USER;
        *out = e;
        return 0;
    }
    if (rel && !rel_seen)
        return analyze_error_at(ac, err, cr->location, SQLSTATE_UNDEFINED_TABLE,
                                "missing FROM-clause entry for table \"%s\"", rel);
    if (rel)
        return analyze_error_at(ac, err, cr->location, SQLSTATE_UNDEFINED_COLUMN,
                                "column %s.%s does not exist", rel, col);
    return analyze_error_at(ac, err, cr->location, SQLSTATE_UNDEFINED_COLUMN,
                            "column \"%s\" does not exist", col);
}

/* PostgreSQL's select_common_type, for the types supported: unknowns take
 * the others' type; within the numeric category the "widest" wins
 * (int2 < int4 < int8 < numeric < float4 < float8); strings become text. */
uint32_t analyze_common_type(Expr *const *exprs, size_t n)
{
    static const uint32_t numeric_rank[] = {TYPE_INT2,    TYPE_INT4,   TYPE_INT8,
                                            TYPE_NUMERIC, TYPE_FLOAT4, TYPE_FLOAT8};
    uint32_t t = TYPE_UNKNOWN;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = exprs[i]->type;
        if (x == TYPE_UNKNOWN) continue;
        if (t == TYPE_UNKNOWN || t == x) {
            t = x;
            continue;
        }
        int rt = -1, rx = -1;
        for (int k = 0; k < (int)ARRAY_LEN(numeric_rank); k++) {
            if (numeric_rank[k] == t) rt = k;
            if (numeric_rank[k] == x) rx = k;
        }
        if (rt >= 0 && rx >= 0) {
            t = rx > rt ? x : t;
            continue;
        }
        const TypeInfo *ti = type_info(t), *xi = type_info(x);
        if (ti && xi && ti->category == 'S' && xi->category == 'S') t = TYPE_TEXT;
    }
    return t == TYPE_UNKNOWN ? TYPE_TEXT : t;
}

static int analyze_case(AnalyzeContext *ac, const PgQuery__CaseExpr *ce, Expr **out, DbError *err)
{
    Expr *e = expr_new(ac, EXPR_CASE, TYPE_UNKNOWN, ce->location);
    if (ce->arg && analyze_expr(ac, ce->arg, &e->case_arg, err) != 0) return -1;
    e->n_args = ce->n_args * 2;
    e->args = mem_alloc0(ac->cx, sizeof(Expr *) * (e->n_args + 1));
    Expr **results = mem_alloc0(ac->cx, sizeof(Expr *) * (ce->n_args + 2));
    size_t n_results = 0;
    for (size_t i = 0; i < ce->n_args; i++) {
        const PgQuery__CaseWhen *w = ce->args[i]->case_when;
        Expr *cond;
        if (e->case_arg) {
            /* CASE x WHEN v: x = v, with the usual operator typing. */
            Expr *v;
            if (analyze_expr(ac, w->expr, &v, err) != 0) return -1;
            Expr *lhs = e->case_arg;
            if (v->type == TYPE_UNKNOWN &&
                analyze_coerce(ac, v, lhs->type == TYPE_UNKNOWN ? TYPE_TEXT : lhs->type, -1, false,
                               &v, err) != 0)
                return -1;
            if (lhs->type == TYPE_UNKNOWN &&
                analyze_coerce(ac, lhs, v->type, -1, false, &e->case_arg, err) != 0)
                return -1;
            cond = v;
        } else {
            if (analyze_expr(ac, w->expr, &cond, err) != 0) return -1;
            if (cond->type != TYPE_BOOL &&
                analyze_coerce(ac, cond, TYPE_BOOL, -1, false, &cond, err) != 0)
                return analyze_error_at(ac, err, cond->location, SQLSTATE_DATATYPE_MISMATCH,
                                        "argument of CASE/WHEN must be type boolean, not type %s",
                                        type_format_name(cond->type, -1, ac->cx));
        }
        e->args[2 * i] = cond;
        if (analyze_expr(ac, w->result, &e->args[2 * i + 1], err) != 0) return -1;
        results[n_results++] = e->args[2 * i + 1];
    }
    if (ce->defresult) {
        if (analyze_expr(ac, ce->defresult, &e->case_else, err) != 0) return -1;
        results[n_results++] = e->case_else;
    }
    e->type = analyze_common_type(results, n_results);
    for (size_t i = 0; i < ce->n_args; i++)
        if (analyze_coerce(ac, e->args[2 * i + 1], e->type, -1, false, &e->args[2 * i + 1], err))
            return -1;
    if (e->case_else && analyze_coerce(ac, e->case_else, e->type, -1, false, &e->case_else, err))
        return -1;
    *out = e;
    return 0;
}

static int analyze_coalesce(AnalyzeContext *ac, const PgQuery__CoalesceExpr *ce, Expr **out,
                            DbError *err)
{
    Expr *e = expr_new(ac, EXPR_FUNC, TYPE_UNKNOWN, ce->location);
    e->func = FUNC_COALESCE;
    e->n_args = ce->n_args;
    e->args = mem_alloc0(ac->cx, sizeof(Expr *) * (ce->n_args + 1));
    for (size_t i = 0; i < ce->n_args; i++)
        if (analyze_expr(ac, ce->args[i], &e->args[i], err) != 0) return -1;
    e->type = analyze_common_type(e->args, e->n_args);
    for (size_t i = 0; i < e->n_args; i++)
        if (analyze_coerce(ac, e->args[i], e->type, -1, false, &e->args[i], err) != 0) return -1;
    *out = e;
    return 0;
}

static bool query_reads_outer(const Query *q, int depth);

/* Whether e reads a column more than depth levels up (a row of a query
 * enclosing the subquery being examined). */
static bool expr_reads_outer(const Expr *e, int depth)
{
    if (!e) return false;
    if (e->kind == EXPR_COLUMN && e->levels_up > depth) return true;
    if (e->kind == EXPR_SUBLINK && query_reads_outer(e->subquery, depth + 1)) return true;
    if (expr_reads_outer(e->case_arg, depth) || expr_reads_outer(e->case_else, depth) ||
        expr_reads_outer(e->testexpr, depth))
        return true;
    for (size_t i = 0; i < e->n_args; i++)
        if (expr_reads_outer(e->args[i], depth)) return true;
    return false;
}

static bool from_item_reads_outer(const FromItem *it, int depth)
{
    if (!it) return false;
    if (it->range) {
        const RangeEntry *r = it->range;
        for (int i = 0; i < 3; i++)
            if (expr_reads_outer(r->series[i], depth)) return true;
        /* A subquery in FROM (or a WITH query) is analyzed in the scope
         * enclosing its query, not inside it: no level is added. */
        return r->subquery && query_reads_outer(r->subquery, depth);
    }
    return expr_reads_outer(it->quals, depth) || from_item_reads_outer(it->left, depth) ||
           from_item_reads_outer(it->right, depth);
}

/* depth: how many query levels separate q from the subquery examined
 * (0 = q is that subquery); a column with levels_up > depth is outside. */
static bool query_reads_outer(const Query *q, int depth)
{
    if (!q) return false;
    if (q->larg && (query_reads_outer(q->larg, depth) || query_reads_outer(q->rarg, depth)))
        return true;
    for (size_t i = 0; i < q->n_from; i++)
        if (from_item_reads_outer(q->from[i], depth)) return true;
    if (expr_reads_outer(q->where, depth) || expr_reads_outer(q->having, depth) ||
        expr_reads_outer(q->limit, depth) || expr_reads_outer(q->offset, depth))
        return true;
    for (size_t i = 0; i < q->n_targets; i++)
        if (expr_reads_outer(q->targets[i].expr, depth)) return true;
    for (size_t i = 0; i < q->n_group; i++)
        if (expr_reads_outer(q->group[i], depth)) return true;
    for (size_t i = 0; i < q->n_sort; i++)
        if (expr_reads_outer(q->sort[i].expr, depth)) return true;
    for (size_t i = 0; i < q->n_aggs; i++)
        if (expr_reads_outer(q->aggs[i].arg, depth)) return true;
    for (size_t r = 0; r < q->n_rows; r++)
        for (size_t c = 0; c < q->n_targets; c++)
            if (q->rows && q->rows[r] && expr_reads_outer(q->rows[r][c], depth)) return true;
    return false;
}

static int analyze_sublink(AnalyzeContext *ac, const PgQuery__SubLink *sl, Expr **out, DbError *err)
{
    Expr *e = expr_new(ac, EXPR_SUBLINK, TYPE_BOOL, sl->location);
    switch (sl->sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
        e->sublink = SUBLINK_EXISTS;
        break;
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
        e->sublink = SUBLINK_EXPR;
        break;
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK:
        e->sublink = SUBLINK_ANY;
        break;
    case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK:
        e->sublink = SUBLINK_ALL;
        break;
    default:
        return analyze_error_at(ac, err, sl->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "this kind of subquery is not supported yet");
    }
    /* The subquery sees this query's names as outer references; its own
     * aggregates are its own. */
    Query *saved_agg = ac->agg_query;
    bool saved_in = ac->in_aggregate;
    ac->agg_query = NULL;
    ac->in_aggregate = false;
    int rc = analyze_select(ac, sl->subselect->select_stmt, &e->subquery, err);
    ac->agg_query = saved_agg;
    ac->in_aggregate = saved_in;
    if (rc != 0) return -1;
    Query *sub = e->subquery;
    e->correlated = query_reads_outer(sub, 0);
    if (e->sublink != SUBLINK_EXISTS && sub->n_targets != 1)
        return analyze_error_at(ac, err, sl->location, SQLSTATE_SYNTAX_ERROR,
                                "subquery must return only one column");
    if (e->sublink == SUBLINK_EXPR) {
        e->type = sub->targets[0].expr->type;
        e->typmod = sub->targets[0].expr->typmod;
    }
    if (e->sublink == SUBLINK_ANY || e->sublink == SUBLINK_ALL) {
        const char *opname =
            sl->n_oper_name ? sl->oper_name[sl->n_oper_name - 1]->string->sval : "=";
        static const struct {
            const char *name;
            OpKind op;
        } ops[] = {{"=", OP_EQ},  {"<>", OP_NE}, {"!=", OP_NE}, {"<", OP_LT},
                   {"<=", OP_LE}, {">", OP_GT},  {">=", OP_GE}};
        bool found = false;
        for (size_t i = 0; i < ARRAY_LEN(ops); i++)
            if (strcmp(ops[i].name, opname) == 0) {
                e->op = ops[i].op;
                found = true;
            }
        if (!found)
            return analyze_error_at(ac, err, sl->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                    "operator %s is not supported with ANY/ALL", opname);
        if (analyze_expr(ac, sl->testexpr, &e->testexpr, err) != 0) return -1;
        Expr *pair[2] = {e->testexpr, sub->targets[0].expr};
        uint32_t t = analyze_common_type(pair, 2);
        if (analyze_coerce(ac, e->testexpr, t, -1, false, &e->testexpr, err) != 0) return -1;
        if (analyze_coerce(ac, sub->targets[0].expr, t, -1, false, &sub->targets[0].expr, err))
            return -1;
    }
    *out = e;
    return 0;
}

static int analyze_param(AnalyzeContext *ac, const PgQuery__ParamRef *pr, Expr **out, DbError *err)
{
    if (pr->number < 1 || pr->number > 65535)
        return analyze_error_at(ac, err, pr->location, SQLSTATE_UNDEFINED_PARAMETER,
                                "there is no parameter $%d", pr->number);
    size_t idx = (size_t)pr->number - 1;
    if (idx >= ac->n_params) {
        uint32_t *types = mem_alloc0(ac->cx, sizeof(uint32_t) * (idx + 1));
        if (ac->n_params) memcpy(types, ac->param_types, sizeof(uint32_t) * ac->n_params);
        ac->param_types = types;
        ac->n_params = idx + 1;
    }
    uint32_t t = ac->param_types[idx];
    Expr *e = expr_new(ac, EXPR_PARAM, t ? t : TYPE_UNKNOWN, pr->location);
    e->column = (int)idx;
    *out = e;
    return 0;
}

void analyze_params_finish(AnalyzeContext *ac)
{
    for (size_t i = 0; i < ac->n_params; i++)
        if (ac->param_types[i] == 0 || ac->param_types[i] == TYPE_UNKNOWN)
            ac->param_types[i] = TYPE_TEXT;
}

int analyze_coerce(AnalyzeContext *ac, Expr *e, uint32_t type, int32_t typmod, bool explicit_cast,
                   Expr **out, DbError *err)
{
    if (e->kind == EXPR_PARAM && e->type == TYPE_UNKNOWN) {
        /* An untyped parameter takes the type its context wants. */
        ac->param_types[e->column] = type;
        e->type = type;
        if (typmod < 0) {
            *out = e;
            return 0;
        }
    }
    if (e->type == type && (typmod < 0 || e->typmod == typmod)) {
        *out = e;
        return 0;
    }
    if (e->kind == EXPR_CONST && (e->type == TYPE_UNKNOWN || e->value.is_null)) {
        /* Typing a literal: run the type's input function now, so a bad
         * literal fails at analysis with its position. */
        Expr *c = expr_new(ac, EXPR_CONST, type, e->location);
        c->typmod = typmod;
        if (e->value.is_null) {
            c->value = datum_null(type);
        } else if (type_input(type, typmod, e->value.v.s.ptr, e->value.v.s.len, ac->cx, &c->value,
                              err) != 0) {
            if (err->position == 0 && e->location >= 0) {
                DbError copy = *err;
                analyze_error_at(ac, err, e->location, copy.sqlstate, "%s", copy.message);
                memcpy(err->detail, copy.detail, sizeof err->detail);
                memcpy(err->hint, copy.hint, sizeof err->hint);
            }
            return -1;
        }
        *out = c;
        return 0;
    }
    if (!explicit_cast && !type_can_coerce(e->type, type, TYPE_CONTEXT_ASSIGNMENT))
        return analyze_error_at(ac, err, e->location, SQLSTATE_DATATYPE_MISMATCH,
                                "column is of type %s but expression is of type %s",
                                type_format_name(type, -1, ac->cx),
                                type_format_name(e->type, -1, ac->cx));
    if (explicit_cast && !type_can_coerce(e->type, type, TYPE_CONTEXT_EXPLICIT))
        return analyze_error_at(ac, err, e->location, SQLSTATE_CANNOT_COERCE,
                                "cannot cast type %s to %s", type_format_name(e->type, -1, ac->cx),
                                type_format_name(type, typmod, ac->cx));
    Expr *c = expr_new(ac, EXPR_CAST, type, e->location);
    c->typmod = typmod;
    c->negate = explicit_cast; /* for casts: explicit or assignment rules */
    c->n_args = 1;
    c->args = mem_alloc(ac->cx, sizeof(Expr *));
    c->args[0] = e;
    *out = c;
    return 0;
}

int analyze_type_name(AnalyzeContext *ac, const PgQuery__TypeName *tn, uint32_t *oid,
                      int32_t *typmod, DbError *err)
{
    const char **names = mem_alloc0(ac->cx, sizeof(char *) * (tn->n_names + 1));
    for (size_t i = 0; i < tn->n_names; i++)
        names[i] = tn->names[i]->string->sval;
    int32_t *mods = mem_alloc0(ac->cx, sizeof(int32_t) * (tn->n_typmods + 1));
    for (size_t i = 0; i < tn->n_typmods; i++) {
        const PgQuery__Node *m = tn->typmods[i];
        if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
            m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
            return analyze_error_at(ac, err, tn->location, SQLSTATE_SYNTAX_ERROR,
                                    "type modifiers must be simple constants or identifiers");
        mods[i] = m->a_const->ival->ival;
    }
    if (tn->n_array_bounds)
        return analyze_error_at(ac, err, tn->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "array types are not supported yet");
    if (type_from_name(names, tn->n_names, mods, tn->n_typmods, oid, typmod, err) != 0) {
        if (err->position == 0) {
            DbError copy = *err;
            analyze_error_at(ac, err, tn->location, copy.sqlstate, "%s", copy.message);
        }
        return -1;
    }
    return 0;
}

static int analyze_type_cast(AnalyzeContext *ac, const PgQuery__TypeCast *tc, Expr **out,
                             DbError *err)
{
    Expr *arg;
    if (analyze_expr(ac, tc->arg, &arg, err) != 0) return -1;
    uint32_t oid;
    int32_t typmod;
    if (analyze_type_name(ac, tc->type_name, &oid, &typmod, err) != 0) return -1;
    return analyze_coerce(ac, arg, oid, typmod, true, out, err);
}

char analyze_op_char(OpKind op)
{
    switch (op) {
    case OP_ADD:
        return '+';
    case OP_SUB:
    case OP_NEG:
        return '-';
    case OP_MUL:
        return '*';
    case OP_DIV:
        return '/';
    case OP_MOD:
        return '%';
    default:
        return '?';
    }
}

/* Binary operators: unknown literals take the other side's type; the
 * result type follows PostgreSQL's operators for the supported types. */
static int analyze_binary(AnalyzeContext *ac, const char *opname, const PgQuery__Node *l,
                          const PgQuery__Node *r, int location, Expr **out, DbError *err)
{
    static const struct {
        const char *name;
        OpKind op;
    } ops[] = {{"+", OP_ADD},         {"-", OP_SUB},   {"*", OP_MUL},        {"/", OP_DIV},
               {"%", OP_MOD},         {"=", OP_EQ},    {"<>", OP_NE},        {"!=", OP_NE},
               {"<", OP_LT},          {"<=", OP_LE},   {">", OP_GT},         {">=", OP_GE},
               {"||", OP_CONCAT},     {"~", OP_REGEX}, {"!~", OP_NOT_REGEX}, {"~*", OP_IREGEX},
               {"!~*", OP_NOT_IREGEX}};
    int found = -1;
    for (size_t i = 0; i < ARRAY_LEN(ops); i++)
        if (strcmp(ops[i].name, opname) == 0) found = (int)i;
    Expr *a = NULL, *b;
    if (l && analyze_expr(ac, l, &a, err) != 0) return -1;
    if (analyze_expr(ac, r, &b, err) != 0) return -1;
    if (!l) {
        if (strcmp(opname, "-") == 0 && type_is_numeric_family(b->type)) {
            Expr *e = expr_new(ac, EXPR_OP, b->type, location);
            e->op = OP_NEG;
            e->n_args = 1;
            e->args = mem_alloc(ac->cx, sizeof(Expr *));
            e->args[0] = b;
            *out = e;
            return 0;
        }
        if (strcmp(opname, "+") == 0 && type_is_numeric_family(b->type)) {
            *out = b;
            return 0;
        }
        return analyze_error_at(ac, err, location, SQLSTATE_UNDEFINED_FUNCTION,
                                "operator does not exist: %s %s", opname,
                                type_format_name(b->type, -1, ac->cx));
    }
    if (found < 0) goto no_operator;
    OpKind op = ops[found].op;
    if (op >= OP_REGEX && op <= OP_NOT_IREGEX) {
        if (analyze_coerce(ac, a, TYPE_TEXT, -1, a->type != TYPE_UNKNOWN, &a, err) != 0 ||
            analyze_coerce(ac, b, TYPE_TEXT, -1, b->type != TYPE_UNKNOWN, &b, err) != 0)
            return -1;
    } else if (op == OP_CONCAT) {
        if (a->type != TYPE_TEXT && analyze_coerce(ac, a, TYPE_TEXT, -1, true, &a, err) != 0)
            return -1;
        if (b->type != TYPE_TEXT && analyze_coerce(ac, b, TYPE_TEXT, -1, true, &b, err) != 0)
            return -1;
    } else if (a->type == TYPE_UNKNOWN && b->type == TYPE_UNKNOWN) {
        if (analyze_coerce(ac, a, TYPE_TEXT, -1, false, &a, err) != 0) return -1;
        if (analyze_coerce(ac, b, TYPE_TEXT, -1, false, &b, err) != 0) return -1;
    } else if (a->type == TYPE_UNKNOWN) {
        if (analyze_coerce(ac, a, b->type, -1, false, &a, err) != 0) return -1;
    } else if (b->type == TYPE_UNKNOWN) {
        if (analyze_coerce(ac, b, a->type, -1, false, &b, err) != 0) return -1;
    }
    uint32_t rt;
    if ((op >= OP_EQ && op <= OP_GE) || (op >= OP_REGEX && op <= OP_NOT_IREGEX)) {
        rt = TYPE_BOOL;
    } else if (op == OP_CONCAT) {
        rt = TYPE_TEXT;
    } else {
        DbError ignored;
        if (type_arith_result_type(analyze_op_char(op), a->type, b->type, &rt, &ignored) != 0)
            goto no_operator;
    }
    Expr *e = expr_new(ac, EXPR_OP, rt, location);
    e->op = op;
    e->n_args = 2;
    e->args = mem_alloc(ac->cx, sizeof(Expr *) * 2);
    e->args[0] = a;
    e->args[1] = b;
    *out = e;
    return 0;
no_operator:
    analyze_error_at(ac, err, location, SQLSTATE_UNDEFINED_FUNCTION,
                     "operator does not exist: %s %s %s", type_format_name(a->type, -1, ac->cx),
                     opname, type_format_name(b->type, -1, ac->cx));
    db_error_hint(err, "No operator matches the given name and argument types. You might need to "
                       "add explicit type casts.");
    return -1;
}

static int analyze_a_expr(AnalyzeContext *ac, const PgQuery__AExpr *ax, Expr **out, DbError *err)
{
    const char *opname = ax->n_name ? ax->name[ax->n_name - 1]->string->sval : "";
    switch (ax->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
        return analyze_binary(ac, opname, ax->lexpr, ax->rexpr, ax->location, out, err);
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
        /* x IN (a, b) → x = a OR x = b; NOT IN → x <> a AND x <> b. */
        const PgQuery__List *list = ax->rexpr->list;
        bool neg = strcmp(opname, "<>") == 0;
        Expr *e = expr_new(ac, neg ? EXPR_AND : EXPR_OR, TYPE_BOOL, ax->location);
        e->n_args = list->n_items;
        e->args = mem_alloc0(ac->cx, sizeof(Expr *) * (list->n_items + 1));
        for (size_t i = 0; i < list->n_items; i++)
            if (analyze_binary(ac, neg ? "<>" : "=", ax->lexpr, list->items[i], ax->location,
                               &e->args[i], err) != 0)
                return -1;
        *out = e;
        return 0;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: {
        bool neg = ax->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN;
        const PgQuery__List *list = ax->rexpr->list;
        Expr *e = expr_new(ac, neg ? EXPR_OR : EXPR_AND, TYPE_BOOL, ax->location);
        e->n_args = 2;
        e->args = mem_alloc0(ac->cx, sizeof(Expr *) * 2);
        if (analyze_binary(ac, neg ? "<" : ">=", ax->lexpr, list->items[0], ax->location,
                           &e->args[0], err) != 0 ||
            analyze_binary(ac, neg ? ">" : "<=", ax->lexpr, list->items[1], ax->location,
                           &e->args[1], err) != 0)
            return -1;
        *out = e;
        return 0;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE: {
        Expr *a, *b;
        if (analyze_expr(ac, ax->lexpr, &a, err) != 0 || analyze_expr(ac, ax->rexpr, &b, err) != 0)
            return -1;
        if (analyze_coerce(ac, a, TYPE_TEXT, -1, a->type != TYPE_UNKNOWN, &a, err) != 0 ||
            analyze_coerce(ac, b, TYPE_TEXT, -1, b->type != TYPE_UNKNOWN, &b, err) != 0)
            return -1;
        Expr *e = expr_new(ac, EXPR_OP, TYPE_BOOL, ax->location);
        bool neg = opname[0] == '!';
        bool ci = ax->kind == PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE;
        e->op = ci ? (neg ? OP_NOT_ILIKE : OP_ILIKE) : (neg ? OP_NOT_LIKE : OP_LIKE);
        e->n_args = 2;
        e->args = mem_alloc(ac->cx, sizeof(Expr *) * 2);
        e->args[0] = a;
        e->args[1] = b;
        *out = e;
        return 0;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF: {
        Expr *cmp;
        if (analyze_binary(ac, "=", ax->lexpr, ax->rexpr, ax->location, &cmp, err) != 0) return -1;
        Expr *e = expr_new(ac, EXPR_FUNC, cmp->args[0]->type, ax->location);
        e->func = FUNC_NULLIF;
        e->n_args = 2;
        e->args = cmp->args;
        *out = e;
        return 0;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
        if (analyze_binary(ac, "=", ax->lexpr, ax->rexpr, ax->location, out, err) != 0) return -1;
        (*out)->op =
            ax->kind == PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT ? OP_DISTINCT : OP_NOT_DISTINCT;
        return 0;
    }
    default:
        return analyze_error_at(ac, err, ax->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "this kind of expression is not supported yet");
    }
}

static int analyze_bool_expr(AnalyzeContext *ac, const PgQuery__BoolExpr *be, Expr **out,
                             DbError *err)
{
    ExprKind k = be->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR  ? EXPR_AND
                 : be->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR ? EXPR_OR
                                                                   : EXPR_NOT;
    Expr *e = expr_new(ac, k, TYPE_BOOL, be->location);
    e->n_args = be->n_args;
    e->args = mem_alloc0(ac->cx, sizeof(Expr *) * (be->n_args + 1));
    for (size_t i = 0; i < be->n_args; i++) {
        if (analyze_expr(ac, be->args[i], &e->args[i], err) != 0) return -1;
        if (analyze_coerce(ac, e->args[i], TYPE_BOOL, -1, false, &e->args[i], err) != 0) {
            return analyze_error_at(ac, err, e->args[i]->location, SQLSTATE_DATATYPE_MISMATCH,
                                    "argument of %s must be type boolean, not type %s",
                                    k == EXPR_AND  ? "AND"
                                    : k == EXPR_OR ? "OR"
                                                   : "NOT",
                                    type_format_name(e->args[i]->type, -1, ac->cx));
        }
    }
    *out = e;
    return 0;
}

int analyze_expr(AnalyzeContext *ac, const PgQuery__Node *node, Expr **out, DbError *err)
{
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        return analyze_const(ac, node->a_const, out, err);
    case PG_QUERY__NODE__NODE_PARAM_REF:
        return analyze_param(ac, node->param_ref, out, err);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        return analyze_sql_value_function(ac, node->sqlvalue_function, out, err);
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return analyze_func_call(ac, node->func_call, out, err);
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        return analyze_column_ref(ac, node->column_ref, out, err);
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        return analyze_type_cast(ac, node->type_cast, out, err);
    case PG_QUERY__NODE__NODE_A_EXPR:
        return analyze_a_expr(ac, node->a_expr, out, err);
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        return analyze_bool_expr(ac, node->bool_expr, out, err);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return analyze_case(ac, node->case_expr, out, err);
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: {
        /* Collation C is the only one (DSQL); "default", "C" and "POSIX"
         * all name it. */
        const PgQuery__CollateClause *cc = node->collate_clause;
        const char *coll = cc->n_collname ? cc->collname[cc->n_collname - 1]->string->sval : "";
        if (strcmp(coll, "default") != 0 && strcmp(coll, "C") != 0 && strcmp(coll, "POSIX") != 0)
            return analyze_error_at(ac, err, cc->location, SQLSTATE_UNDEFINED_OBJECT,
                                    "collation \"%s\" for encoding \"UTF8\" does not exist", coll);
        return analyze_expr(ac, cc->arg, out, err);
    }
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return analyze_coalesce(ac, node->coalesce_expr, out, err);
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR: {
        const PgQuery__MinMaxExpr *mm = node->min_max_expr;
        Expr **args = mem_alloc0(ac->cx, sizeof(Expr *) * (mm->n_args + 1));
        for (size_t i = 0; i < mm->n_args; i++)
            if (analyze_expr(ac, mm->args[i], &args[i], err) != 0) return -1;
        const FuncDef *fd = NULL;
        for (size_t i = 0; i < ARRAY_LEN(func_defs); i++)
            if (strcmp(func_defs[i].name,
                       mm->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least") == 0)
                fd = &func_defs[i];
        return analyze_builtin_call(ac, fd, args, mm->n_args, mm->location, out, err);
    }
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return analyze_sublink(ac, node->sub_link, out, err);
    case PG_QUERY__NODE__NODE_NULL_TEST: {
        const PgQuery__NullTest *nt = node->null_test;
        Expr *e = expr_new(ac, EXPR_NULLTEST, TYPE_BOOL, nt->location);
        e->negate = nt->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL;
        e->n_args = 1;
        e->args = mem_alloc(ac->cx, sizeof(Expr *));
        if (analyze_expr(ac, nt->arg, &e->args[0], err) != 0) return -1;
        *out = e;
        return 0;
    }
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "expressions of kind %s are not supported yet",
                            parse_node_kind_name(node));
    }
}
