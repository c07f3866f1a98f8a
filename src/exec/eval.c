/*
 * Expression evaluation over one input row.  One case per ExprKind.  NULL
 * handling follows SQL: operators and functions are strict unless noted
 * (AND/OR use three-valued logic, IS [NOT] NULL and coalesce see NULLs).
 */
#include <regex.h>
#include <string.h>

#include "exec/exec.h"

static int eval_args(ExecContext *ec, const Expr *e, const Datum *row, Datum *args, DbError *err)
{
    for (size_t i = 0; i < e->n_args; i++)
        if (exec_eval(ec, e->args[i], row, &args[i], err) != 0) return -1;
    return 0;
}

/* LIKE: % matches any run of characters, _ one character, \ escapes the
 * next one (PostgreSQL's default escape).  Characters are UTF-8 sequences;
 * ILIKE folds ASCII letters, as under collation C. */
static int utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static bool like_char_eq(const char *a, const char *b, int n, bool ci)
{
    if (n != 1 || !ci) return memcmp(a, b, (size_t)n) == 0;
    char x = a[0], y = b[0];
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    return x == y;
}

static int like_match(const char *s, size_t sn, const char *p, size_t pn, bool ci, DbError *err)
{
    size_t si = 0, pi = 0;
    while (pi < pn) {
        char c = p[pi];
        if (c == '%') {
            while (pi < pn && p[pi] == '%')
                pi++;
            if (pi == pn) return 1;
            for (size_t k = si; k <= sn; k += k < sn ? (size_t)utf8_len((unsigned char)s[k]) : 1) {
                int m = like_match(s + k, sn - k, p + pi, pn - pi, ci, err);
                if (m != 0) return m;
                if (k == sn) break;
            }
            return 0;
        }
        if (si >= sn) return 0;
        int sl = utf8_len((unsigned char)s[si]);
        if (c == '_') {
            si += (size_t)sl;
            pi += (size_t)utf8_len((unsigned char)c);
            continue;
        }
        if (c == '\\') {
            pi++;
            if (pi >= pn)
                return db_error_set(err, SQLSTATE_INVALID_ESCAPE_SEQUENCE,
                                    "LIKE pattern must not end with escape character");
        }
        int pl = utf8_len((unsigned char)p[pi]);
        if (pl != sl || si + (size_t)sl > sn || pi + (size_t)pl > pn ||
            !like_char_eq(s + si, p + pi, sl, ci))
            return 0;
        si += (size_t)sl;
        pi += (size_t)pl;
    }
    return si == sn ? 1 : 0;
}

static int eval_op(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err)
{
    Datum a[2];
    if (eval_args(ec, e, row, a, err) != 0) return -1;
    if (e->op == OP_DISTINCT || e->op == OP_NOT_DISTINCT) {
        bool distinct;
        if (a[0].is_null || a[1].is_null) {
            distinct = a[0].is_null != a[1].is_null;
        } else {
            int c;
            if (type_compare(&a[0], &a[1], &c, err) != 0) return -1;
            distinct = c != 0;
        }
        *out = (Datum){.type = TYPE_BOOL, .v.b = e->op == OP_DISTINCT ? distinct : !distinct};
        return 0;
    }
    for (size_t i = 0; i < e->n_args; i++)
        if (a[i].is_null) {
            *out = datum_null(e->type);
            return 0;
        }
    switch (e->op) {
    case OP_NEG:
        return type_negate(&a[0], ec->cx, out, err);
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
    case OP_MOD:
        return type_arith(analyze_op_char(e->op), &a[0], &a[1], ec->cx, out, err);
    case OP_LIKE:
    case OP_NOT_LIKE:
    case OP_ILIKE:
    case OP_NOT_ILIKE: {
        bool ci = e->op == OP_ILIKE || e->op == OP_NOT_ILIKE;
        int m = like_match(a[0].v.s.ptr, a[0].v.s.len, a[1].v.s.ptr, a[1].v.s.len, ci, err);
        if (m < 0) return -1;
        bool neg = e->op == OP_NOT_LIKE || e->op == OP_NOT_ILIKE;
        *out = (Datum){.type = TYPE_BOOL, .v.b = neg ? !m : m};
        return 0;
    }
    case OP_REGEX:
    case OP_NOT_REGEX:
    case OP_IREGEX:
    case OP_NOT_IREGEX: {
        /* POSIX extended expressions (PostgreSQL's AREs agree on the
         * common subset: anchors, classes, groups, alternation). */
        char *pat = mem_strndup(ec->cx, a[1].v.s.ptr, a[1].v.s.len);
        char *subject = mem_strndup(ec->cx, a[0].v.s.ptr, a[0].v.s.len);
        regex_t re;
        int flags = REG_EXTENDED | REG_NOSUB;
        if (e->op == OP_IREGEX || e->op == OP_NOT_IREGEX) flags |= REG_ICASE;
        int rc = regcomp(&re, pat, flags);
        if (rc != 0) {
            char msg[256];
            regerror(rc, &re, msg, sizeof msg);
            return db_error_set(err, SQLSTATE_INVALID_REGULAR_EXPRESSION,
                                "invalid regular expression: %s", msg);
        }
        bool m = regexec(&re, subject, 0, NULL, 0) == 0;
        regfree(&re);
        bool neg = e->op == OP_NOT_REGEX || e->op == OP_NOT_IREGEX;
        *out = (Datum){.type = TYPE_BOOL, .v.b = neg ? !m : m};
        return 0;
    }
    case OP_CONCAT: {
        char *p = mem_alloc(ec->cx, a[0].v.s.len + a[1].v.s.len + 1);
        memcpy(p, a[0].v.s.ptr, a[0].v.s.len);
        memcpy(p + a[0].v.s.len, a[1].v.s.ptr, a[1].v.s.len);
        *out = datum_bytes(TYPE_TEXT, p, a[0].v.s.len + a[1].v.s.len);
        return 0;
    }
    default: {
        int c;
        if (type_compare(&a[0], &a[1], &c, err) != 0) return -1;
        bool r = e->op == OP_EQ   ? c == 0
                 : e->op == OP_NE ? c != 0
                 : e->op == OP_LT ? c < 0
                 : e->op == OP_LE ? c <= 0
                 : e->op == OP_GT ? c > 0
                                  : c >= 0;
        out->type = TYPE_BOOL;
        out->is_null = false;
        out->v.b = r;
        return 0;
    }
    }
}

/* AND/OR with SQL's three-valued logic. */
static int eval_bool(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err)
{
    bool is_and = e->kind == EXPR_AND;
    bool saw_null = false;
    for (size_t i = 0; i < e->n_args; i++) {
        Datum v;
        if (exec_eval(ec, e->args[i], row, &v, err) != 0) return -1;
        if (v.is_null) {
            saw_null = true;
        } else if (v.v.b != is_and) {
            *out = (Datum){.type = TYPE_BOOL, .v.b = !is_and};
            return 0;
        }
    }
    if (saw_null) {
        *out = datum_null(TYPE_BOOL);
    } else {
        *out = (Datum){.type = TYPE_BOOL, .v.b = is_and};
    }
    return 0;
}

int exec_eval(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err)
{
    switch (e->kind) {
    case EXPR_CONST:
        *out = e->value;
        return 0;
    case EXPR_COLUMN:
        if (e->levels_up > 0) {
            if (e->levels_up > ec->n_outer)
                return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "outer reference out of range");
            *out = ec->outer[ec->n_outer - e->levels_up][e->column];
            return 0;
        }
        /* A reference the analyzer bound to a row this evaluation does not
         * have fails the statement rather than the node. */
        if (!row)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "column reference in this position is not supported yet");
        *out = row[e->column];
        return 0;
    case EXPR_SUBLINK:
        return exec_sublink(ec, e, row, out, err);
    case EXPR_CASE: {
        Datum arg = {0};
        if (e->case_arg && exec_eval(ec, e->case_arg, row, &arg, err) != 0) return -1;
        for (size_t i = 0; i + 1 < e->n_args; i += 2) {
            Datum w;
            if (exec_eval(ec, e->args[i], row, &w, err) != 0) return -1;
            bool hit;
            if (e->case_arg) {
                int c = 1;
                if (!arg.is_null && !w.is_null && type_compare(&arg, &w, &c, err) != 0) return -1;
                hit = !arg.is_null && !w.is_null && c == 0;
            } else {
                hit = !w.is_null && w.v.b;
            }
            if (hit) return exec_eval(ec, e->args[i + 1], row, out, err);
        }
        if (e->case_else) return exec_eval(ec, e->case_else, row, out, err);
        *out = datum_null(e->type);
        return 0;
    }
    case EXPR_AGGREF:
        *out = ec->agg_values[e->column];
        return 0;
    case EXPR_PARAM:
        if ((size_t)e->column >= ec->n_params)
            return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                                "bind message supplies %zu parameters, but prepared statement "
                                "requires %d",
                                ec->n_params, e->column + 1);
        *out = ec->params[e->column];
        return 0;
    case EXPR_FUNC: {
        Datum *args = mem_alloc(ec->cx, sizeof(Datum) * (e->n_args + 1));
        if (eval_args(ec, e, row, args, err) != 0) return -1;
        return exec_func(ec, e, args, out, err);
    }
    case EXPR_OP:
        return eval_op(ec, e, row, out, err);
    case EXPR_AND:
    case EXPR_OR:
        return eval_bool(ec, e, row, out, err);
    case EXPR_NOT: {
        Datum v;
        if (exec_eval(ec, e->args[0], row, &v, err) != 0) return -1;
        *out = v.is_null ? datum_null(TYPE_BOOL) : (Datum){.type = TYPE_BOOL, .v.b = !v.v.b};
        return 0;
    }
    case EXPR_NULLTEST: {
        Datum v;
        if (exec_eval(ec, e->args[0], row, &v, err) != 0) return -1;
        *out = (Datum){.type = TYPE_BOOL, .v.b = v.is_null != e->negate};
        return 0;
    }
    case EXPR_CAST: {
        Datum v;
        if (exec_eval(ec, e->args[0], row, &v, err) != 0) return -1;
        if (v.is_null) {
            *out = datum_null(e->type);
            return 0;
        }
        return type_coerce(&v, e->type, e->typmod, e->negate, ec->cx, out, err);
    }
    }
    return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown expression kind %d", (int)e->kind);
}
