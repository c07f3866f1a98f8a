/*
 * The extended query protocol: prepared statements and portals, and the
 * Parse / Bind / Describe / Execute / Close / Sync / Flush messages, with
 * PostgreSQL's semantics and error texts (postgres.c exec_*_message).
 *
 *   Parse ──► statement (parsed once, analyzed: parameter types, columns)
 *   Bind  ──► portal = statement + parameter values + result formats
 *   Execute(portal, max_rows):
 *     NEW ──max_rows = 0──► run, rows sent ──► STORED (empty: "SELECT 0" next)
 *     NEW ──max_rows > 0──► run into the portal's store ──► STORED
 *     STORED ──► next max_rows rows; PortalSuspended while max_rows were sent
 *     NEW (no rows returned) ──► run ──► DONE (Execute again: 55000)
 *   an error ──► ErrorResponse, then every message is ignored until Sync.
 *
 * A statement lives in its own MemContext until closed (or replaced, for the
 * unnamed one); a portal lives until closed or until its transaction ends.
 * Statements run through session_execute (dispatch.c).
 */
#include <stdio.h>
#include <string.h>

#include "session/extended.h"
#include "types/binary.h"

typedef enum StmtKind {
    STMT_KIND_EMPTY, /* no statement: EmptyQueryResponse */
    STMT_KIND_QUERY, /* SELECT/INSERT/UPDATE/DELETE: analyzed at Parse */
    STMT_KIND_SHOW,  /* one text column named after the setting */
    STMT_KIND_TXN,   /* BEGIN/COMMIT/ROLLBACK... */
    STMT_KIND_OTHER, /* SET, DDL, COPY: no columns */
} StmtKind;

struct PreparedStmt {
    PreparedStmt *next;
    MemContext *cx;
    const char *name;
    const ParsedStmt *stmt; /* NULL for an empty query */
    StmtKind kind;
    uint32_t *param_types;
    size_t n_params;
    WireField *fields; /* result columns when returns_rows */
    size_t n_fields;
    bool returns_rows;
    int refs; /* the statement table's and each portal's */
};

typedef enum PortalState { PORTAL_NEW, PORTAL_STORED, PORTAL_DONE } PortalState;

struct Portal {
    Portal *next;
    MemContext *cx;
    const char *name;
    PreparedStmt *stmt;
    Datum *params;
    size_t n_params;
    int16_t *formats;
    size_t n_formats;
    PortalState state;
    StrBuf rows;    /* encoded DataRow messages (PORTAL_STORED) */
    StrBuf offsets; /* each row's offset in rows */
    size_t next_row;
};

/* ---- statements and portals ---- */

static PreparedStmt *ext_stmt_find(ExtState *x, const char *name)
{
    for (PreparedStmt *p = x->stmts; p; p = p->next)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

static void ext_stmt_release(PreparedStmt *p)
{
    if (--p->refs == 0) mem_context_destroy(p->cx);
}

static void ext_stmt_remove(ExtState *x, const char *name)
{
    for (PreparedStmt **pp = &x->stmts; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name) != 0) continue;
        PreparedStmt *p = *pp;
        *pp = p->next;
        ext_stmt_release(p);
        return;
    }
}

static Portal *ext_portal_find(ExtState *x, const char *name)
{
    for (Portal *p = x->portals; p; p = p->next)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

static void ext_portal_destroy(Portal *p)
{
    strbuf_fini(&p->rows);
    strbuf_fini(&p->offsets);
    ext_stmt_release(p->stmt);
    mem_context_destroy(p->cx);
}

static void ext_portal_remove(ExtState *x, const char *name)
{
    for (Portal **pp = &x->portals; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name) != 0) continue;
        Portal *p = *pp;
        *pp = p->next;
        ext_portal_destroy(p);
        return;
    }
}

static size_t ext_stmt_count(const ExtState *x)
{
    size_t n = 0;
    for (const PreparedStmt *p = x->stmts; p; p = p->next)
        n++;
    return n;
}

static size_t ext_portal_count(const ExtState *x)
{
    size_t n = 0;
    for (const Portal *p = x->portals; p; p = p->next)
        n++;
    return n;
}

void session_ext_portals_drop(ExtState *x)
{
    while (x->portals) {
        Portal *p = x->portals;
        x->portals = p->next;
        ext_portal_destroy(p);
    }
}

void session_ext_unnamed_drop(ExtState *x)
{
    ext_stmt_remove(x, "");
}

void session_ext_fini(ExtState *x)
{
    session_ext_portals_drop(x);
    while (x->stmts) {
        PreparedStmt *p = x->stmts;
        x->stmts = p->next;
        ext_stmt_release(p);
    }
}

static StmtKind ext_stmt_kind(const ParsedStmt *ps)
{
    if (!ps) return STMT_KIND_EMPTY;
    if (ps->dsql != PARSE_DSQL_NONE) return STMT_KIND_OTHER;
    switch (ps->node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
    case PG_QUERY__NODE__NODE_INSERT_STMT:
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        return STMT_KIND_QUERY;
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
        return STMT_KIND_SHOW;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        return STMT_KIND_TXN;
    default:
        return STMT_KIND_OTHER;
    }
}

/* COMMIT and ROLLBACK are what a failed block still accepts. */
static bool ext_is_txn_exit(const PreparedStmt *p)
{
    if (p->kind != STMT_KIND_TXN) return false;
    PgQuery__TransactionStmtKind k = p->stmt->node->transaction_stmt->kind;
    return k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
           k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK ||
           k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED ||
           k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED;
}

static int ext_aborted_error(DbError *err)
{
    return db_error_set(err, SQLSTATE_IN_FAILED_SQL_TRANSACTION,
                        "current transaction is aborted, commands ignored until end of "
                        "transaction block");
}

static void ext_session_reset(Session *s)
{
    s->param_types = NULL;
    s->n_param_types = 0;
    s->params = NULL;
    s->n_params = 0;
    s->sink = NULL;
    s->describe_only = false;
    s->no_tag = false;
}

/* Parameter types copied into the statement context, where analysis may
 * write the types it infers. */
static uint32_t *ext_types_copy(MemContext *cx, const uint32_t *types, size_t n)
{
    uint32_t *copy = mem_alloc0(cx, sizeof(uint32_t) * (n + 1));
    if (n) memcpy(copy, types, sizeof(uint32_t) * n);
    return copy;
}

/* Analyzes a statement at Parse: parameter types and result columns. */
static int ext_stmt_analyze(Session *s, ExtState *x, PreparedStmt *p, DbError *err)
{
    if (p->kind == STMT_KIND_SHOW) {
        const char *name = p->stmt->node->variable_show_stmt->name;
        size_t idx;
        const Guc *g = session_guc_find(name, &idx);
        if (!g)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT,
                                "unrecognized configuration parameter \"%s\"", name);
        p->fields = mem_alloc0(p->cx, sizeof(WireField));
        p->fields[0] =
            (WireField){.name = g->name, .type_oid = TYPE_TEXT, .typlen = -1, .typmod = -1};
        p->n_fields = 1;
        p->returns_rows = true;
        return 0;
    }
    if (p->kind != STMT_KIND_QUERY) return 0;
    session_implicit_begin(s, x);
    PortalSink cap;
    ResultSink sink;
    session_portal_sink_init(s, &cap, &sink);
    cap.capture_cx = p->cx;
    s->param_types = ext_types_copy(s->stmt_cx, p->param_types, p->n_params);
    s->n_param_types = p->n_params;
    s->describe_only = true;
    s->sink = &sink;
    int rc = session_execute(s, p->stmt, err);
    if (rc == 0) {
        p->param_types = ext_types_copy(p->cx, s->param_types, s->n_param_types);
        p->n_params = s->n_param_types;
        p->fields = cap.fields;
        p->n_fields = cap.n_fields;
        p->returns_rows = cap.described;
    }
    ext_session_reset(s);
    session_portal_sink_fini(&cap);
    return rc;
}

static int ext_parse(Session *s, ExtState *x, const WireMessage *msg, DbError *err)
{
    WireParse m;
    if (wire_parse_decode(msg, s->stmt_cx, &m, err) != 0) return -1;
    if (m.name[0] == '\0')
        session_ext_unnamed_drop(x);
    else if (ext_stmt_find(x, m.name))
        return db_error_set(err, SQLSTATE_DUPLICATE_PSTATEMENT,
                            "prepared statement \"%s\" already exists", m.name);
    if (ext_stmt_count(x) >= LIMIT_PREPARED_STATEMENTS)
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
                            "too many prepared statements (at most %d)", LIMIT_PREPARED_STATEMENTS);
    for (size_t i = 0; i < m.n_param_types; i++)
        if (m.param_types[i] != 0 && !type_info(m.param_types[i]))
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "parameter type %u is not supported", m.param_types[i]);
    MemContext *cx = mem_context_create(s->conn_cx, "prepared statement");
    PreparedStmt *p = mem_alloc0(cx, sizeof *p);
    p->cx = cx;
    p->refs = 1;
    p->name = mem_strdup(cx, m.name);
    p->param_types = ext_types_copy(cx, m.param_types, m.n_param_types);
    p->n_params = m.n_param_types;
    ParseResult pr;
    const char *sql = mem_strndup(cx, m.query, m.query_len);
    if (parse_sql(cx, sql, &pr, err) != 0) goto fail;
    if (pr.n_stmts > 1) {
        db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                     "cannot insert multiple commands into a prepared statement");
        goto fail;
    }
    p->stmt = pr.n_stmts ? &pr.stmts[0] : NULL;
    p->kind = ext_stmt_kind(p->stmt);
    if (s->txn_status == 'E' && p->kind != STMT_KIND_EMPTY && !ext_is_txn_exit(p)) {
        ext_aborted_error(err);
        goto fail;
    }
    if (ext_stmt_analyze(s, x, p, err) != 0) goto fail;
    p->next = x->stmts;
    x->stmts = p;
    wire_parse_complete_encode(&s->out);
    return 0;
fail:
    mem_context_destroy(cx);
    return -1;
}

static PreparedStmt *ext_stmt_lookup(ExtState *x, const char *name, DbError *err)
{
    PreparedStmt *p = ext_stmt_find(x, name);
    if (p) return p;
    if (name[0] == '\0')
        db_error_set(err, SQLSTATE_UNDEFINED_PSTATEMENT,
                     "unnamed prepared statement does not exist");
    else
        db_error_set(err, SQLSTATE_UNDEFINED_PSTATEMENT, "prepared statement \"%s\" does not exist",
                     name);
    return NULL;
}

static Portal *ext_portal_lookup(ExtState *x, const char *name, DbError *err)
{
    Portal *p = ext_portal_find(x, name);
    if (!p) db_error_set(err, SQLSTATE_UNDEFINED_CURSOR, "portal \"%s\" does not exist", name);
    return p;
}

/* One Bind parameter → a Datum of the statement's parameter type. */
static int ext_param_convert(Portal *po, const WireBind *b, size_t i, uint32_t type, DbError *err)
{
    const WireValue *v = &b->params[i];
    int16_t fmt = b->n_param_formats == 0   ? 0
                  : b->n_param_formats == 1 ? b->param_formats[0]
                                            : b->param_formats[i];
    if (v->len < 0) {
        po->params[i] = datum_null(type);
        return 0;
    }
    if (fmt == 0)
        return type_input(type, TYPE_TYPMOD_NONE, (const char *)v->data, (size_t)v->len, po->cx,
                          &po->params[i], err);
    if (fmt != 1)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "unsupported format code: %d",
                            fmt);
    size_t used;
    if (type_binary_recv(type, TYPE_TYPMOD_NONE, v->data, (size_t)v->len, po->cx, &po->params[i],
                         &used, err) != 0)
        return -1;
    if (used != (size_t)v->len)
        return db_error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION,
                            "incorrect binary data format in bind parameter %zu", i + 1);
    return 0;
}

static int ext_bind(Session *s, ExtState *x, const WireMessage *msg, DbError *err)
{
    WireBind b;
    if (wire_bind_decode(msg, s->stmt_cx, &b, err) != 0) return -1;
    PreparedStmt *st = ext_stmt_lookup(x, b.statement, err);
    if (!st) return -1;
    if (b.n_params != st->n_params)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                            "bind message supplies %d parameters, but prepared statement \"%s\" "
                            "requires %zu",
                            b.n_params, st->name, st->n_params);
    if (s->txn_status == 'E' && (!ext_is_txn_exit(st) || b.n_params != 0))
        return ext_aborted_error(err);
    if (b.portal[0] == '\0')
        ext_portal_remove(x, "");
    else if (ext_portal_find(x, b.portal))
        return db_error_set(err, SQLSTATE_DUPLICATE_CURSOR, "cursor \"%s\" already exists",
                            b.portal);
    if (ext_portal_count(x) >= LIMIT_PORTALS)
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "too many portals (at most %d)",
                            LIMIT_PORTALS);
    MemContext *cx = mem_context_create(s->conn_cx, "portal");
    Portal *po = mem_alloc0(cx, sizeof *po);
    po->cx = cx;
    po->name = mem_strdup(cx, b.portal);
    po->stmt = st;
    strbuf_init(&po->rows);
    strbuf_init(&po->offsets);
    st->refs++;
    po->n_params = b.n_params;
    po->params = mem_alloc0(cx, sizeof(Datum) * (b.n_params + 1));
    for (size_t i = 0; i < b.n_params; i++) {
        if (ext_param_convert(po, &b, i, st->param_types[i], err) != 0) {
            ext_portal_destroy(po);
            return -1;
        }
    }
    po->n_formats = b.n_result_formats;
    po->formats = mem_alloc0(cx, sizeof(int16_t) * (b.n_result_formats + 1));
    if (b.n_result_formats)
        memcpy(po->formats, b.result_formats, sizeof(int16_t) * b.n_result_formats);
    if (st->returns_rows && po->n_formats > 1 && po->n_formats != st->n_fields) {
        db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                     "bind message has %zu result formats but query has %zu columns", po->n_formats,
                     st->n_fields);
        ext_portal_destroy(po);
        return -1;
    }
    po->next = x->portals;
    x->portals = po;
    wire_bind_complete_encode(&s->out);
    return 0;
}

static void ext_row_description(Session *s, const PreparedStmt *st, const Portal *po)
{
    if (!st->returns_rows) {
        wire_no_data_encode(&s->out);
        return;
    }
    WireField *f = mem_alloc0(s->stmt_cx, sizeof(WireField) * (st->n_fields + 1));
    for (size_t i = 0; i < st->n_fields; i++) {
        f[i] = st->fields[i];
        f[i].format = po ? session_result_format(po->formats, po->n_formats, i) : 0;
    }
    wire_row_description_encode(&s->out, f, st->n_fields);
}

static int ext_describe(Session *s, ExtState *x, const WireMessage *msg, DbError *err)
{
    WireDescribe m;
    if (wire_describe_decode(msg, &m, err) != 0) return -1;
    if (m.kind == 'S') {
        PreparedStmt *st = ext_stmt_lookup(x, m.name, err);
        if (!st) return -1;
        if (s->txn_status == 'E' && st->returns_rows) return ext_aborted_error(err);
        wire_parameter_description_encode(&s->out, st->param_types, st->n_params);
        ext_row_description(s, st, NULL);
        return 0;
    }
    Portal *po = ext_portal_lookup(x, m.name, err);
    if (!po) return -1;
    if (s->txn_status == 'E' && po->stmt->returns_rows) return ext_aborted_error(err);
    ext_row_description(s, po->stmt, po);
    return 0;
}

/* Sends up to max_rows stored rows (all for max_rows <= 0), then
 * PortalSuspended when the limit was reached, else CommandComplete. */
static int ext_portal_emit(Session *s, Portal *po, int32_t max_rows, DbError *err)
{
    size_t n_rows = po->offsets.len / sizeof(size_t);
    const size_t *offs = (const size_t *)(const void *)po->offsets.data;
    size_t sent = 0;
    while (po->next_row < n_rows && (max_rows <= 0 || sent < (size_t)max_rows)) {
        size_t start = offs[po->next_row];
        size_t end = po->next_row + 1 < n_rows ? offs[po->next_row + 1] : po->rows.len;
        strbuf_append(&s->out, po->rows.data + start, end - start);
        po->next_row++;
        sent++;
        if (s->out.len > 64 * 1024 && wire_flush(s->conn, &s->out, err) != 0) return -1;
    }
    if (max_rows > 0 && sent == (size_t)max_rows) {
        wire_portal_suspended_encode(&s->out);
        return 0;
    }
    char tag[64];
    snprintf(tag, sizeof tag, "SELECT %zu", sent);
    wire_command_complete_encode(&s->out, tag);
    return 0;
}

/* Transaction statements inside the implicit block: BEGIN turns it into a
 * real block, COMMIT/ROLLBACK end it with PostgreSQL's warning. */
static void ext_txn_stmt_prepare(Session *s, ExtState *x, const PreparedStmt *st)
{
    if (!x->implicit) return;
    PgQuery__TransactionStmtKind k = st->stmt->node->transaction_stmt->kind;
    if (k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
        k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START) {
        if (!s->txn && !s->block_has_ddl && !s->block_has_dml) s->txn_status = 'I';
        x->implicit = false;
    } else if (k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
               k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK) {
        session_send_notice(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, DB_SEVERITY_WARNING,
                            "there is no transaction in progress");
        x->implicit = false;
    }
}

static int ext_execute(Session *s, ExtState *x, const WireMessage *msg, DbError *err)
{
    WireExecute m;
    if (wire_execute_decode(msg, &m, err) != 0) return -1;
    Portal *po = ext_portal_lookup(x, m.portal, err);
    if (!po) return -1;
    PreparedStmt *st = po->stmt;
    if (st->kind == STMT_KIND_EMPTY) {
        wire_empty_query_response_encode(&s->out);
        return 0;
    }
    if (po->state == PORTAL_DONE)
        return db_error_set(err, SQLSTATE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                            "portal \"%s\" cannot be run", po->name);
    if (po->state == PORTAL_STORED) {
        if (s->txn_status == 'E') return ext_aborted_error(err);
        return ext_portal_emit(s, po, m.max_rows, err);
    }
    for (size_t i = 0; i < po->n_formats; i++)
        if (po->formats[i] != 0 && po->formats[i] != 1)
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "unsupported format code: %d", po->formats[i]);
    if (st->kind == STMT_KIND_TXN)
        ext_txn_stmt_prepare(s, x, st);
    else
        session_implicit_begin(s, x);
    bool limited = st->kind == STMT_KIND_QUERY && st->returns_rows && m.max_rows > 0;
    PortalSink ps;
    ResultSink sink;
    session_portal_sink_init(s, &ps, &sink);
    ps.formats = po->formats;
    ps.n_formats = po->n_formats;
    if (limited) {
        ps.store = &po->rows;
        ps.offsets = &po->offsets;
        s->no_tag = true;
    }
    s->param_types = ext_types_copy(s->stmt_cx, st->param_types, st->n_params);
    s->n_param_types = st->n_params;
    s->params = po->params;
    s->n_params = po->n_params;
    s->sink = &sink;
    int rc = session_execute(s, st->stmt, err);
    ext_session_reset(s);
    session_portal_sink_fini(&ps);
    if (rc != 0) return -1;
    if (!st->returns_rows) {
        po->state = PORTAL_DONE;
        return 0;
    }
    po->state = PORTAL_STORED;
    if (!limited) return 0;
    return ext_portal_emit(s, po, m.max_rows, err);
}

static int ext_close(Session *s, ExtState *x, const WireMessage *msg, DbError *err)
{
    WireClose m;
    if (wire_close_decode(msg, &m, err) != 0) return -1;
    /* Closing what does not exist is not an error. */
    if (m.kind == 'S')
        ext_stmt_remove(x, m.name);
    else
        ext_portal_remove(x, m.name);
    wire_close_complete_encode(&s->out);
    return 0;
}

static int ext_sync(Session *s, ExtState *x, const WireMessage *msg, DbError *fatal)
{
    DbError err;
    x->skipping = false;
    if (wire_sync_decode(msg, &err) != 0) session_send_error(s, &err);
    if (session_implicit_end(s, x, fatal) != 0) return -1;
    if (s->txn_status == 'I') session_ext_portals_drop(x);
    wire_ready_for_query_encode(&s->out, s->txn_status);
    return 0;
}

int session_ext_message(Session *s, ExtState *x, const WireMessage *msg, DbError *fatal)
{
    if (msg->type == 'S') return ext_sync(s, x, msg, fatal);
    if (x->skipping) return 0;
    DbError err;
    db_error_clear(&err);
    int rc;
    switch (msg->type) {
    case 'P':
        rc = ext_parse(s, x, msg, &err);
        break;
    case 'B':
        rc = ext_bind(s, x, msg, &err);
        break;
    case 'D':
        rc = ext_describe(s, x, msg, &err);
        break;
    case 'E':
        rc = ext_execute(s, x, msg, &err);
        break;
    case 'C':
        rc = ext_close(s, x, msg, &err);
        break;
    default: /* 'H': the loop flushes */
        rc = wire_flush_decode(msg, &err);
        break;
    }
    if (rc == 0) return 0;
    if (err.severity == DB_SEVERITY_FATAL) {
        *fatal = err;
        return -1;
    }
    session_send_error(s, &err);
    session_implicit_fail(s);
    x->skipping = true;
    return 0;
}
