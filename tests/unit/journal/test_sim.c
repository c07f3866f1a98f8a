/*
 * Deterministic simulation of the replicated journal on libraft's in-memory
 * fixture: 3 and 5 voters, each a journal replica core (replica.c: the real
 * FSM apply, adjudicator, overlay, leader barrier and ambiguous-outcome
 * resolution) over its own RocksDB in a temp dir.  Seeded clients propose
 * random write sets on random nodes while seeded faults hit the group
 * (partitions, one-way drops, kills and revivals, network and disk
 * latency, InstallSnapshot to lagging followers).  Disk write failures are
 * not injected: raft_fixture_io_fault double-frees inside libraft 0.15.
 * Checked after every step (at every apply and every answer):
 *   1. no two different entries are applied at the same index;
 *   2. every node's data equals the model of the committed log's prefix up
 *      to its applied version;
 *   3. a commit answered "committed" is the entry at its index, stays there,
 *      and after healing every node applies it (acknowledged never lost);
 *   4. no committed entry conflicts (OC000/OC001 matrix) with an entry
 *      committed between its snapshot and itself;
 *   5. a commit answered "not committed" never appears in the log;
 *   6. a strong read (a barrier on a ready leader, as read.c does) answers
 *      a version that includes every commit acknowledged before it began.
 * BOREALIS_SIM_SEED=n replays one seed exactly (printed on failure);
 * BOREALIS_SIM_SEEDS and BOREALIS_SIM_STEPS scale the run (make
 * test-cluster runs many seeds through tests/cluster/journal_sim.sh);
 * BOREALIS_SIM_TRAILING sets raft's snapshot trailing (default 16, so
 * lagging followers get InstallSnapshot).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <raft/fixture.h>

#include "journal/replica.h"

#define SIM_MAX_NODES 5
#define SIM_KEYS 8
#define SIM_CLIENTS 4
#define SIM_MAX_ITEMS 3
#define SIM_MAX_TXNS 20000
#define SIM_MAX_INDEX 40000

typedef struct SimNode {
    JournalReplica replica; /* first: the FSM's data pointer is the node */
    int (*apply)(struct raft_fsm *, const struct raft_buffer *, void **);
    Storage *storage;
    JournalStats stats;
    unsigned index;
    CommitVersion checked; /* storage verified against the model up to here */
} SimNode;

typedef struct SimClient {
    JournalProposal p;
    JournalWriteSet ws;
    JournalItem items[SIM_MAX_ITEMS];
    uint8_t keys[SIM_MAX_ITEMS][4];
    char values[SIM_MAX_ITEMS][16];
    DbError err;
    uint64_t txn;
    bool busy;
} SimClient;

/* A strong read on a ready leader, as read.c does it: a barrier, then the
 * applied version must include every commit acknowledged before. */
typedef struct SimReader {
    struct raft_barrier req;
    unsigned node;
    CommitVersion must_see;
    bool busy;
} SimReader;

typedef struct SimEntry {
    uint8_t *bytes;
    size_t len;
    uint64_t txn;
} SimEntry;

enum { TXN_NONE = 0, TXN_COMMITTED, TXN_FAILED, TXN_UNKNOWN };

typedef struct Sim {
    uint64_t seed, rng;
    unsigned n, step;
    char dir[128];
    struct raft_fixture f;
    SimNode nodes[SIM_MAX_NODES];
    SimClient clients[SIM_CLIENTS];
    SimReader readers[SIM_CLIENTS];
    uint64_t reads;
    SimEntry *log; /* by raft index: the first entry any node applied there */
    uint64_t next_txn;
    uint8_t *txn_status;      /* by txn number */
    raft_index *txn_index;    /* where it landed in the log, 0 = nowhere */
    raft_index *txn_acked_at; /* version it was acknowledged at */
    uint64_t acked, failed, unknown, proposed, conflicts, lost, fills;
    raft_index max_acked;
} Sim;

static Sim *sim_current;

#define SIM_CHECK(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr,                                                                        \
                    "sim: seed %llu nodes %u step %u: ", (unsigned long long)sim_current->seed,    \
                    sim_current->n, sim_current->step);                                            \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\nreplay: BOREALIS_SIM_SEED=%llu BOREALIS_SIM_NODES=%u\n",            \
                    (unsigned long long)sim_current->seed, sim_current->n);                        \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

static uint64_t sim_rand(Sim *s)
{
    /* xorshift64* */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 0x2545f4914f6cdd1dull;
}

static unsigned sim_below(Sim *s, unsigned n)
{
    return (unsigned)(sim_rand(s) % n);
}

static uint64_t sim_clock(void *arg)
{
    Sim *s = arg;
    return 1700000000000ull + raft_fixture_time(&s->f);
}

static uint64_t sim_txn_of(const uint8_t txn_id[JOURNAL_TXN_ID_BYTES])
{
    return journal_get_be64(txn_id + 8);
}

/* ---- The model: the committed log ---- */

/* Does an item of kind b committed after a's snapshot conflict with a? */
static bool sim_conflicts(JournalConflictKind a, JournalConflictKind b)
{
    switch (a) {
    case JOURNAL_KIND_KEY_WRITE:
        return b == JOURNAL_KIND_KEY_WRITE || b == JOURNAL_KIND_NONKEY_WRITE ||
               b == JOURNAL_KIND_KEY_SHARE;
    case JOURNAL_KIND_NONKEY_WRITE:
        return b == JOURNAL_KIND_KEY_WRITE || b == JOURNAL_KIND_NONKEY_WRITE;
    case JOURNAL_KIND_KEY_SHARE:
        return b == JOURNAL_KIND_KEY_WRITE;
    case JOURNAL_KIND_SCHEMA_READ:
        return b == JOURNAL_KIND_KEY_WRITE || b == JOURNAL_KIND_NONKEY_WRITE;
    case JOURNAL_KIND_UNCHECKED:
        break;
    }
    return false;
}

/* Invariant 4: the new entry at index conflicts with nothing committed in
 * (snapshot, index). */
static void sim_check_adjudication(Sim *s, raft_index index, const SimEntry *e)
{
    JournalEntryHeader h;
    DbError err;
    SIM_CHECK(journal_entry_decode(e->bytes, e->len, &h, &err) == 0, "undecodable entry at %llu",
              (unsigned long long)index);
    JournalEntryCursor c;
    JournalItem it;
    journal_entry_cursor_init(&c, e->bytes, e->len);
    while (journal_entry_cursor_next(&c, &it)) {
        for (raft_index k = h.snapshot + 1; k < index; k++) {
            const SimEntry *o = &s->log[k];
            if (!o->bytes) continue;
            JournalEntryCursor oc;
            JournalItem ot;
            journal_entry_cursor_init(&oc, o->bytes, o->len);
            while (journal_entry_cursor_next(&oc, &ot)) {
                if (ot.key_len != it.key_len || memcmp(ot.key, it.key, it.key_len) != 0) continue;
                SIM_CHECK(!sim_conflicts(it.kind, ot.kind),
                          "entry %llu (txn %llu, snapshot %llu) conflicts with entry %llu "
                          "(txn %llu) on key %.*s",
                          (unsigned long long)index, (unsigned long long)e->txn,
                          (unsigned long long)h.snapshot, (unsigned long long)k,
                          (unsigned long long)o->txn, (int)it.key_len, (const char *)it.key);
            }
        }
    }
}

/* Invariants 1, 4 and 5 when a node applies index. */
static void sim_log_record(Sim *s, raft_index index, const struct raft_buffer *buf)
{
    SIM_CHECK(index < SIM_MAX_INDEX, "log too long");
    SimEntry *e = &s->log[index];
    if (e->bytes) {
        SIM_CHECK(e->len == buf->len && memcmp(e->bytes, buf->base, buf->len) == 0,
                  "two different entries applied at index %llu", (unsigned long long)index);
        return;
    }
    e->bytes = malloc(buf->len);
    memcpy(e->bytes, buf->base, buf->len);
    e->len = buf->len;
    JournalEntryHeader h;
    DbError err;
    SIM_CHECK(journal_entry_decode(e->bytes, e->len, &h, &err) == 0, "bad entry");
    e->txn = sim_txn_of(h.txn_id);
    SIM_CHECK(e->txn < SIM_MAX_TXNS, "txn out of range");
    SIM_CHECK(s->txn_index[e->txn] == 0, "txn %llu landed twice", (unsigned long long)e->txn);
    SIM_CHECK(s->txn_status[e->txn] != TXN_FAILED,
              "txn %llu was answered as not committed but landed at %llu",
              (unsigned long long)e->txn, (unsigned long long)index);
    s->txn_index[e->txn] = index;
    sim_check_adjudication(s, index, e);
}

/* The model's value of key at version v: the last put or delete at or
 * below v.  Returns false when absent. */
static bool sim_model_value(Sim *s, const uint8_t *key, size_t key_len, CommitVersion v,
                            const uint8_t **value, size_t *value_len)
{
    for (raft_index k = v; k >= 1; k--) {
        const SimEntry *e = &s->log[k];
        if (!e->bytes) continue;
        JournalEntryCursor c;
        JournalItem it;
        journal_entry_cursor_init(&c, e->bytes, e->len);
        while (journal_entry_cursor_next(&c, &it)) {
            if (it.key_len != key_len || memcmp(it.key, key, key_len) != 0) continue;
            if (it.op == JOURNAL_OP_PUT) {
                *value = it.value;
                *value_len = it.value_len;
                return true;
            }
            if (it.op == JOURNAL_OP_DELETE) return false;
        }
    }
    return false;
}

static void sim_key(unsigned k, uint8_t out[4])
{
    out[0] = 'k';
    out[1] = (uint8_t)('0' + k / 10);
    out[2] = (uint8_t)('0' + k % 10);
    out[3] = 0;
}

/* Invariant 2: node's storage equals the model at its applied version. */
static void sim_check_state(Sim *s, SimNode *node)
{
    CommitVersion v = journal_replica_applied(&node->replica);
    if (v == node->checked) return;
    node->checked = v;
    DbError err;
    CommitVersion meta;
    SIM_CHECK(journal_meta_applied_read(node->storage, NULL, &meta, &err) == 0 && meta == v,
              "node %u: meta applied %llu != %llu", node->index, (unsigned long long)meta,
              (unsigned long long)v);
    StrBuf got;
    strbuf_init(&got);
    for (unsigned k = 0; k < SIM_KEYS; k++) {
        uint8_t key[4];
        sim_key(k, key);
        bool found;
        SIM_CHECK(storage_get(node->storage, NULL, STORAGE_DATA, key, 3, &got, &found, &err) == 0,
                  "storage_get");
        const uint8_t *want;
        size_t want_len;
        bool present = sim_model_value(s, key, 3, v, &want, &want_len);
        SIM_CHECK(found == present &&
                      (!found || (got.len == want_len && memcmp(got.data, want, want_len) == 0)),
                  "node %u at version %llu: key %s differs from the committed log", node->index,
                  (unsigned long long)v, (const char *)key);
    }
    strbuf_fini(&got);
}

/* Stands in for the RocksDB checkpoint transfer on InstallSnapshot: writes
 * the committed entries storage lacks, up to the snapshot's version. */
static int sim_fill(void *arg, JournalReplica *r, CommitVersion upto)
{
    Sim *s = arg;
    SimNode *node = (SimNode *)r;
    DbError err;
    for (CommitVersion v = journal_replica_applied(r) + 1; v <= upto; v++) {
        if (!s->log[v].bytes) continue;
        SIM_CHECK(journal_apply_entry(node->storage, r->batch, s->log[v].bytes, s->log[v].len, v,
                                      &err) == 0,
                  "fill: %s", err.message);
        __atomic_store_n(&r->applied, v, __ATOMIC_RELEASE);
    }
    s->fills++;
    sim_check_state(s, node);
    return 0;
}

static int sim_fsm_apply(struct raft_fsm *fsm, const struct raft_buffer *buf, void **result)
{
    SimNode *node = fsm->data;
    Sim *s = sim_current;
    raft_index index = raft_last_applied(node->replica.raft) + 1;
    sim_log_record(s, index, buf);
    int rv = node->apply(fsm, buf, result);
    SIM_CHECK(rv == 0, "node %u: apply of %llu failed: %d", node->index, (unsigned long long)index,
              rv);
    sim_check_state(s, node);
    return rv;
}

/* ---- Clients ---- */

static void sim_client_done(JournalProposal *p, int rc)
{
    SimClient *c = (SimClient *)p;
    Sim *s = sim_current;
    c->busy = false;
    if (c->p.entry) {
        raft_free(c->p.entry);
        c->p.entry = NULL;
    }
    if (rc == 0) {
        /* Invariant 3: the acknowledged entry is the one at its index. */
        SIM_CHECK(s->txn_index[c->txn] == p->committed,
                  "txn %llu acknowledged at %llu but the log has it at %llu",
                  (unsigned long long)c->txn, (unsigned long long)p->committed,
                  (unsigned long long)s->txn_index[c->txn]);
        s->txn_status[c->txn] = TXN_COMMITTED;
        s->txn_acked_at[c->txn] = p->committed;
        if (p->committed > s->max_acked) s->max_acked = p->committed;
        s->acked++;
        return;
    }
    if (strcmp(c->err.sqlstate, SQLSTATE_TRANSACTION_RESOLUTION_UNKNOWN) == 0) {
        s->txn_status[c->txn] = TXN_UNKNOWN;
        s->unknown++;
        if (getenv("BOREALIS_SIM_VERBOSE"))
            fprintf(stderr, "# txn %llu unknown: %s\n", (unsigned long long)c->txn, c->err.detail);
        return;
    }
    /* Invariant 5: "not committed" must be true. */
    SIM_CHECK(s->txn_index[c->txn] == 0, "txn %llu answered %s (%s) but landed at %llu",
              (unsigned long long)c->txn, c->err.sqlstate, c->err.message,
              (unsigned long long)s->txn_index[c->txn]);
    s->txn_status[c->txn] = TXN_FAILED;
    if (strstr(c->err.message, "OC00")) s->conflicts++;
    if (strstr(c->err.message, "leader changed")) s->lost++;
    s->failed++;
}

static void sim_client_start(Sim *s, SimClient *c)
{
    /* Mostly on the leader the fixture sees; sometimes anywhere. */
    unsigned at = raft_fixture_leader_index(&s->f);
    if (at >= s->n || sim_below(s, 5) == 0) at = sim_below(s, s->n);
    SimNode *node = &s->nodes[at];
    if (!raft_fixture_alive(&s->f, at)) return;
    /* A snapshot from any node: stale ones make conflicts likely. */
    CommitVersion snap = journal_replica_applied(&s->nodes[sim_below(s, s->n)].replica);
    CommitVersion own = journal_replica_applied(&node->replica);
    if (snap > own) snap = own;
    unsigned n_items = 1 + sim_below(s, SIM_MAX_ITEMS);
    unsigned first = sim_below(s, SIM_KEYS);
    SIM_CHECK(s->next_txn < SIM_MAX_TXNS, "too many transactions");
    c->txn = s->next_txn++;
    for (unsigned i = 0; i < n_items; i++) {
        JournalItem *it = &c->items[i];
        sim_key((first + i) % SIM_KEYS, c->keys[i]);
        memset(it, 0, sizeof *it);
        it->key = c->keys[i];
        it->key_len = 3;
        unsigned dice = sim_below(s, 20);
        if (dice < 10) {
            it->kind = JOURNAL_KIND_KEY_WRITE;
            it->op = JOURNAL_OP_PUT;
        } else if (dice < 14) {
            it->kind = JOURNAL_KIND_NONKEY_WRITE;
            it->op = JOURNAL_OP_PUT;
        } else if (dice < 16) {
            it->kind = JOURNAL_KIND_KEY_WRITE;
            it->op = JOURNAL_OP_DELETE;
        } else if (dice < 19) {
            it->kind = JOURNAL_KIND_KEY_SHARE;
            it->op = JOURNAL_OP_NONE;
        } else {
            it->kind = JOURNAL_KIND_SCHEMA_READ;
            it->op = JOURNAL_OP_NONE;
        }
        if (it->op == JOURNAL_OP_PUT) {
            snprintf(c->values[i], sizeof c->values[i], "t%llu.%u", (unsigned long long)c->txn, i);
            it->value = (const uint8_t *)c->values[i];
            it->value_len = strlen(c->values[i]);
        }
    }
    c->ws = (JournalWriteSet){.snapshot = snap, .items = c->items, .n_items = n_items};
    DbError err;
    SIM_CHECK(journal_ws_validate(&c->ws, &err) == 0, "invalid write set: %s", err.message);
    uint8_t txn_id[JOURNAL_TXN_ID_BYTES] = {0};
    journal_put_be64(txn_id + 8, c->txn);
    memset(&c->p, 0, sizeof c->p);
    memcpy(c->p.txn_id, txn_id, sizeof txn_id);
    c->p.entry_len = journal_entry_size(&c->ws);
    c->p.entry = raft_malloc(c->p.entry_len);
    journal_entry_encode(&c->ws, txn_id, 0, c->p.entry);
    c->p.ws = &c->ws;
    db_error_clear(&c->err);
    c->p.err = &c->err;
    c->p.done = sim_client_done;
    c->busy = true;
    s->proposed++;
    journal_replica_propose(&node->replica, &c->p);
}

static void sim_read_done(struct raft_barrier *req, int status)
{
    SimReader *rd = (SimReader *)req;
    Sim *s = sim_current;
    rd->busy = false;
    if (status != 0) return; /* leadership lost: the reader asks again */
    CommitVersion v = journal_replica_applied(&s->nodes[rd->node].replica);
    /* Invariant 6: a strong read sees every commit acknowledged before it. */
    SIM_CHECK(v >= rd->must_see, "strong read on node %u answered %llu, below acknowledged %llu",
              rd->node, (unsigned long long)v, (unsigned long long)rd->must_see);
    s->reads++;
}

static void sim_read_start(Sim *s, SimReader *rd)
{
    unsigned at = sim_below(s, s->n);
    if (!raft_fixture_alive(&s->f, at) || !journal_replica_ready(&s->nodes[at].replica)) return;
    rd->node = at;
    rd->must_see = s->max_acked;
    rd->req.data = rd;
    if (raft_barrier(s->nodes[at].replica.raft, &rd->req, sim_read_done) == 0) rd->busy = true;
}

/* ---- Faults ---- */

/* The fixture's election timeouts stay fixed once set; raft_uv draws a new
 * one for every election.  Redrawing them now and then keeps the fixture
 * from replaying the same split vote forever. */
static void sim_election_timeouts(Sim *s)
{
    for (unsigned i = 0; i < s->n; i++)
        raft_fixture_set_randomized_election_timeout(&s->f, i, 1000 + sim_below(s, 1000));
}

static unsigned sim_dead(Sim *s)
{
    unsigned dead = 0;
    for (unsigned i = 0; i < s->n; i++)
        if (!raft_fixture_alive(&s->f, i)) dead++;
    return dead;
}

static void sim_fault(Sim *s)
{
    unsigned a = sim_below(s, s->n), b = sim_below(s, s->n);
    sim_election_timeouts(s);
    switch (sim_below(s, 9)) {
    case 0: /* partition a pair both ways */
        if (a != b) {
            raft_fixture_disconnect(&s->f, a, b);
            raft_fixture_disconnect(&s->f, b, a);
        }
        break;
    case 1:
        if (a != b) {
            raft_fixture_reconnect(&s->f, a, b);
            raft_fixture_reconnect(&s->f, b, a);
        }
        break;
    case 2: /* one-way message loss */
        if (a != b) raft_fixture_saturate(&s->f, a, b);
        break;
    case 3:
        if (a != b) raft_fixture_desaturate(&s->f, a, b);
        break;
    case 4: /* kill, keeping a majority alive most of the time */
        if ((sim_dead(s) < (s->n - 1) / 2 || sim_below(s, 8) == 0) && !getenv("SIM_NO_KILL"))
            raft_fixture_kill(&s->f, a);
        break;
    case 5:
        if (!raft_fixture_alive(&s->f, a)) raft_fixture_revive(&s->f, a);
        break;
    case 6:
        raft_fixture_set_network_latency(&s->f, a, 5 + sim_below(s, 120));
        break;
    case 7:
        raft_fixture_set_disk_latency(&s->f, a, 2 + sim_below(s, 40));
        break;
    case 8: /* the leader loses its way: partition it from everyone */
    {
        unsigned l = raft_fixture_leader_index(&s->f);
        if (l < s->n)
            for (unsigned i = 0; i < s->n; i++)
                if (i != l) {
                    raft_fixture_disconnect(&s->f, l, i);
                    raft_fixture_disconnect(&s->f, i, l);
                }
        break;
    }
    }
}

static void sim_heal(Sim *s)
{
    for (unsigned i = 0; i < s->n; i++) {
        if (!raft_fixture_alive(&s->f, i)) raft_fixture_revive(&s->f, i);
        raft_fixture_set_network_latency(&s->f, i, 15);
        raft_fixture_set_disk_latency(&s->f, i, 10);
        for (unsigned k = 0; k < s->n; k++) {
            if (k == i) continue;
            raft_fixture_reconnect(&s->f, i, k);
            raft_fixture_desaturate(&s->f, i, k);
        }
    }
}

/* ---- Driving ---- */

static void sim_step(Sim *s)
{
    s->step++;
    raft_fixture_step(&s->f);
    for (unsigned i = 0; i < s->n; i++)
        if (raft_fixture_alive(&s->f, i)) journal_replica_tick(&s->nodes[i].replica);
}

static unsigned sim_env(const char *name, unsigned dflt)
{
    const char *v = getenv(name);
    return v && *v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

static void sim_setup(Sim *s, uint64_t seed, unsigned n)
{
    memset(s, 0, sizeof *s);
    sim_current = s;
    s->seed = seed;
    s->rng = seed * 0x9e3779b97f4a7c15ull + 1;
    s->n = n;
    s->next_txn = 1;
    s->log = calloc(SIM_MAX_INDEX, sizeof *s->log);
    s->txn_status = calloc(SIM_MAX_TXNS, 1);
    s->txn_index = calloc(SIM_MAX_TXNS, sizeof *s->txn_index);
    s->txn_acked_at = calloc(SIM_MAX_TXNS, sizeof *s->txn_acked_at);
    /* RAM when there is some: the simulation syncs RocksDB at each snapshot. */
    snprintf(s->dir, sizeof s->dir, "%s/borealis-sim-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    assert_non_null(mkdtemp(s->dir));
    memset(&s->f, 0, sizeof s->f); /* raft_fixture_initialize does not zero it */
    assert_int_equal(raft_fixture_initialize(&s->f), 0);
    DbError err;
    for (unsigned i = 0; i < n; i++) {
        SimNode *node = &s->nodes[i];
        char dir[200];
        snprintf(dir, sizeof dir, "%s/n%u", s->dir, i);
        assert_int_equal(storage_open(dir, &node->storage, &err), 0);
        assert_int_equal(
            journal_replica_init(&node->replica, node->storage, i + 1, &node->stats, &err), 0);
        node->index = i;
        node->replica.clock_ms = sim_clock;
        node->replica.clock_arg = s;
        node->replica.fill = sim_fill;
        node->replica.fill_arg = s;
        node->apply = node->replica.fsm.apply;
        node->replica.fsm.apply = sim_fsm_apply;
        assert_int_equal(raft_fixture_grow(&s->f, &node->replica.fsm), 0);
        node->replica.raft = raft_fixture_get(&s->f, i);
        /* Snapshots often (each a WAL sync and a descriptor); lagging
         * followers then get InstallSnapshot (sim_fill). */
        raft_set_snapshot_threshold(node->replica.raft, sim_env("BOREALIS_SIM_SNAPSHOT", 64));
        raft_set_snapshot_trailing(node->replica.raft, sim_env("BOREALIS_SIM_TRAILING", 16));
    }
    sim_election_timeouts(s);
    struct raft_configuration conf;
    assert_int_equal(raft_fixture_configuration(&s->f, n, &conf), 0);
    assert_int_equal(raft_fixture_bootstrap(&s->f, &conf), 0);
    raft_configuration_close(&conf);
    assert_int_equal(raft_fixture_start(&s->f), 0);
}

static void sim_teardown(Sim *s)
{
    raft_fixture_close(&s->f);
    for (unsigned i = 0; i < s->n; i++) {
        journal_replica_fini(&s->nodes[i].replica);
        storage_close(s->nodes[i].storage);
    }
    for (unsigned i = 0; i < SIM_MAX_INDEX; i++)
        free(s->log[i].bytes);
    free(s->log);
    free(s->txn_status);
    free(s->txn_index);
    free(s->txn_acked_at);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    assert_int_equal(system(cmd), 0);
}

static unsigned sim_libraft_conflicts;

static bool sim_libraft_down(Sim *s)
{
    for (unsigned i = 0; i < s->n; i++)
        if (raft_state(raft_fixture_get(&s->f, i)) == RAFT_UNAVAILABLE) return true;
    return false;
}

static bool sim_all_applied(struct raft_fixture *f, void *arg)
{
    Sim *s = arg;
    (void)f;
    for (unsigned i = 0; i < s->n; i++)
        if (raft_state(raft_fixture_get(&s->f, i)) != RAFT_UNAVAILABLE &&
            journal_replica_applied(&s->nodes[i].replica) < s->max_acked)
            return false;
    return true;
}

/* Each node's raft state, printed before a liveness failure. */
static void sim_dump(Sim *s)
{
    for (unsigned i = 0; i < s->n; i++) {
        struct raft *r = raft_fixture_get(&s->f, i);
        fprintf(stderr,
                "node %u: alive %d state %d term %llu applied %llu (raft %llu) last %llu "
                "commit %llu, %u appends received\n",
                i, raft_fixture_alive(&s->f, i), raft_state(r), (unsigned long long)r->current_term,
                (unsigned long long)journal_replica_applied(&s->nodes[i].replica),
                (unsigned long long)raft_last_applied(r), (unsigned long long)raft_last_index(r),
                (unsigned long long)r->commit_index,
                raft_fixture_n_recv(&s->f, i, RAFT_IO_APPEND_ENTRIES));
    }
}

static void sim_run(uint64_t seed, unsigned n, unsigned steps, bool verbose)
{
    Sim *s = calloc(1, sizeof *s);
    sim_setup(s, seed, n);
    for (unsigned i = 0; i < steps; i++) {
        sim_step(s);
        if (sim_below(s, 100) < 3) sim_fault(s);
        if (sim_below(s, 100) < 2) sim_heal(s);
        for (unsigned c = 0; c < SIM_CLIENTS; c++)
            if (!s->clients[c].busy && sim_below(s, 100) < 10) sim_client_start(s, &s->clients[c]);
        for (unsigned r = 0; r < SIM_CLIENTS; r++)
            if (!s->readers[r].busy && sim_below(s, 100) < 3) sim_read_start(s, &s->readers[r]);
    }
    /* Heal everything: every acknowledged commit must reach every node,
     * and a final commit must go through. */
    sim_heal(s);
    s->step++;
    bool healed = false;
    for (int i = 0; i < 60 && !healed; i++) {
        sim_election_timeouts(s);
        healed = raft_fixture_step_until_has_leader(&s->f, 1000);
    }
    bool down = sim_libraft_down(s);
    if (!healed) sim_dump(s);
    SIM_CHECK(healed || down, "no leader after healing");
    if (down) {
        /* libraft 0.15 stopped a node on a log conflict below its commit
         * index: its followers report their whole stored log as matched
         * (last_stored) on a successful heartbeat, so a new leader can
         * count an unverified, conflicting tail towards a quorum.  That is
         * libraft's safety bug, not the journal's; the other nodes must
         * still hold every acknowledged commit. */
        fprintf(stderr, "# sim seed %llu, %u voters: libraft shut a node down on a log conflict\n",
                (unsigned long long)seed, n);
        sim_libraft_conflicts++;
    }
    if (!raft_fixture_step_until(&s->f, sim_all_applied, s, 60000)) sim_dump(s);
    SIM_CHECK(sim_all_applied(&s->f, s),
              "acknowledged commits (up to %llu) not applied everywhere after healing",
              (unsigned long long)s->max_acked);
    raft_fixture_step_until_elapsed(&s->f, 3000);
    for (unsigned i = 0; i < s->n; i++)
        journal_replica_tick(&s->nodes[i].replica);
    raft_fixture_step_until_elapsed(&s->f, 1000);
    unsigned l = s->n;
    for (unsigned i = 0; i < s->n; i++)
        if (journal_replica_ready(&s->nodes[i].replica)) l = i;
    SIM_CHECK(l < s->n, "no ready leader after healing");
    for (uint64_t t = 1; t < s->next_txn; t++)
        if (s->txn_status[t] == TXN_COMMITTED)
            SIM_CHECK(s->txn_index[t] == s->txn_acked_at[t], "acknowledged txn %llu lost",
                      (unsigned long long)t);
    if (verbose)
        fprintf(stderr,
                "# sim seed %llu, %u voters: %llu strong reads, %llu proposed, %llu committed, "
                "%llu OC00x, %llu "
                "lost to leader changes, %llu unknown, %llu failed otherwise, %llu snapshot "
                "installs, log index %llu, t=%llu ms\n",
                (unsigned long long)seed, n, (unsigned long long)s->reads,
                (unsigned long long)s->proposed, (unsigned long long)s->acked,
                (unsigned long long)s->conflicts, (unsigned long long)s->lost,
                (unsigned long long)s->unknown,
                (unsigned long long)(s->failed - s->conflicts - s->lost),
                (unsigned long long)s->fills,
                (unsigned long long)raft_last_index(raft_fixture_get(&s->f, l)),
                (unsigned long long)raft_fixture_time(&s->f));
    sim_teardown(s);
    free(s);
}

static void sim_seeds(unsigned n, unsigned dflt_seeds)
{
    unsigned steps = sim_env("BOREALIS_SIM_STEPS", 4000);
    const char *one = getenv("BOREALIS_SIM_SEED");
    if (one && *one) {
        if (sim_env("BOREALIS_SIM_NODES", n) == n) sim_run(strtoull(one, NULL, 10), n, steps, true);
        return;
    }
    unsigned seeds = sim_env("BOREALIS_SIM_SEEDS", dflt_seeds);
    unsigned first = sim_env("BOREALIS_SIM_FIRST", 1);
    for (unsigned i = 0; i < seeds; i++)
        sim_run(first + i, n, steps, i < 2 || getenv("BOREALIS_SIM_VERBOSE"));
    fprintf(stderr, "# sim %u voters: %u seeds from %u, %u hit libraft's log-conflict shutdown\n",
            n, seeds, first, sim_libraft_conflicts);
    sim_libraft_conflicts = 0;
}

static void test_sim_three_voters(void **state)
{
    (void)state;
    sim_seeds(3, 16);
}

static void test_sim_five_voters(void **state)
{
    (void)state;
    sim_seeds(5, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_three_voters),
        cmocka_unit_test(test_sim_five_voters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
