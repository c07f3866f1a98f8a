/*
 * tools_convert_mysql: MySQL DDL → DSQL DDL, statement by statement.
 *
 *   pre-scan: the names of every table the input creates (so a foreign key
 *             to a table created later can be deferred)
 *   each statement (tokens up to the delimiter):
 *     CREATE TABLE → mysql_table.c; CREATE INDEX, DROP TABLE/INDEX/VIEW,
 *     ALTER TABLE, RENAME TABLE, TRUNCATE → here;
 *     session and dump scaffolding (SET, USE, LOCK TABLES, transactions,
 *     CREATE DATABASE) → nothing; data statements → one warning in all;
 *     routines, triggers, events, views → an error note (application layer)
 *   output: the statements, then the deferred foreign keys
 *
 * Each output statement is one DDL statement, run in its own transaction
 * (as psql -f does), which is what DSQL requires.  A statement that cannot
 * be converted leaves an error note with its line and no output.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/mysql_int.h"

/* ---- notes ---- */

static void add_note(ConvertCtx *c, int line, bool error, const char *message)
{
    if (c->n_notes == c->cap_notes) {
        size_t cap = c->cap_notes ? c->cap_notes * 2 : 16;
        c->notes = mem_realloc(c->cx, c->notes, sizeof(ConvertNote) * c->cap_notes,
                               sizeof(ConvertNote) * cap);
        c->cap_notes = cap;
    }
    c->notes[c->n_notes++] = (ConvertNote){line, error, message};
}

void convert_warn(ConvertCtx *c, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(c, line, false, mem_vsprintf(c->cx, fmt, ap));
    va_end(ap);
}

bool convert_fail(ConvertCtx *c, int line, const char *fmt, ...)
{
    if (c->failed) return false;
    c->failed = true;
    va_list ap;
    va_start(ap, fmt);
    add_note(c, line, true, mem_vsprintf(c->cx, fmt, ap));
    va_end(ap);
    c->n_errors++;
    return false;
}

/* ---- cursor ---- */

const MyToken *convert_peek(ConvertCtx *c, size_t ahead)
{
    size_t i = c->pos + ahead;
    return i < c->n_toks ? &c->toks[i] : &c->toks[c->n_toks]; /* [n_toks] is MY_EOF */
}

const MyToken *convert_take(ConvertCtx *c)
{
    const MyToken *t = convert_peek(c, 0);
    if (c->pos < c->n_toks) c->pos++;
    return t;
}

bool convert_at(ConvertCtx *c, const char *word)
{
    return mysql_tok_is(c->s, convert_peek(c, 0), word);
}

bool convert_accept(ConvertCtx *c, const char *word)
{
    if (!convert_at(c, word)) return false;
    convert_take(c);
    return true;
}

bool convert_at_end(ConvertCtx *c)
{
    return c->pos >= c->n_toks;
}

int convert_line(ConvertCtx *c)
{
    return convert_peek(c, 0)->line;
}

bool convert_expect(ConvertCtx *c, const char *word)
{
    if (convert_accept(c, word)) return true;
    const MyToken *t = convert_peek(c, 0);
    if (t->kind == MY_EOF)
        return convert_fail(c, t->line, "expected %s at the end of the statement", word);
    return convert_fail(c, t->line, "expected %s, found \"%.*s\"", word, t->end - t->start,
                        c->s + t->start);
}

bool convert_skip_group(ConvertCtx *c)
{
    int depth = 0;
    int line = convert_line(c);
    while (!convert_at_end(c)) {
        const MyToken *t = convert_take(c);
        if (mysql_tok_is(c->s, t, "(")) depth++;
        if (mysql_tok_is(c->s, t, ")") && --depth == 0) return true;
    }
    return convert_fail(c, line, "unbalanced parentheses");
}

/* ---- names and literals ---- */

bool convert_read_name(ConvertCtx *c, const char **out)
{
    const MyToken *t = convert_peek(c, 0);
    if (t->kind != MY_WORD && t->kind != MY_QIDENT && t->kind != MY_STRING) {
        if (t->kind == MY_EOF)
            return convert_fail(c, t->line, "expected a name at the end of the statement");
        return convert_fail(c, t->line, "expected a name, found \"%.*s\"", t->end - t->start,
                            c->s + t->start);
    }
    convert_take(c);
    bool nul;
    *out = t->kind == MY_STRING ? mysql_tok_string(c->cx, c->s, t, &nul)
                                : mysql_tok_ident(c->cx, c->s, t);
    if (!**out) return convert_fail(c, t->line, "empty name");
    return true;
}

bool convert_read_qualified(ConvertCtx *c, const char **out)
{
    const char *first = NULL;
    if (!convert_read_name(c, &first)) return false;
    if (convert_at(c, ".") && convert_peek(c, 1)->kind != MY_PUNCT) {
        convert_take(c);
        const char *second = NULL;
        if (!convert_read_name(c, &second)) return false;
        *out = mem_sprintf(c->cx, "%s.%s", first, second);
        return true;
    }
    *out = first;
    return true;
}

const char *convert_ident(ConvertCtx *c, const char *mysql_name)
{
    const char *dot = strchr(mysql_name, '.');
    if (dot && dot != mysql_name && dot[1]) {
        char *schema = mem_strndup(c->cx, mysql_name, (size_t)(dot - mysql_name));
        return mem_sprintf(c->cx, "%s.%s", convert_ident(c, schema), convert_ident(c, dot + 1));
    }
    char *lower = mem_strdup(c->cx, mysql_name);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (strlen(lower) > LIMIT_IDENTIFIER_BYTES) lower[LIMIT_IDENTIFIER_BYTES] = '\0';
    return lint_quote_ident(c->cx, lower);
}

const char *convert_literal(ConvertCtx *c, const char *value)
{
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_append_char(&sb, '\'');
    for (const char *p = value; *p; p++) {
        if (*p == '\'') strbuf_append_char(&sb, '\'');
        strbuf_append_char(&sb, *p);
    }
    strbuf_append_char(&sb, '\'');
    const char *out = mem_strdup(c->cx, sb.data);
    strbuf_fini(&sb);
    return out;
}

static const char *const expr_keywords[] = {"in",      "and",  "or",     "not",  "is",
                                            "between", "like", "exists", "any",  "all",
                                            "some",    "then", "else",   "when", "case"};

static bool is_expr_keyword(ConvertCtx *c, const MyToken *t)
{
    for (size_t i = 0; i < ARRAY_LEN(expr_keywords); i++)
        if (mysql_tok_is(c->s, t, expr_keywords[i])) return true;
    return false;
}

bool convert_read_expr(ConvertCtx *c, const char *what, const char **out)
{
    int line = convert_line(c);
    if (!convert_expect(c, "(")) return false;
    StrBuf sb;
    strbuf_init(&sb);
    int depth = 1;
    const MyToken *prev = NULL;
    bool mysql_only = false;
    for (;;) {
        if (convert_at_end(c)) {
            strbuf_fini(&sb);
            return convert_fail(c, line, "%s: unbalanced parentheses", what);
        }
        const MyToken *t = convert_take(c);
        if (mysql_tok_is(c->s, t, "(")) depth++;
        if (mysql_tok_is(c->s, t, ")") && --depth == 0) break;
        const char *text = mem_strndup(c->cx, c->s + t->start, (size_t)(t->end - t->start));
        bool nul;
        if (t->kind == MY_QIDENT) {
            text = convert_ident(c, mysql_tok_ident(c->cx, c->s, t));
        } else if (t->kind == MY_STRING) {
            text = convert_literal(c, mysql_tok_string(c->cx, c->s, t, &nul));
        } else if (mysql_tok_is(c->s, t, "&&")) {
            text = "AND";
        } else if (mysql_tok_is(c->s, t, "||")) {
            text = "OR";
        } else if (mysql_tok_is(c->s, t, "<=>")) {
            text = "IS NOT DISTINCT FROM";
        } else if (mysql_tok_is(c->s, t, "regexp") || mysql_tok_is(c->s, t, "rlike")) {
            text = "~";
            mysql_only = true;
        } else if (t->kind == MY_WORD && mysql_tok_is(c->s, convert_peek(c, 0), "(") &&
                   !is_expr_keyword(c, t)) {
            static const char *const known[] = {"lower",       "upper",    "length",
                                                "char_length", "coalesce", "abs",
                                                "trim",        "now",      "current_timestamp",
                                                "round",       "floor",    "ceil"};
            bool ok = false;
            for (size_t i = 0; i < ARRAY_LEN(known); i++)
                if (mysql_tok_is(c->s, t, known[i])) ok = true;
            if (!ok) mysql_only = true;
        } else if (t->kind == MY_HEX || t->kind == MY_BITS || mysql_tok_is(c->s, t, "div") ||
                   mysql_tok_is(c->s, t, "xor") || mysql_tok_is(c->s, t, "->") ||
                   mysql_tok_is(c->s, t, "->>")) {
            mysql_only = true;
        }
        bool space =
            prev != NULL && !mysql_tok_is(c->s, prev, "(") && !mysql_tok_is(c->s, t, ")") &&
            !mysql_tok_is(c->s, t, ",") && !mysql_tok_is(c->s, t, ".") &&
            !mysql_tok_is(c->s, prev, ".") &&
            !(mysql_tok_is(c->s, t, "(") && prev->kind == MY_WORD && !is_expr_keyword(c, prev));
        if (space) strbuf_append_char(&sb, ' ');
        strbuf_append_str(&sb, text);
        prev = t;
    }
    *out = mem_strdup(c->cx, sb.data ? sb.data : "");
    strbuf_fini(&sb);
    if (mysql_only)
        convert_warn(c, line,
                     "%s expression (%s) copied: check that PostgreSQL reads it the same "
                     "way",
                     what, *out);
    return true;
}

/* ---- name sets ---- */

void convert_names_add(ConvertCtx *c, const char ***list, size_t *n, size_t *cap, const char *name)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        *list = mem_realloc(c->cx, *list, sizeof(char *) * *cap, sizeof(char *) * ncap);
        *cap = ncap;
    }
    (*list)[(*n)++] = name;
}

static bool names_has(const char **list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return true;
    return false;
}

bool convert_table_done(ConvertCtx *c, const char *name)
{
    return names_has(c->done_tables, c->n_done_tables, name);
}

bool convert_table_later(ConvertCtx *c, const char *name)
{
    return names_has(c->all_tables, c->n_all_tables, name);
}

const char *convert_relation_name(ConvertCtx *c, const char *table, const char *name, int line)
{
    if (!names_has(c->relations, c->n_relations, name)) {
        convert_names_add(c, &c->relations, &c->n_relations, &c->cap_relations, name);
        return name;
    }
    const char *renamed = convert_ident(c, mem_sprintf(c->cx, "%s_%s", table, name));
    for (int k = 2; names_has(c->relations, c->n_relations, renamed); k++)
        renamed = convert_ident(c, mem_sprintf(c->cx, "%s_%s_%d", table, name, k));
    convert_names_add(c, &c->relations, &c->n_relations, &c->cap_relations, renamed);
    convert_warn(c, line,
                 "index %s renamed %s: index names are unique per schema in PostgreSQL, per "
                 "table in MySQL",
                 name, renamed);
    return renamed;
}

/* ---- statements ---- */

static void emit(ConvertCtx *c, const char *sql)
{
    if (c->out.len) strbuf_append_char(&c->out, '\n');
    strbuf_append_str(&c->out, sql);
}

static bool convert_create_index(ConvertCtx *c)
{
    int line = convert_line(c);
    convert_expect(c, "create");
    bool unique = convert_accept(c, "unique");
    bool fulltext = convert_accept(c, "fulltext");
    bool spatial = convert_accept(c, "spatial");
    if (!convert_expect(c, "index")) return false;
    const char *raw;
    if (!convert_read_name(c, &raw)) return false;
    if (convert_accept(c, "using")) convert_take(c);
    if (!convert_expect(c, "on")) return false;
    const char *table_raw;
    if (!convert_read_qualified(c, &table_raw)) return false;
    const char *table = convert_ident(c, table_raw);
    const char *cols;
    int n;
    if (!convert_index_columns(c, mem_sprintf(c->cx, "index %s", raw), &cols, &n)) return false;
    if (fulltext || spatial) {
        convert_warn(c, line, "%s index %s dropped: %s moves to the application",
                     fulltext ? "FULLTEXT" : "SPATIAL", raw,
                     fulltext ? "full-text search" : "spatial search");
        return true;
    }
    const char *name = convert_relation_name(c, table, convert_ident(c, raw), line);
    emit(c, mem_sprintf(c->cx, "CREATE %sINDEX ASYNC %s ON %s (%s);\n", unique ? "UNIQUE " : "",
                        name, table, cols));
    return true;
}

static bool convert_drop(ConvertCtx *c)
{
    int line = convert_line(c);
    convert_expect(c, "drop");
    convert_accept(c, "temporary");
    if (convert_accept(c, "table") || convert_at(c, "view")) {
        bool view = convert_accept(c, "view");
        bool if_exists = false;
        if (convert_accept(c, "if")) {
            if (!convert_expect(c, "exists")) return false;
            if_exists = true;
        }
        StrBuf sb;
        strbuf_init(&sb);
        strbuf_appendf(&sb, "DROP %s %s", view ? "VIEW" : "TABLE", if_exists ? "IF EXISTS " : "");
        for (int i = 0;; i++) {
            const char *raw;
            if (!convert_read_qualified(c, &raw)) {
                strbuf_fini(&sb);
                return false;
            }
            strbuf_appendf(&sb, "%s%s", i ? ", " : "", convert_ident(c, raw));
            if (!convert_accept(c, ",")) break;
        }
        if (convert_accept(c, "cascade")) strbuf_append_str(&sb, " CASCADE");
        convert_accept(c, "restrict");
        strbuf_append_str(&sb, ";\n");
        emit(c, sb.data);
        strbuf_fini(&sb);
        return true;
    }
    if (convert_accept(c, "index")) {
        const char *raw, *table;
        if (!convert_read_name(c, &raw)) return false;
        if (convert_accept(c, "on") && !convert_read_qualified(c, &table)) return false;
        emit(c, mem_sprintf(c->cx, "DROP INDEX %s;\n", convert_ident(c, raw)));
        return true;
    }
    if (convert_accept(c, "database") || convert_accept(c, "schema")) {
        convert_warn(c, line, "DROP DATABASE ignored: a DSQL cluster has one database, postgres");
        return true;
    }
    /* Triggers, routines and events were never created. */
    if (convert_at(c, "trigger") || convert_at(c, "procedure") || convert_at(c, "function") ||
        convert_at(c, "event"))
        return true;
    return convert_fail(c, line, "DROP statement not converted");
}

static const char *alter_prefix(ConvertCtx *c, const char *table)
{
    return mem_sprintf(c->cx, "ALTER TABLE %s", table);
}

static bool alter_add(ConvertCtx *c, const char *table, const char *raw_table)
{
    int line = convert_line(c);
    const char *cname = NULL;
    if (convert_accept(c, "constraint") && !convert_at(c, "primary") && !convert_at(c, "unique") &&
        !convert_at(c, "foreign") && !convert_at(c, "check")) {
        const char *raw;
        if (!convert_read_name(c, &raw)) return false;
        cname = convert_ident(c, raw);
    }
    if (convert_at(c, "primary"))
        return convert_fail(c, line,
                            "ADD PRIMARY KEY not converted: the primary key is fixed at CREATE "
                            "TABLE (recreate %s)",
                            raw_table);
    if (convert_at(c, "index") || convert_at(c, "key") || convert_at(c, "unique") ||
        convert_at(c, "fulltext") || convert_at(c, "spatial")) {
        bool unique = convert_accept(c, "unique");
        bool fulltext = convert_accept(c, "fulltext");
        bool spatial = convert_accept(c, "spatial");
        if (!convert_accept(c, "index")) convert_accept(c, "key");
        const char *iname = cname;
        if (!convert_at(c, "(") && !convert_at(c, "using")) {
            const char *raw;
            if (!convert_read_name(c, &raw)) return false;
            iname = convert_ident(c, raw);
        }
        if (convert_accept(c, "using")) convert_take(c);
        const char *cols;
        int n;
        if (!convert_index_columns(c, "ADD INDEX", &cols, &n)) return false;
        while (convert_accept(c, "using") || convert_accept(c, "comment"))
            convert_take(c);
        if (fulltext || spatial) {
            convert_warn(c, line, "%s index dropped: %s moves to the application",
                         fulltext ? "FULLTEXT" : "SPATIAL",
                         fulltext ? "full-text search" : "spatial search");
            return true;
        }
        if (!iname) return convert_fail(c, line, "ADD INDEX without a name not converted: name it");
        emit(c, mem_sprintf(c->cx, "CREATE %sINDEX ASYNC %s ON %s (%s);\n", unique ? "UNIQUE " : "",
                            convert_relation_name(c, table, iname, line), table, cols));
        return true;
    }
    if (convert_at(c, "foreign")) {
        ConvForeignKey fk;
        if (!convert_read_foreign_key(c, cname, &fk)) return false;
        if (!fk.name)
            return convert_fail(c, line, "ADD FOREIGN KEY without a name not converted: name it");
        emit(c, mem_sprintf(c->cx,
                            "%s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)%s NOT "
                            "VALID;\nALTER TABLE ASYNC %s VALIDATE CONSTRAINT %s;\n",
                            alter_prefix(c, table), fk.name, fk.cols, fk.ref_table, fk.ref_cols,
                            fk.actions, table, fk.name));
        return true;
    }
    if (convert_accept(c, "check")) {
        const char *expr;
        if (!convert_read_expr(c, "CHECK", &expr)) return false;
        if (!cname) return convert_fail(c, line, "ADD CHECK without a name not converted: name it");
        emit(c, mem_sprintf(c->cx,
                            "%s ADD CONSTRAINT %s CHECK (%s) NOT VALID;\nALTER TABLE ASYNC %s "
                            "VALIDATE CONSTRAINT %s;\n",
                            alter_prefix(c, table), cname, expr, table, cname));
        return true;
    }
    convert_accept(c, "column");
    if (convert_at(c, "("))
        return convert_fail(c, line,
                            "ADD COLUMN (...) lists not converted: add one column at a time");
    ConvColumn col;
    if (!convert_read_column(c, table, &col)) return false;
    if (convert_accept(c, "first") || (convert_accept(c, "after") && convert_take(c)))
        convert_warn(c, line, "column %s: FIRST/AFTER dropped (PostgreSQL adds columns at the end)",
                     col.raw_name);
    if (col.auto_increment || col.primary || col.unique || col.not_null || col.generated)
        return convert_fail(c, line,
                            "ADD COLUMN %s with NOT NULL, PRIMARY KEY, UNIQUE, AUTO_INCREMENT or "
                            "GENERATED not converted: DSQL adds columns with name and type only "
                            "(recreate %s)",
                            col.raw_name, raw_table);
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_appendf(&sb, "%s ADD COLUMN %s %s;\n", alter_prefix(c, table), col.name, col.type);
    if (col.default_sql) {
        strbuf_appendf(&sb, "%s ALTER COLUMN %s SET DEFAULT %s;\n", alter_prefix(c, table),
                       col.name, col.default_sql);
        convert_warn(
            c, line,
            "column %s: DEFAULT applies to new rows only; existing rows get NULL (backfill "
            "in batches of at most 3,000 rows)",
            col.raw_name);
    }
    const char *checks[2] = {col.check, col.user_check};
    for (int k = 0; k < 2; k++) {
        if (!checks[k]) continue;
        const char *name = mem_sprintf(c->cx, "%s_%s_check%s", table, col.name, k ? "1" : "");
        strbuf_appendf(&sb,
                       "%s ADD CONSTRAINT %s CHECK (%s) NOT VALID;\nALTER TABLE ASYNC %s VALIDATE "
                       "CONSTRAINT %s;\n",
                       alter_prefix(c, table), name, checks[k], table, name);
    }
    if (col.comment)
        strbuf_appendf(&sb, "COMMENT ON COLUMN %s.%s IS %s;\n", table, col.name,
                       convert_literal(c, col.comment));
    emit(c, sb.data);
    strbuf_fini(&sb);
    return true;
}

static bool alter_action(ConvertCtx *c, const char *table, const char *raw_table)
{
    int line = convert_line(c);
    if (convert_accept(c, "add")) return alter_add(c, table, raw_table);
    if (convert_accept(c, "drop")) {
        if (convert_accept(c, "primary"))
            return convert_fail(c, line, "DROP PRIMARY KEY not converted: recreate %s", raw_table);
        const char *raw;
        if (convert_accept(c, "index") || convert_accept(c, "key")) {
            if (!convert_read_name(c, &raw)) return false;
            emit(c, mem_sprintf(c->cx, "DROP INDEX %s;\n", convert_ident(c, raw)));
            return true;
        }
        if (convert_accept(c, "foreign") || convert_accept(c, "check") ||
            convert_accept(c, "constraint")) {
            convert_accept(c, "key");
            if (!convert_read_name(c, &raw)) return false;
            emit(c, mem_sprintf(c->cx, "%s DROP CONSTRAINT %s;\n", alter_prefix(c, table),
                                convert_ident(c, raw)));
            return true;
        }
        convert_accept(c, "column");
        if (!convert_read_name(c, &raw)) return false;
        emit(c, mem_sprintf(c->cx, "%s DROP COLUMN %s;\n", alter_prefix(c, table),
                            convert_ident(c, raw)));
        return true;
    }
    if (convert_accept(c, "rename")) {
        const char *from, *to;
        if (convert_accept(c, "column")) {
            if (!convert_read_name(c, &from) || !convert_expect(c, "to") ||
                !convert_read_name(c, &to))
                return false;
            emit(c, mem_sprintf(c->cx, "%s RENAME COLUMN %s TO %s;\n", alter_prefix(c, table),
                                convert_ident(c, from), convert_ident(c, to)));
            return true;
        }
        if (convert_accept(c, "index") || convert_accept(c, "key")) {
            if (!convert_read_name(c, &from) || !convert_expect(c, "to") ||
                !convert_read_name(c, &to))
                return false;
            emit(c, mem_sprintf(c->cx, "ALTER INDEX %s RENAME TO %s;\n", convert_ident(c, from),
                                convert_ident(c, to)));
            return true;
        }
        if (!convert_accept(c, "to")) convert_accept(c, "as");
        if (!convert_read_qualified(c, &to)) return false;
        emit(c, mem_sprintf(c->cx, "%s RENAME TO %s;\n", alter_prefix(c, table),
                            convert_ident(c, to)));
        return true;
    }
    if (convert_accept(c, "alter")) {
        convert_accept(c, "column");
        const char *raw;
        if (!convert_read_name(c, &raw)) return false;
        if (convert_accept(c, "drop")) {
            if (!convert_expect(c, "default")) return false;
            emit(c, mem_sprintf(c->cx, "%s ALTER COLUMN %s DROP DEFAULT;\n", alter_prefix(c, table),
                                convert_ident(c, raw)));
            return true;
        }
        if (convert_accept(c, "set") && convert_accept(c, "default")) {
            const MyToken *t = convert_take(c);
            bool nul;
            const char *v = t->kind == MY_STRING
                                ? convert_literal(c, mysql_tok_string(c->cx, c->s, t, &nul))
                                : mem_strndup(c->cx, c->s + t->start, (size_t)(t->end - t->start));
            emit(c, mem_sprintf(c->cx, "%s ALTER COLUMN %s SET DEFAULT %s;\n",
                                alter_prefix(c, table), convert_ident(c, raw), v));
            return true;
        }
        return convert_fail(c, line, "ALTER COLUMN %s: only SET/DROP DEFAULT is converted", raw);
    }
    if (convert_at(c, "modify") || convert_at(c, "change"))
        return convert_fail(c, line,
                            "%s COLUMN not converted: DSQL cannot change a column's type or "
                            "constraints in place; recreate %s (new table, copy in batches, swap "
                            "names) or use RENAME COLUMN for a pure rename",
                            convert_at(c, "modify") ? "MODIFY" : "CHANGE", raw_table);
    if (convert_accept(c, "comment")) {
        convert_accept(c, "=");
        bool nul;
        const char *v = mysql_tok_string(c->cx, c->s, convert_take(c), &nul);
        emit(c, mem_sprintf(c->cx, "COMMENT ON TABLE %s IS %s;\n", table, convert_literal(c, v)));
        return true;
    }
    if (convert_accept(c, "auto_increment")) {
        convert_accept(c, "=");
        convert_take(c);
        convert_warn(c, line,
                     "AUTO_INCREMENT= dropped: move the identity with SELECT setval(...) after "
                     "loading");
        return true;
    }
    /* Table options with no DSQL meaning. */
    static const char *const ignored[] = {"engine",  "row_format",    "algorithm", "lock",
                                          "default", "charset",       "character", "collate",
                                          "convert", "key_block_size"};
    for (size_t i = 0; i < ARRAY_LEN(ignored); i++) {
        if (convert_at(c, ignored[i])) {
            while (!convert_at_end(c) && !convert_at(c, ","))
                convert_take(c);
            return true;
        }
    }
    const MyToken *t = convert_peek(c, 0);
    return convert_fail(c, line, "ALTER TABLE action \"%.*s\" not converted", t->end - t->start,
                        c->s + t->start);
}

static bool convert_alter_table(ConvertCtx *c)
{
    convert_expect(c, "alter");
    convert_accept(c, "online");
    convert_accept(c, "ignore");
    if (!convert_expect(c, "table")) return false;
    const char *raw;
    if (!convert_read_qualified(c, &raw)) return false;
    const char *table = convert_ident(c, raw);
    size_t mark = c->out.len;
    for (;;) {
        if (!alter_action(c, table, raw)) {
            c->out.len = mark; /* nothing of a failed ALTER */
            if (c->out.data) c->out.data[mark] = '\0';
            return false;
        }
        if (!convert_accept(c, ",")) break;
    }
    if (!convert_at_end(c)) {
        const MyToken *t = convert_peek(c, 0);
        c->out.len = mark;
        if (c->out.data) c->out.data[mark] = '\0';
        return convert_fail(c, t->line, "unexpected \"%.*s\" in ALTER TABLE", t->end - t->start,
                            c->s + t->start);
    }
    return true;
}

static bool convert_rename_table(ConvertCtx *c)
{
    convert_expect(c, "rename");
    if (!convert_expect(c, "table")) return false;
    for (;;) {
        const char *from, *to;
        if (!convert_read_qualified(c, &from) || !convert_expect(c, "to") ||
            !convert_read_qualified(c, &to))
            return false;
        emit(c, mem_sprintf(c->cx, "ALTER TABLE %s RENAME TO %s;\n", convert_ident(c, from),
                            convert_ident(c, to)));
        if (!convert_accept(c, ",")) return true;
    }
}

static bool convert_truncate(ConvertCtx *c)
{
    int line = convert_line(c);
    convert_expect(c, "truncate");
    convert_accept(c, "table");
    const char *raw;
    if (!convert_read_qualified(c, &raw)) return false;
    emit(c, mem_sprintf(c->cx, "DELETE FROM %s;\n", convert_ident(c, raw)));
    convert_warn(c, line,
                 "TRUNCATE became DELETE FROM (DSQL has no TRUNCATE); a transaction may delete at "
                 "most 3,000 rows");
    return true;
}

static bool first_word_in(ConvertCtx *c, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (convert_at(c, words[i])) return true;
    return false;
}

static void convert_statement(ConvertCtx *c)
{
    static const char *const ignored[] = {"set",   "use",     "lock",    "unlock",
                                          "start", "begin",   "commit",  "rollback",
                                          "flush", "analyze", "optimize"};
    static const char *const data[] = {"insert", "replace", "update", "delete",
                                       "load",   "select",  "call",   "with"};
    int line = convert_line(c);
    if (first_word_in(c, ignored, ARRAY_LEN(ignored))) return;
    if (first_word_in(c, data, ARRAY_LEN(data))) {
        if (c->n_data_stmts++ == 0) c->first_data_line = line;
        return;
    }
    if (convert_at(c, "create")) {
        size_t k = 1;
        if (mysql_tok_is(c->s, convert_peek(c, k), "or")) k += 2;
        while (mysql_tok_is(c->s, convert_peek(c, k), "algorithm") ||
               mysql_tok_is(c->s, convert_peek(c, k), "definer") ||
               mysql_tok_is(c->s, convert_peek(c, k), "sql")) {
            k++; /* ALGORITHM = x, DEFINER = user@host, SQL SECURITY x */
            while (convert_peek(c, k)->kind != MY_EOF &&
                   !mysql_tok_is(c->s, convert_peek(c, k), "view") &&
                   !mysql_tok_is(c->s, convert_peek(c, k), "trigger") &&
                   !mysql_tok_is(c->s, convert_peek(c, k), "procedure") &&
                   !mysql_tok_is(c->s, convert_peek(c, k), "function") &&
                   !mysql_tok_is(c->s, convert_peek(c, k), "event") &&
                   !mysql_tok_is(c->s, convert_peek(c, k), "algorithm") &&
                   !mysql_tok_is(c->s, convert_peek(c, k), "sql"))
                k++;
        }
        const MyToken *w = convert_peek(c, k);
        if (mysql_tok_is(c->s, w, "table") || mysql_tok_is(c->s, w, "temporary")) {
            convert_create_table(c);
        } else if (mysql_tok_is(c->s, w, "index") || mysql_tok_is(c->s, w, "unique") ||
                   mysql_tok_is(c->s, w, "fulltext") || mysql_tok_is(c->s, w, "spatial")) {
            convert_create_index(c);
        } else if (mysql_tok_is(c->s, w, "database") || mysql_tok_is(c->s, w, "schema")) {
            convert_warn(c, line,
                         "CREATE DATABASE ignored: a DSQL cluster has one database, "
                         "postgres (use schemas to separate applications)");
        } else if (mysql_tok_is(c->s, w, "trigger") || mysql_tok_is(c->s, w, "procedure") ||
                   mysql_tok_is(c->s, w, "function") || mysql_tok_is(c->s, w, "event")) {
            convert_fail(c, line,
                         "CREATE %.*s not converted: DSQL has no triggers, stored procedures or "
                         "events; move the logic into the application",
                         w->end - w->start, c->s + w->start);
        } else if (mysql_tok_is(c->s, w, "view")) {
            convert_fail(c, line,
                         "CREATE VIEW not converted: rewrite its query for PostgreSQL "
                         "(DSQL supports CREATE VIEW)");
        } else {
            convert_fail(c, line, "CREATE statement not converted");
        }
        return;
    }
    if (convert_at(c, "drop")) {
        convert_drop(c);
        return;
    }
    if (convert_at(c, "alter")) {
        convert_alter_table(c);
        return;
    }
    if (convert_at(c, "rename")) {
        convert_rename_table(c);
        return;
    }
    if (convert_at(c, "truncate")) {
        convert_truncate(c);
        return;
    }
    const MyToken *t = convert_peek(c, 0);
    convert_fail(c, line, "statement \"%.*s\" not converted", t->end - t->start, c->s + t->start);
}

/* Reads the next statement's tokens into c->toks (at most
 * CONVERT_MAX_STMT_TOKENS; *too_long says more were dropped); false at the
 * end of the input. */
static bool read_statement(ConvertCtx *c, MyLexer *lx, bool *too_long)
{
    c->n_toks = 0;
    c->pos = 0;
    c->failed = false;
    *too_long = false;
    while (mysql_lex_delimiter(lx))
        ;
    for (;;) {
        MyToken t;
        mysql_lex_next(lx, &t);
        if (t.kind == MY_EOF || t.delim) {
            c->toks[c->n_toks] = (MyToken){MY_EOF, t.start, t.start, t.line, false};
            return t.kind != MY_EOF || c->n_toks > 0;
        }
        if (c->n_toks + 1 >= c->cap_toks) {
            if (c->cap_toks * 2 > CONVERT_MAX_STMT_TOKENS) {
                *too_long = true;
                continue;
            }
            c->toks = mem_realloc(c->cx, c->toks, sizeof(MyToken) * c->cap_toks,
                                  sizeof(MyToken) * c->cap_toks * 2);
            c->cap_toks *= 2;
        }
        c->toks[c->n_toks++] = t;
    }
}

typedef struct NoteSlot {
    ConvertNote note;
    size_t seq;
} NoteSlot;

static int note_cmp(const void *a, const void *b)
{
    const NoteSlot *x = a, *y = b;
    if (x->note.line != y->note.line) return x->note.line < y->note.line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Notes in line order, keeping the order of notes on one line. */
static void sort_notes(ConvertCtx *c)
{
    if (c->n_notes < 2) return;
    NoteSlot *slots = mem_alloc(c->cx, sizeof(NoteSlot) * c->n_notes);
    for (size_t i = 0; i < c->n_notes; i++)
        slots[i] = (NoteSlot){c->notes[i], i};
    qsort(slots, c->n_notes, sizeof(NoteSlot), note_cmp);
    for (size_t i = 0; i < c->n_notes; i++)
        c->notes[i] = slots[i].note;
}

int tools_convert_mysql(const char *mysql, MemContext *cx, ConvertResult *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(mysql);
    if (len > TOOLS_CONVERT_MAX_INPUT_BYTES)
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
                            "input of %zu bytes is larger than the converter's limit of %d bytes",
                            len, TOOLS_CONVERT_MAX_INPUT_BYTES);
    ConvertCtx c;
    memset(&c, 0, sizeof c);
    c.cx = cx;
    c.s = mysql;
    c.len = (int)len;
    strbuf_init(&c.out);
    strbuf_init(&c.tail);
    c.cap_toks = 256;
    c.toks = mem_alloc(cx, sizeof(MyToken) * c.cap_toks);

    /* Pre-scan: the tables this input creates. */
    MyLexer lx;
    mysql_lex_init(&lx, mysql, c.len);
    bool too_long;
    while (read_statement(&c, &lx, &too_long)) {
        if (!convert_accept(&c, "create")) continue;
        convert_accept(&c, "temporary");
        if (!convert_accept(&c, "table")) continue;
        if (convert_accept(&c, "if") &&
            !(convert_accept(&c, "not") && convert_accept(&c, "exists")))
            continue;
        const char *raw;
        size_t n_notes = c.n_notes;
        if (convert_read_qualified(&c, &raw)) {
            const char *name = convert_ident(&c, raw);
            convert_names_add(&c, &c.all_tables, &c.n_all_tables, &c.cap_all_tables, name);
            convert_names_add(&c, &c.relations, &c.n_relations, &c.cap_relations, name);
        }
        c.n_notes = n_notes;
        c.n_errors = 0;
    }

    mysql_lex_init(&lx, mysql, c.len);
    while (read_statement(&c, &lx, &too_long)) {
        if (c.n_toks == 0) continue;
        size_t n_notes = c.n_notes;
        if (too_long) {
            /* Data statements are long; anything else this long is refused. */
            static const char *const data[] = {"insert", "replace"};
            if (first_word_in(&c, data, ARRAY_LEN(data))) {
                if (c.n_data_stmts++ == 0) c.first_data_line = c.toks[0].line;
            } else {
                convert_fail(&c, c.toks[0].line,
                             "statement too long to convert (more than %d tokens)",
                             CONVERT_MAX_STMT_TOKENS);
            }
            continue;
        }
        convert_statement(&c);
        if (c.failed) {
            /* Only the error of a statement that was not converted. */
            ConvertNote e = c.notes[c.n_notes - 1];
            for (size_t i = n_notes; i < c.n_notes; i++)
                if (c.notes[i].error) e = c.notes[i];
            c.n_notes = n_notes;
            add_note(&c, e.line, true, e.message);
        }
    }
    if (c.n_data_stmts > 0)
        convert_warn(&c, c.first_data_line,
                     "%d data statement%s (INSERT, UPDATE, ...) not converted: load the data "
                     "separately (COPY ... FROM STDIN, in batches of at most 3,000 rows per "
                     "transaction)",
                     c.n_data_stmts, c.n_data_stmts == 1 ? "" : "s");
    if (c.tail.len) {
        if (c.out.len) strbuf_append_char(&c.out, '\n');
        strbuf_append(&c.out, c.tail.data, c.tail.len);
    }
    out->sql = mem_strdup(cx, c.out.data ? c.out.data : "");
    strbuf_fini(&c.out);
    strbuf_fini(&c.tail);
    sort_notes(&c);
    out->notes = c.notes;
    out->n_notes = c.n_notes;
    out->n_errors = c.n_errors;
    return 0;
}
