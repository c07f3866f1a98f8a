/*
 * COPY's text and CSV formats, as PostgreSQL's copyfromparse.c and copyto.c
 * read and write them, and its option checks (copy.c ProcessCopyOptions).
 *
 *   text: fields split by the delimiter (tab), \N is NULL, backslash escapes
 *         \b \f \n \r \t \v \ooo \xhh and \<any> (that character);
 *   CSV:  fields split by the delimiter (,), quoted with QUOTE ("), ESCAPE
 *         (QUOTE) before QUOTE or ESCAPE inside quotes; an unquoted field
 *         equal to NULL ('') is NULL; records may span lines inside quotes.
 * Records end at \n (a \r before it is dropped).  Nothing here does I/O.
 */
#include <string.h>
#include <strings.h>

#include "session/copy.h"

static int copy_opt_string(const PgQuery__DefElem *de, const char **out, DbError *err)
{
    const PgQuery__Node *a = de->arg;
    if (a && a->node_case == PG_QUERY__NODE__NODE_STRING) {
        *out = a->string->sval;
        return 0;
    }
    return db_error_set(err, SQLSTATE_SYNTAX_ERROR, "%s requires a string value", de->defname);
}

static int copy_opt_bool(const PgQuery__DefElem *de, bool *out, DbError *err)
{
    const PgQuery__Node *a = de->arg;
    if (!a) {
        *out = true;
        return 0;
    }
    if (a->node_case == PG_QUERY__NODE__NODE_BOOLEAN) {
        *out = a->boolean->boolval;
        return 0;
    }
    if (a->node_case == PG_QUERY__NODE__NODE_INTEGER &&
        (a->integer->ival == 0 || a->integer->ival == 1)) {
        *out = a->integer->ival == 1;
        return 0;
    }
    if (a->node_case == PG_QUERY__NODE__NODE_STRING) {
        const char *s = a->string->sval;
        if (!strcasecmp(s, "true") || !strcasecmp(s, "on") || !strcasecmp(s, "false") ||
            !strcasecmp(s, "off")) {
            *out = !strcasecmp(s, "true") || !strcasecmp(s, "on");
            return 0;
        }
        if (!strcasecmp(s, "match"))
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY HEADER MATCH is not supported");
    }
    return db_error_set(err, SQLSTATE_SYNTAX_ERROR, "%s requires a Boolean value", de->defname);
}

int session_copy_options(const PgQuery__CopyStmt *cs, CopyOptions *o, int *location, DbError *err)
{
    const char *format = NULL, *delim = NULL, *null_str = NULL, *quote = NULL, *escape = NULL;
    bool header_seen = false;
    int format_location = -1;
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < cs->n_options; i++) {
        const PgQuery__DefElem *de = cs->options[i]->def_elem;
        *location = de->location;
        const char *n = de->defname;
        const char **slot = !strcmp(n, "format")      ? &format
                            : !strcmp(n, "delimiter") ? &delim
                            : !strcmp(n, "null")      ? &null_str
                            : !strcmp(n, "quote")     ? &quote
                            : !strcmp(n, "escape")    ? &escape
                                                      : NULL;
        if (slot) {
            if (*slot)
                return db_error_set(err, SQLSTATE_SYNTAX_ERROR, "conflicting or redundant options");
            if (copy_opt_string(de, slot, err) != 0) return -1;
        } else if (!strcmp(n, "header")) {
            if (header_seen)
                return db_error_set(err, SQLSTATE_SYNTAX_ERROR, "conflicting or redundant options");
            header_seen = true;
            if (copy_opt_bool(de, &o->header, err) != 0) return -1;
        } else if (!strcmp(n, "freeze") || !strcmp(n, "oids") || !strcmp(n, "force_quote") ||
                   !strcmp(n, "force_not_null") || !strcmp(n, "force_null") ||
                   !strcmp(n, "encoding")) {
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY option \"%s\" is not supported", n);
        } else {
            return db_error_set(err, SQLSTATE_SYNTAX_ERROR, "option \"%s\" not recognized", n);
        }
        if (slot == &format) format_location = de->location;
    }
    *location = format_location;
    if (format) {
        if (!strcmp(format, "csv"))
            o->csv = true;
        else if (!strcmp(format, "binary"))
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY format \"binary\" is not supported");
        else if (strcmp(format, "text") != 0)
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "COPY format \"%s\" not recognized", format);
    }
    *location = -1;
    o->delim = o->csv ? ',' : '\t';
    o->null_str = o->csv ? "" : "\\N";
    o->quote = '"';
    if (delim) {
        if (strlen(delim) != 1)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY delimiter must be a single one-byte character");
        o->delim = delim[0];
    }
    if (null_str) o->null_str = null_str;
    o->null_len = strlen(o->null_str);
    if (o->delim == '\n' || o->delim == '\r')
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "COPY delimiter cannot be newline or carriage return");
    if (strchr(o->null_str, '\r') || strchr(o->null_str, '\n'))
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "COPY null representation cannot use newline or carriage return");
    if (!o->csv && strchr("\\.abcdefghijklmnopqrstuvwxyz0123456789", o->delim))
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "COPY delimiter cannot be \"%c\"", o->delim);
    if (quote) {
        if (!o->csv)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY quote available only in CSV mode");
        if (strlen(quote) != 1)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY quote must be a single one-byte character");
        o->quote = quote[0];
    }
    o->escape = o->quote;
    if (escape) {
        if (!o->csv)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY escape available only in CSV mode");
        if (strlen(escape) != 1)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY escape must be a single one-byte character");
        o->escape = escape[0];
    }
    if (o->csv && o->delim == o->quote)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "COPY delimiter and quote must be different");
    if (strchr(o->null_str, o->delim))
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "COPY delimiter must not appear in the NULL specification");
    if (o->csv && strchr(o->null_str, o->quote))
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "CSV quote character must not appear in the NULL specification");
    return 0;
}

long session_copy_record_end(const CopyOptions *o, const char *data, size_t len)
{
    bool in_quote = false;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (o->csv) {
            if (in_quote && c == o->escape && o->escape != o->quote && i + 1 < len &&
                (data[i + 1] == o->quote || data[i + 1] == o->escape)) {
                i++;
            } else if (c == o->quote) {
                in_quote = !in_quote;
            } else if (c == '\n' && !in_quote) {
                return (long)i;
            }
        } else if (c == '\\') {
            i++; /* the escaped character never ends a line */
        } else if (c == '\n') {
            return (long)i;
        }
    }
    return -1;
}

static int copy_hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* One text-format field: rec[s..e) raw → de-escaped bytes in out. */
static void copy_text_unescape(const char *p, size_t len, StrBuf *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c != '\\' || i + 1 >= len) {
            strbuf_append_char(out, c);
            continue;
        }
        c = p[++i];
        if (c >= '0' && c <= '7') {
            int v = c - '0';
            for (int k = 0; k < 2 && i + 1 < len && p[i + 1] >= '0' && p[i + 1] <= '7'; k++)
                v = v * 8 + (p[++i] - '0');
            strbuf_append_char(out, (char)(v & 0xff));
        } else if (c == 'x' && i + 1 < len && copy_hex(p[i + 1]) >= 0) {
            int v = copy_hex(p[++i]);
            if (i + 1 < len && copy_hex(p[i + 1]) >= 0) v = v * 16 + copy_hex(p[++i]);
            strbuf_append_char(out, (char)v);
        } else {
            static const char from[] = "bfnrtv", to[] = "\b\f\n\r\t\v";
            const char *m = strchr(from, c);
            strbuf_append_char(out, m && c ? to[m - from] : c);
        }
    }
}

int session_copy_fields(const CopyOptions *o, const char *rec, size_t len, MemContext *cx,
                        const char **values, size_t *lens, size_t max, size_t *n_fields,
                        DbError *err)
{
    StrBuf f;
    strbuf_init(&f);
    size_t n = 0, i = 0;
    for (;;) {
        strbuf_reset(&f);
        size_t start = i;
        bool quoted = false;
        if (o->csv) {
            bool in_quote = false;
            for (; i < len; i++) {
                char c = rec[i];
                if (in_quote) {
                    if (c == o->escape && i + 1 < len &&
                        (rec[i + 1] == o->quote ||
                         (o->escape != o->quote && rec[i + 1] == o->escape))) {
                        strbuf_append_char(&f, rec[++i]);
                    } else if (c == o->quote) {
                        in_quote = false;
                    } else {
                        strbuf_append_char(&f, c);
                    }
                } else if (c == o->delim) {
                    break;
                } else if (c == o->quote) {
                    in_quote = quoted = true;
                } else {
                    strbuf_append_char(&f, c);
                }
            }
            if (in_quote) {
                strbuf_fini(&f);
                return db_error_set(err, SQLSTATE_BAD_COPY_FILE_FORMAT,
                                    "unterminated CSV quoted field");
            }
        } else {
            for (; i < len && rec[i] != o->delim; i++)
                if (rec[i] == '\\') i++;
            if (i > len) i = len;
            copy_text_unescape(rec + start, i - start, &f);
        }
        size_t raw_len = i - start;
        bool is_null =
            !quoted && raw_len == o->null_len && memcmp(rec + start, o->null_str, raw_len) == 0;
        if (n < max) {
            values[n] = is_null ? NULL : mem_strndup(cx, f.data ? f.data : "", f.len);
            lens[n] = f.len;
        }
        n++;
        if (i >= len) break;
        i++; /* the delimiter */
    }
    strbuf_fini(&f);
    *n_fields = n;
    return 0;
}

void session_copy_field_out(const CopyOptions *o, const char *value, size_t len, bool single,
                            StrBuf *out)
{
    if (!value) {
        strbuf_append(out, o->null_str, o->null_len);
        return;
    }
    if (!o->csv) {
        for (size_t i = 0; i < len; i++) {
            char c = value[i];
            static const char from[] = "\b\f\n\r\t\v", to[] = "bfnrtv";
            const char *m = (unsigned char)c < 0x20 && c ? strchr(from, c) : NULL;
            if (m) {
                strbuf_append_char(out, '\\');
                strbuf_append_char(out, to[m - from]);
            } else if (c == '\\' || c == o->delim) {
                strbuf_append_char(out, '\\');
                strbuf_append_char(out, c);
            } else {
                strbuf_append_char(out, c);
            }
        }
        return;
    }
    bool quote = (len == o->null_len && memcmp(value, o->null_str, len) == 0) ||
                 (single && len == 2 && memcmp(value, "\\.", 2) == 0);
    for (size_t i = 0; i < len && !quote; i++) {
        char c = value[i];
        quote = c == o->delim || c == o->quote || c == '\n' || c == '\r';
    }
    if (!quote) {
        strbuf_append(out, value, len);
        return;
    }
    strbuf_append_char(out, o->quote);
    for (size_t i = 0; i < len; i++) {
        if (value[i] == o->quote || value[i] == o->escape) strbuf_append_char(out, o->escape);
        strbuf_append_char(out, value[i]);
    }
    strbuf_append_char(out, o->quote);
}
