/*
 * Sequences in a session: CREATE/DROP SEQUENCE, the sequences behind
 * identity columns, and nextval/currval/setval/lastval.
 *
 * Values come in blocks of CACHE from the sequence's allocation state,
 * taken by an autonomous transaction committed through the journal (retried
 * on conflict), so nextval never rolls back and concurrent sessions never
 * share a value.  CACHE 1 costs one journal round trip per value; CACHE
 * >= 65536 one per block (DSQL allows only these two).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/sequence.h"
#include "session/session_int.h"

#define SEQ_ALLOC_RETRIES 20
#define DSQL_SEQ_CACHE_MIN 65536

typedef struct SeqCache {
    uint32_t id;
    int64_t next;      /* next value to hand out from the block */
    int64_t remaining; /* values left in the block */
    bool have_last;
    int64_t last; /* currval */
    struct SeqCache *link;
} SeqCache;

static SeqCache *seq_cache_entry(Session *s, uint32_t id)
{
    for (SeqCache *c = s->seq_cache; c; c = c->link)
        if (c->id == id) return c;
    SeqCache *c = mem_alloc0(s->conn_cx, sizeof *c);
    c->id = id;
    c->link = s->seq_cache;
    s->seq_cache = c;
    return c;
}

/* 'Name', 'schema.name', '"Mixed".name' as regclass input reads them. */
static void seq_split_name(MemContext *cx, const char *text, const char **schema, const char **name)
{
    const char *parts[2] = {NULL, NULL};
    int n = 0;
    const char *p = text;
    while (*p && n < 2) {
        char *out = mem_alloc(cx, strlen(p) + 1);
        size_t o = 0;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                out[o++] = *p++;
            }
            if (*p == '"') p++;
        } else {
            while (*p && *p != '.')
                out[o++] = (char)tolower((unsigned char)*p++);
        }
        out[o] = '\0';
        parts[n++] = out;
        if (*p == '.') p++;
    }
    *schema = n == 2 ? parts[0] : "public";
    *name = n == 2 ? parts[1] : parts[0];
}

static int seq_lookup(Session *s, const char *text, SeqDesc **out, DbError *err)
{
    const char *schema, *name;
    seq_split_name(s->stmt_cx, text, &schema, &name);
    bool found = false;
    if (s->txn && catalog_sequence_lookup(s->txn, schema, name, s->stmt_cx, out, &found, err) != 0)
        return -1;
    if (!found)
        return db_error_set(err, SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist", text);
    return 0;
}

/* Takes the next block of values in its own transaction. */
static int seq_allocate(Session *s, const SeqDesc *d, SeqCache *c, DbError *err)
{
    for (int attempt = 0; attempt < SEQ_ALLOC_RETRIES; attempt++) {
        Txn *t = txn_begin(s->cluster.journal, s->cluster.storage, false, err);
        if (!t) return -1;
        int64_t next;
        if (catalog_sequence_state_get(t, d, &next, err) != 0) {
            txn_abort(t);
            return -1;
        }
        bool asc = d->increment > 0;
        if (asc ? next > d->max_value : next < d->min_value) {
            if (!d->cycle) {
                txn_abort(t);
                return db_error_set(err, SQLSTATE_SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
                                    "nextval: reached %s value of sequence \"%s\" (%lld)",
                                    asc ? "maximum" : "minimum", d->name,
                                    (long long)(asc ? d->max_value : d->min_value));
            }
            next = asc ? d->min_value : d->max_value;
        }
        /* As many values as the cache holds and the bound allows. */
        __int128 room = asc ? ((__int128)d->max_value - next) / d->increment + 1
                            : ((__int128)next - d->min_value) / -d->increment + 1;
        int64_t count = room < d->cache ? (int64_t)room : d->cache;
        __int128 after = (__int128)next + (__int128)count * d->increment;
        int64_t stored = after > INT64_MAX   ? INT64_MAX
                         : after < INT64_MIN ? INT64_MIN
                                             : (int64_t)after;
        if (stored == (asc ? INT64_MAX : INT64_MIN) && count == room) {
            /* The block reaches the bound: store a value past it. */
            stored = asc ? d->max_value : d->min_value;
            if (asc && stored < INT64_MAX) stored++;
            if (!asc && stored > INT64_MIN) stored--;
        }
        if (catalog_sequence_state_put(t, d, stored, err) != 0) {
            txn_abort(t);
            return -1;
        }
        DbError cerr;
        if (txn_commit(t, &cerr) == 0) {
            c->next = next;
            c->remaining = count;
            return 0;
        }
        if (strcmp(cerr.sqlstate, SQLSTATE_T_R_SERIALIZATION_FAILURE) != 0) {
            *err = cerr;
            return -1;
        }
    }
    return db_error_set(err, SQLSTATE_T_R_SERIALIZATION_FAILURE,
                        "change conflicts with another transaction (OC000)");
}

static int seq_nextval(void *arg, const char *text, int64_t *out, DbError *err)
{
    Session *s = arg;
    SeqDesc *d;
    if (seq_lookup(s, text, &d, err) != 0) return -1;
    SeqCache *c = seq_cache_entry(s, d->id);
    if (c->remaining <= 0 && seq_allocate(s, d, c, err) != 0) return -1;
    *out = c->next;
    c->next += d->increment;
    c->remaining--;
    c->have_last = true;
    c->last = *out;
    s->have_lastval = true;
    s->lastval = *out;
    return 0;
}

static int seq_currval(void *arg, const char *text, int64_t *out, DbError *err)
{
    Session *s = arg;
    SeqDesc *d;
    if (seq_lookup(s, text, &d, err) != 0) return -1;
    SeqCache *c = seq_cache_entry(s, d->id);
    if (!c->have_last)
        return db_error_set(err, SQLSTATE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                            "currval of sequence \"%s\" is not yet defined in this session",
                            d->name);
    *out = c->last;
    return 0;
}

static int seq_setval(void *arg, const char *text, int64_t value, bool is_called, DbError *err)
{
    Session *s = arg;
    SeqDesc *d;
    if (seq_lookup(s, text, &d, err) != 0) return -1;
    if (value < d->min_value || value > d->max_value)
        return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
                            "setval: value %lld is out of bounds for sequence \"%s\" (%lld..%lld)",
                            (long long)value, d->name, (long long)d->min_value,
                            (long long)d->max_value);
    int64_t next = value;
    if (is_called) next = value + d->increment;
    for (int attempt = 0;; attempt++) {
        Txn *t = txn_begin(s->cluster.journal, s->cluster.storage, false, err);
        if (!t) return -1;
        if (catalog_sequence_state_put(t, d, next, err) != 0) {
            txn_abort(t);
            return -1;
        }
        DbError cerr;
        if (txn_commit(t, &cerr) == 0) break;
        if (attempt + 1 >= SEQ_ALLOC_RETRIES) {
            *err = cerr;
            return -1;
        }
    }
    SeqCache *c = seq_cache_entry(s, d->id);
    c->remaining = 0;
    if (is_called) {
        c->have_last = true;
        c->last = value;
        s->have_lastval = true;
        s->lastval = value;
    }
    return 0;
}

static int seq_lastval(void *arg, int64_t *out, DbError *err)
{
    Session *s = arg;
    if (!s->have_lastval)
        return db_error_set(err, SQLSTATE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                            "lastval is not yet defined in this session");
    *out = s->lastval;
    return 0;
}

void session_sequences_init(Session *s)
{
    s->seq_hooks = (ExecSequences){seq_nextval, seq_currval, seq_setval, seq_lastval, s};
}

void session_sequences_fini(Session *s)
{
    s->seq_cache = NULL; /* entries live in conn_cx */
}

static int64_t defelem_int(const PgQuery__DefElem *de, int64_t dflt)
{
    const PgQuery__Node *a = de->arg;
    if (!a) return dflt;
    if (a->node_case == PG_QUERY__NODE__NODE_INTEGER) return a->integer->ival;
    if (a->node_case == PG_QUERY__NODE__NODE_FLOAT) return strtoll(a->float_->fval, NULL, 10);
    return dflt;
}

static const char *const SEQ_CACHE_MESSAGE =
    "%s is not supported without an explicit cache size. please define CACHE greater than or "
    "equal to 65536 or equal to 1";

/* Sequence options (CREATE SEQUENCE, identity columns) with DSQL's rules. */
static int seq_options(Session *s, PgQuery__Node *const *opts, size_t n, const char *what,
                       SeqDesc *d, DbError *err)
{
    bool have_cache = false, have_min = false, have_max = false, have_start = false;
    d->increment = 1;
    d->cycle = false;
    for (size_t i = 0; i < n; i++) {
        const PgQuery__DefElem *de = opts[i]->def_elem;
        if (strcmp(de->defname, "cache") == 0) {
            have_cache = true;
            d->cache = defelem_int(de, 1);
        } else if (strcmp(de->defname, "increment") == 0) {
            d->increment = defelem_int(de, 1);
            if (d->increment == 0)
                return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                    "INCREMENT must not be zero");
        } else if (strcmp(de->defname, "minvalue") == 0 && de->arg) {
            have_min = true;
            d->min_value = defelem_int(de, 1);
        } else if (strcmp(de->defname, "maxvalue") == 0 && de->arg) {
            have_max = true;
            d->max_value = defelem_int(de, INT64_MAX);
        } else if (strcmp(de->defname, "start") == 0) {
            have_start = true;
            d->start = defelem_int(de, 1);
        } else if (strcmp(de->defname, "cycle") == 0) {
            d->cycle = de->arg && de->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN &&
                       de->arg->boolean->boolval;
        } else if (strcmp(de->defname, "as") == 0) {
            const PgQuery__TypeName *tn = de->arg->type_name;
            const char *tname = tn->names[tn->n_names - 1]->string->sval;
            if (strcmp(tname, "int8") != 0 && strcmp(tname, "bigint") != 0) {
                uint32_t oid;
                int32_t typmod;
                AnalyzeContext ac = {.cx = s->stmt_cx};
                if (analyze_type_name(&ac, tn, &oid, &typmod, err) != 0) return -1;
                return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                    "datatype %s not supported, sequence type must be bigint",
                                    type_format_name(oid, -1, s->stmt_cx));
            }
        }
    }
    if (!have_cache || (d->cache != 1 && d->cache < DSQL_SEQ_CACHE_MIN))
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, SEQ_CACHE_MESSAGE, what);
    bool asc = d->increment > 0;
    if (!have_min) d->min_value = asc ? 1 : INT64_MIN;
    if (!have_max) d->max_value = asc ? INT64_MAX : -1;
    if (!have_start) d->start = asc ? d->min_value : d->max_value;
    if (d->min_value >= d->max_value)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "MINVALUE (%lld) must be less than MAXVALUE (%lld)",
                            (long long)d->min_value, (long long)d->max_value);
    if (d->start < d->min_value)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "START value (%lld) cannot be less than MINVALUE (%lld)",
                            (long long)d->start, (long long)d->min_value);
    if (d->start > d->max_value)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "START value (%lld) cannot be greater than MAXVALUE (%lld)",
                            (long long)d->start, (long long)d->max_value);
    return 0;
}

int session_create_sequence(Session *s, const ParsedStmt *ps, DbError *err)
{
    const PgQuery__CreateSeqStmt *cs = ps->node->create_seq_stmt;
    SeqDesc *d = mem_alloc0(s->stmt_cx, sizeof *d);
    d->schema = cs->sequence->schemaname && cs->sequence->schemaname[0] ? cs->sequence->schemaname
                                                                        : "public";
    d->name = cs->sequence->relname;
    if (seq_options(s, cs->options, cs->n_options, "CREATE SEQUENCE", d, err) != 0) return -1;
    if (cs->if_not_exists) {
        SeqDesc *existing;
        bool found;
        if (catalog_sequence_lookup(s->txn, d->schema, d->name, s->stmt_cx, &existing, &found,
                                    err) != 0)
            return -1;
        if (found) {
            char msg[256];
            snprintf(msg, sizeof msg, "relation \"%s\" already exists, skipping", d->name);
            session_send_notice(s, SQLSTATE_DUPLICATE_TABLE, DB_SEVERITY_NOTICE, msg);
            session_command_complete(s, "CREATE SEQUENCE");
            return 0;
        }
    }
    if (catalog_sequence_create(s->txn, d, err) != 0) return -1;
    session_command_complete(s, "CREATE SEQUENCE");
    return 0;
}

int session_drop_sequence(Session *s, const PgQuery__DropStmt *ds, DbError *err)
{
    for (size_t i = 0; i < ds->n_objects; i++) {
        const PgQuery__List *names = ds->objects[i]->list;
        const char *schema = names->n_items > 1 ? names->items[0]->string->sval : "public";
        const char *name = names->items[names->n_items - 1]->string->sval;
        SeqDesc *d;
        bool found;
        if (catalog_sequence_lookup(s->txn, schema, name, s->stmt_cx, &d, &found, err) != 0)
            return -1;
        if (!found) {
            if (!ds->missing_ok)
                return db_error_set(err, SQLSTATE_UNDEFINED_TABLE, "sequence \"%s\" does not exist",
                                    name);
            char msg[256];
            snprintf(msg, sizeof msg, "sequence \"%s\" does not exist, skipping", name);
            session_send_notice(s, SQLSTATE_UNDEFINED_TABLE, DB_SEVERITY_NOTICE, msg);
            continue;
        }
        if (catalog_sequence_drop(s->txn, d, err) != 0) return -1;
    }
    session_command_complete(s, "DROP SEQUENCE");
    return 0;
}

int session_identity_sequences(Session *s, TableDesc *d, const PgQuery__CreateStmt *cs,
                               DbError *err)
{
    for (size_t i = 0; i < cs->n_table_elts; i++) {
        const PgQuery__Node *elt = cs->table_elts[i];
        if (elt->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) continue;
        const PgQuery__ColumnDef *cd = elt->column_def;
        for (size_t k = 0; k < cd->n_constraints; k++) {
            const PgQuery__Constraint *con = cd->constraints[k]->constraint;
            if (con->contype != PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY) continue;
            SeqDesc *sd = mem_alloc0(s->stmt_cx, sizeof *sd);
            sd->schema = d->schema;
            sd->name = mem_sprintf(s->stmt_cx, "%s_%s_seq", d->name, cd->colname);
            if (seq_options(s, con->options, con->n_options, "identity column", sd, err) != 0)
                return -1;
            if (catalog_sequence_create(s->txn, sd, err) != 0) return -1;
        }
    }
    return 0;
}
