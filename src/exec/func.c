/*
 * Built-in functions: one case per FuncId (analyze/expr.c resolves names to
 * ids and result types).
 */
#include <string.h>

#include "exec/exec.h"

static Datum text_datum(uint32_t type, const char *s)
{
    return datum_bytes(type, s, strlen(s));
}

int exec_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err)
{
    switch (e->func) {
    case FUNC_VERSION:
        *out = text_datum(TYPE_TEXT,
                          "PostgreSQL " BOREALIS_SERVER_VERSION " (Borealis " BOREALIS_VERSION
                          ") on x86_64-pc-linux-gnu, compiled by gcc, 64-bit");
        return 0;
    case FUNC_CURRENT_DATABASE:
        *out = text_datum(TYPE_NAME, ec->database);
        return 0;
    case FUNC_CURRENT_USER:
        *out = text_datum(TYPE_NAME, ec->current_user);
        return 0;
    case FUNC_SESSION_USER:
        *out = text_datum(TYPE_NAME, ec->session_user);
        return 0;
    case FUNC_CURRENT_SCHEMA:
        *out = ec->search_schema ? text_datum(TYPE_NAME, ec->search_schema) : datum_null(TYPE_NAME);
        return 0;
    case FUNC_SYSTEM_USER:
        *out = datum_null(TYPE_TEXT);
        return 0;
    case FUNC_PG_BACKEND_PID:
        *out = datum_int(TYPE_INT4, ec->backend_pid);
        return 0;
    case FUNC_NULLIF: {
        if (args[0].is_null || args[1].is_null) {
            *out = args[0];
            return 0;
        }
        int c;
        if (type_compare(&args[0], &args[1], &c, err) != 0) return -1;
        *out = c == 0 ? datum_null(e->type) : args[0];
        return 0;
    }
    case FUNC_EXTRACT:
    case FUNC_DATE_PART:
    case FUNC_DATE_TRUNC:
        return exec_date_func(ec, e, args, out, err);
    case FUNC_NOW:
    case FUNC_STATEMENT_TIMESTAMP:
    case FUNC_CLOCK_TIMESTAMP:
    case FUNC_GEN_RANDOM_UUID:
    case FUNC_CONCAT:
    case FUNC_CONCAT_WS:
    case FUNC_GREATEST:
    case FUNC_LEAST:
    case FUNC_LASTVAL:
        return exec_func_more(ec, e, args, out, err);
    case FUNC_COALESCE:
        for (size_t i = 0; i < e->n_args; i++)
            if (!args[i].is_null) {
                *out = args[i];
                return 0;
            }
        *out = datum_null(e->type);
        return 0;
    default:
        break;
    }
    /* The rest are strict: NULL in, NULL out. */
    for (size_t i = 0; i < e->n_args; i++)
        if (args[i].is_null) {
            *out = datum_null(e->type);
            return 0;
        }
    switch (e->func) {
    case FUNC_ABS: {
        Datum zero = datum_int(TYPE_INT4, 0);
        int c;
        if (type_compare(&args[0], &zero, &c, err) != 0) return -1;
        if (c >= 0) {
            *out = args[0];
            return 0;
        }
        return type_negate(&args[0], ec->cx, out, err);
    }
    case FUNC_LENGTH: {
        int64_t n = 0;
        for (size_t i = 0; i < args[0].v.s.len; i++)
            if (((unsigned char)args[0].v.s.ptr[i] & 0xC0) != 0x80) n++;
        *out = datum_int(TYPE_INT4, n);
        return 0;
    }
    case FUNC_QUOTE_IDENT: {
        /* Quotes unless the name is lower-case letters, digits and _, not
         * starting with a digit (PostgreSQL also quotes keywords: a
         * reserved-word check comes with the catalog work). */
        const char *p = args[0].v.s.ptr;
        size_t n = args[0].v.s.len;
        bool safe = n > 0 && !(p[0] >= '0' && p[0] <= '9');
        for (size_t i = 0; safe && i < n; i++)
            safe = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_';
        if (safe) {
            *out = args[0];
            return 0;
        }
        char *q = mem_alloc(ec->cx, 2 * n + 3);
        size_t o = 0;
        q[o++] = '"';
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '"') q[o++] = '"';
            q[o++] = p[i];
        }
        q[o++] = '"';
        *out = datum_bytes(TYPE_TEXT, q, o);
        return 0;
    }
    case FUNC_REPEAT: {
        int64_t count = args[1].v.i > 0 ? args[1].v.i : 0;
        size_t len = args[0].v.s.len;
        if (len && (uint64_t)count > (uint64_t)(1024 * 1024 * 1024 - 1) / len)
            return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
        char *p = mem_alloc(ec->cx, len * (size_t)count + 1);
        for (int64_t i = 0; i < count; i++)
            memcpy(p + (size_t)i * len, args[0].v.s.ptr, len);
        *out = datum_bytes(TYPE_TEXT, p, len * (size_t)count);
        return 0;
    }
    case FUNC_LOWER:
    case FUNC_UPPER: {
        /* Collation C: only ASCII letters change case, as in PostgreSQL. */
        size_t n = args[0].v.s.len;
        char *p = mem_alloc(ec->cx, n + 1);
        for (size_t i = 0; i < n; i++) {
            char ch = args[0].v.s.ptr[i];
            if (e->func == FUNC_LOWER && ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
            if (e->func == FUNC_UPPER && ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
            p[i] = ch;
        }
        *out = datum_bytes(TYPE_TEXT, p, n);
        return 0;
    }
    case FUNC_SQRT:
    case FUNC_EXP:
    case FUNC_LN:
    case FUNC_LOG10:
    case FUNC_POWER:
    case FUNC_FLOOR:
    case FUNC_CEIL:
    case FUNC_ROUND:
    case FUNC_TRUNC:
    case FUNC_SIGN:
    case FUNC_PI:
    case FUNC_DEGREES:
    case FUNC_RADIANS:
    case FUNC_ROUND_NUMERIC:
        return exec_math_func(ec, e, args, out, err);
    default:
        break;
    }
    return exec_func_more(ec, e, args, out, err);
}
