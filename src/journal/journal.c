/*
 * The journal (see journal.h): a libraft 0.15 group on raft_uv + raft_uv_tcp,
 * driven by one libuv loop thread that this file owns.  Session threads
 * encode their write set, queue it, wake the loop (uv_async_t) and wait on a
 * condition variable.  Each loop wake-up drains the whole queue: adjudicate,
 * raft_apply, in arrival order, so concurrent commits reach raft in one loop
 * iteration and raft_uv coalesces their disk writes (group commit).  The
 * FSM (apply, snapshot, restore) runs on the same loop; a commit is answered
 * from raft's apply callback, which fires after the local FSM applied it.
 *
 *   OPENING --leader and barrier applied--> OPEN --journal_close--> CLOSING
 *      |                                     |                         ^
 *      +---------error or timeout----> FAILED <---apply failed         |
 *                                        +-------journal_close---------+
 *
 * FAILED stops raft at once (in-flight commits end with 08007) but keeps the
 * loop alive until journal_close, which closes raft, then the handles, then
 * joins the thread.  Raft snapshots are descriptors (journal_internal.h);
 * the data itself stays in RocksDB, made durable before each snapshot.
 */
#include "journal/journal_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <raft.h>
#include <raft/uv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define JOURNAL_DEFAULT_SNAPSHOT_THRESHOLD 4096
#define JOURNAL_DEFAULT_SNAPSHOT_TRAILING 1024
#define JOURNAL_DEFAULT_OPEN_TIMEOUT_MS 30000
#define JOURNAL_ELECTION_TIMEOUT_MS 1000
#define JOURNAL_HEARTBEAT_TIMEOUT_MS 100
#define JOURNAL_TICK_MS 5
/* How long journal_close waits for in-flight commits before stopping raft
 * under them (they then end with 08007). */
#define JOURNAL_DRAIN_TIMEOUT_MS 5000

typedef enum JournalState {
    JOURNAL_OPENING = 0,
    JOURNAL_OPEN,
    JOURNAL_FAILED,
    JOURNAL_CLOSING,
} JournalState;

/* One journal_commit call.  Lives on the caller's stack; the caller blocks
 * until done, and raft holds &req until its callback, which always comes
 * before done is set for a proposed commit. */
typedef struct JournalCommit {
    struct raft_apply req; /* req.data = this */
    Journal *journal;
    const JournalWriteSet *ws;
    uint8_t *entry; /* raft_malloc'd; NULL once raft owns it */
    size_t entry_len;
    struct JournalCommit *next; /* queue link, then in-flight link */
    pthread_cond_t cond;
    bool done;
    int rc;
    CommitVersion committed;
    DbError *err;
} JournalCommit;

struct Journal {
    /* Fixed at open. */
    Storage *storage;
    uint64_t node_id;
    char address[80]; /* host (< 64) ":" port */
    char dir[DATADIR_PATH_MAX];
    unsigned snapshot_threshold, snapshot_trailing, open_timeout_ms;
    uint8_t txn_nonce[8];

    /* Shared with session threads, under mu.  state is written only by the
     * loop thread (under mu) and may be read atomically without it. */
    pthread_mutex_t mu;
    pthread_cond_t state_cond;
    int state; /* JournalState */
    bool close_requested;
    bool handles_closed;
    JournalCommit *queue_head, *queue_tail;
    DbError open_err;

    /* Atomics. */
    CommitVersion applied; /* last entry written to storage */
    uint64_t txn_counter;
    JournalStats stats;

    /* Loop thread only. */
    pthread_t thread;
    uv_loop_t loop;
    uv_async_t wake;
    uv_timer_t timer;
    struct raft_uv_transport transport;
    struct raft_io io;
    struct raft_fsm fsm;
    struct raft raft;
    struct raft_barrier barrier;
    bool transport_ready, io_ready, raft_ready;
    bool barrier_sent, raft_closing, raft_closed, draining, stop_after_failure;
    uint64_t open_started_ms, drain_started_ms;
    JournalCommit *inflight_head, *inflight_tail;
    JournalOverlay *overlay;
    StorageBatch *batch;
};

#define JOURNAL_STAT_ADD(j, field, n) __atomic_fetch_add(&(j)->stats.field, (n), __ATOMIC_RELAXED)

static uint64_t journal_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static JournalState journal_state_get(Journal *j)
{
    return (JournalState)__atomic_load_n(&j->state, __ATOMIC_ACQUIRE);
}

/* Loop thread only. */
static void journal_state_set(Journal *j, JournalState s)
{
    pthread_mutex_lock(&j->mu);
    __atomic_store_n(&j->state, (int)s, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&j->state_cond);
    pthread_mutex_unlock(&j->mu);
}

/* ---- Answering commits ---- */

/* Hands the outcome to the waiting caller.  c must not be touched after. */
static void journal_commit_finish(Journal *j, JournalCommit *c, int rc)
{
    pthread_mutex_lock(&j->mu);
    c->rc = rc;
    c->done = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&j->mu);
}

static void journal_inflight_push(Journal *j, JournalCommit *c)
{
    c->next = NULL;
    if (j->inflight_tail)
        j->inflight_tail->next = c;
    else
        j->inflight_head = c;
    j->inflight_tail = c;
}

/* Removes c from the in-flight list; false if it was not there. */
static bool journal_inflight_unlink(Journal *j, JournalCommit *c)
{
    JournalCommit *prev = NULL;
    for (JournalCommit *x = j->inflight_head; x; prev = x, x = x->next) {
        if (x != c) continue;
        if (prev)
            prev->next = x->next;
        else
            j->inflight_head = x->next;
        if (j->inflight_tail == x) j->inflight_tail = prev;
        x->next = NULL;
        return true;
    }
    return false;
}

/* raft's answer for a proposed entry: status 0 means committed and applied
 * by the local FSM (libraft calls this right after fsm->apply). */
static void journal_apply_done(struct raft_apply *req, int status, void *result)
{
    (void)result;
    JournalCommit *c = req->data;
    Journal *j = c->journal;
    /* Normally the FSM already took it off the overlay. */
    if (journal_inflight_unlink(j, c)) journal_overlay_remove(j->overlay, c->ws);
    if (status == 0) {
        c->committed = req->index;
        JOURNAL_STAT_ADD(j, commits, 1);
        journal_commit_finish(j, c, 0);
        return;
    }
    db_error_set(c->err, SQLSTATE_TRANSACTION_RESOLUTION_UNKNOWN,
                 "the outcome of the commit is unknown");
    db_error_detail(c->err, "The journal stopped before the commit was applied: %s.",
                    raft_strerror(status));
    journal_commit_finish(j, c, -1);
}

/* Adjudicates c and, if it may commit, proposes it.  True if proposed. */
static bool journal_propose(Journal *j, JournalCommit *c)
{
    /* Checked here, not by the caller: a storage snapshot can show a version
     * a moment before the applied counter does. */
    if (c->ws->snapshot > __atomic_load_n(&j->applied, __ATOMIC_ACQUIRE)) {
        db_error_set(c->err, SQLSTATE_INTERNAL_ERROR,
                     "the write set's snapshot is newer than the journal");
        journal_commit_finish(j, c, -1);
        return false;
    }
    if (journal_adjudicate(j->storage, j->overlay, c->ws, c->err) != 0) {
        if (strcmp(c->err->sqlstate, SQLSTATE_T_R_SERIALIZATION_FAILURE) == 0) {
            if (strstr(c->err->message, "(OC001)"))
                JOURNAL_STAT_ADD(j, schema_conflicts, 1);
            else
                JOURNAL_STAT_ADD(j, conflicts, 1);
        }
        journal_commit_finish(j, c, -1);
        return false;
    }
    journal_entry_stamp(c->entry, journal_wall_ms());
    struct raft_buffer buf = {.base = c->entry, .len = c->entry_len};
    uint8_t *entry = c->entry;
    c->entry = NULL; /* raft's on success; c may be answered before raft_apply returns */
    c->req.data = c;
    journal_overlay_add(j->overlay, c->ws);
    journal_inflight_push(j, c);
    int rv = raft_apply(&j->raft, &c->req, &buf, 1, journal_apply_done);
    if (rv == 0) {
        JOURNAL_STAT_ADD(j, proposals, 1);
        return true;
    }
    c->entry = entry;
    journal_inflight_unlink(j, c);
    journal_overlay_remove(j->overlay, c->ws);
    db_error_set(c->err, SQLSTATE_INTERNAL_ERROR, "could not propose the commit to the journal");
    db_error_detail(c->err, "%s", raft_strerror(rv));
    journal_commit_finish(j, c, -1);
    return false;
}

/* ---- Stopping ---- */

static void journal_tick(uv_timer_t *t);

static void journal_handles_close(Journal *j)
{
    pthread_mutex_lock(&j->mu);
    if (!j->handles_closed) {
        j->handles_closed = true;
        uv_timer_stop(&j->timer);
        uv_close((uv_handle_t *)&j->timer, NULL);
        uv_close((uv_handle_t *)&j->wake, NULL);
    }
    pthread_mutex_unlock(&j->mu);
}

static void journal_raft_closed(struct raft *r)
{
    Journal *j = (Journal *)((char *)r - offsetof(Journal, raft));
    raft_uv_close(&j->io);
    raft_uv_tcp_close(&j->transport);
    j->raft_closed = true;
    pthread_mutex_lock(&j->mu);
    bool closing = j->close_requested;
    pthread_mutex_unlock(&j->mu);
    if (closing) journal_handles_close(j);
}

/* Closes raft (pending entries are answered with an error status). */
static void journal_raft_stop(Journal *j)
{
    if (!j->raft_ready || j->raft_closing) return;
    j->raft_closing = true;
    uv_timer_stop(&j->timer);
    raft_close(&j->raft, journal_raft_closed);
}

/* After journal_close asked: stop once nothing is in flight. */
static void journal_loop_closing(Journal *j)
{
    if (!j->raft_ready || j->raft_closed) {
        journal_handles_close(j);
        return;
    }
    if (j->raft_closing) return;
    if (!j->inflight_head) {
        journal_raft_stop(j);
        return;
    }
    if (!j->draining) {
        j->draining = true;
        j->drain_started_ms = uv_now(&j->loop);
        uv_timer_start(&j->timer, journal_tick, JOURNAL_TICK_MS, JOURNAL_TICK_MS);
    }
}

/* ---- Loop callbacks ---- */

static void journal_open_fail_code(Journal *j, const char *sqlstate, const char *message,
                                   const char *detail)
{
    if (journal_state_get(j) != JOURNAL_OPENING) return;
    db_error_set(&j->open_err, sqlstate, "%s", message);
    if (detail) db_error_detail(&j->open_err, "%s", detail);
    journal_state_set(j, JOURNAL_FAILED);
}

static void journal_open_fail(Journal *j, const char *message, const char *detail)
{
    journal_open_fail_code(j, SQLSTATE_IO_ERROR, message, detail);
}

static void journal_barrier_done(struct raft_barrier *req, int status)
{
    Journal *j = req->data;
    if (status != 0) {
        journal_open_fail(j, "could not start the journal", raft_strerror(status));
        return;
    }
    CommitVersion applied = __atomic_load_n(&j->applied, __ATOMIC_ACQUIRE);
    if (raft_last_applied(&j->raft) < applied) {
        /* Storage holds entries the raft log does not: the log lost them
         * (damaged or replaced), and new entries would reuse their versions. */
        char detail[160];
        snprintf(detail, sizeof detail, "Storage is at version %llu but the raft log ends at %llu.",
                 (unsigned long long)applied, (unsigned long long)raft_last_applied(&j->raft));
        journal_open_fail_code(j, SQLSTATE_DATA_CORRUPTED,
                               "the journal's raft log is behind its database", detail);
        return;
    }
    uv_timer_stop(&j->timer);
    log_info("journal: open at %s, version %llu", j->address, (unsigned long long)applied);
    journal_state_set(j, JOURNAL_OPEN);
}

static void journal_tick(uv_timer_t *t)
{
    Journal *j = t->data;
    uint64_t now = uv_now(&j->loop);
    if (j->draining) {
        if (!j->inflight_head || now - j->drain_started_ms > JOURNAL_DRAIN_TIMEOUT_MS)
            journal_raft_stop(j);
        return;
    }
    if (journal_state_get(j) != JOURNAL_OPENING || j->raft_closing) return;
    if (!j->barrier_sent && raft_state(&j->raft) == RAFT_LEADER) {
        /* A barrier in this term: once it is applied, so is every entry the
         * log held at start (replay done). */
        j->barrier.data = j;
        int rv = raft_barrier(&j->raft, &j->barrier, journal_barrier_done);
        if (rv != 0) {
            journal_open_fail(j, "could not start the journal", raft_strerror(rv));
            return;
        }
        j->barrier_sent = true;
    }
    if (now - j->open_started_ms > j->open_timeout_ms)
        journal_open_fail(j, "timed out starting the journal",
                          "This node did not become the leader of its raft group.");
}

static void journal_wake(uv_async_t *h)
{
    Journal *j = h->data;
    pthread_mutex_lock(&j->mu);
    JournalCommit *list = j->queue_head;
    j->queue_head = j->queue_tail = NULL;
    bool closing = j->close_requested;
    pthread_mutex_unlock(&j->mu);

    JournalState state = journal_state_get(j);
    uint64_t round = 0;
    while (list) {
        JournalCommit *c = list;
        list = list->next;
        c->next = NULL;
        if (closing || state != JOURNAL_OPEN) {
            if (closing)
                db_error_set(c->err, SQLSTATE_ADMIN_SHUTDOWN, "the journal is shutting down");
            else
                db_error_set(c->err, SQLSTATE_INTERNAL_ERROR,
                             "the journal has stopped after an error");
            journal_commit_finish(j, c, -1);
        } else if (journal_propose(j, c)) {
            round++;
        }
    }
    if (round) {
        JOURNAL_STAT_ADD(j, proposal_rounds, 1);
        uint64_t max = __atomic_load_n(&j->stats.max_round, __ATOMIC_RELAXED);
        if (round > max) __atomic_store_n(&j->stats.max_round, round, __ATOMIC_RELAXED);
    }
    if (closing) {
        if (state != JOURNAL_CLOSING) journal_state_set(j, JOURNAL_CLOSING);
        journal_loop_closing(j);
    } else if (j->stop_after_failure) {
        journal_raft_stop(j);
    }
}

/* An apply failed: the replica must not skip a committed entry, so it stops.
 * A restart replays the entry from the raft log. */
static void journal_loop_fail(Journal *j, const DbError *err)
{
    log_error("journal: stopping after an apply failure: %s (%s)", err->message, err->detail);
    journal_state_set(j, JOURNAL_FAILED);
    j->stop_after_failure = true;
    uv_async_send(&j->wake);
}

/* ---- The state machine ---- */

static int journal_fsm_apply(struct raft_fsm *fsm, const struct raft_buffer *buf, void **result)
{
    Journal *j = fsm->data;
    *result = NULL;
    if (j->stop_after_failure) return RAFT_IOERR;
    /* libraft 0.15 gives apply no index; entries apply in order, so it is
     * the next one after the last applied. */
    CommitVersion version = raft_last_applied(&j->raft) + 1;
    if (version <= __atomic_load_n(&j->applied, __ATOMIC_ACQUIRE)) {
        /* Replay after a restart: storage already holds this entry.  Once
         * open, replay is over and this cannot happen unless the log and
         * storage disagree. */
        if (journal_state_get(j) != JOURNAL_OPENING) {
            DbError err;
            db_error_set(&err, SQLSTATE_DATA_CORRUPTED, "journal entry %llu is already applied",
                         (unsigned long long)version);
            db_error_detail(&err, "The raft log and the database disagree.");
            journal_loop_fail(j, &err);
            return RAFT_CORRUPT;
        }
        JOURNAL_STAT_ADD(j, replay_skipped, 1);
    } else {
        DbError err;
        db_error_clear(&err);
        if (journal_apply_entry(j->storage, j->batch, buf->base, buf->len, version, &err) != 0) {
            journal_loop_fail(j, &err);
            return RAFT_IOERR;
        }
        __atomic_store_n(&j->applied, version, __ATOMIC_RELEASE);
        JOURNAL_STAT_ADD(j, applied, 1);
    }
    JournalCommit *head = j->inflight_head;
    if (head && head->req.index == version) {
        journal_overlay_remove(j->overlay, head->ws);
        journal_inflight_unlink(j, head);
    }
    return 0;
}

static int journal_fsm_snapshot(struct raft_fsm *fsm, struct raft_buffer *bufs[], unsigned *n_bufs)
{
    Journal *j = fsm->data;
    /* The log up to this point may be compacted once the snapshot is
     * stored, so storage must hold it durably first. */
    DbError err;
    if (storage_flush_wal(j->storage, true, &err) != 0) {
        log_warn("journal: snapshot postponed: %s (%s)", err.message, err.detail);
        return RAFT_IOERR;
    }
    JournalSnapshotDesc d = {
        .applied = __atomic_load_n(&j->applied, __ATOMIC_ACQUIRE),
        .node_id = j->node_id,
        .taken_ms = journal_wall_ms(),
    };
    *bufs = raft_malloc(sizeof **bufs);
    if (!*bufs) return RAFT_NOMEM;
    (*bufs)[0].base = raft_malloc(JOURNAL_SNAPSHOT_BYTES);
    if (!(*bufs)[0].base) {
        raft_free(*bufs);
        return RAFT_NOMEM;
    }
    (*bufs)[0].len = JOURNAL_SNAPSHOT_BYTES;
    journal_snapshot_encode(&d, (*bufs)[0].base);
    *n_bufs = 1;
    JOURNAL_STAT_ADD(j, snapshots, 1);
    return 0;
}

static int journal_fsm_restore(struct raft_fsm *fsm, struct raft_buffer *buf)
{
    Journal *j = fsm->data;
    JournalSnapshotDesc d;
    DbError err;
    if (journal_snapshot_decode(buf->base, buf->len, &d, &err) != 0) {
        log_error("journal: cannot restore a raft snapshot: %s", err.message);
        return RAFT_MALFORMED;
    }
    CommitVersion have = __atomic_load_n(&j->applied, __ATOMIC_ACQUIRE);
    if (have < d.applied) {
        /* Only another node's RocksDB checkpoint could fill the gap: the
         * transfer is not built yet (see README). */
        log_error("journal: storage is at version %llu, behind the raft snapshot at %llu",
                  (unsigned long long)have, (unsigned long long)d.applied);
        return RAFT_CORRUPT;
    }
    raft_free(buf->base);
    JOURNAL_STAT_ADD(j, restores, 1);
    return 0;
}

/* ---- Starting, on the loop thread ---- */

static int journal_loop_start(Journal *j)
{
    int rv = raft_uv_tcp_init(&j->transport, &j->loop);
    if (rv != 0) {
        journal_open_fail(j, "could not start the journal's transport", raft_strerror(rv));
        return -1;
    }
    j->transport_ready = true;
    rv = raft_uv_init(&j->io, &j->loop, j->dir, &j->transport);
    if (rv != 0) {
        journal_open_fail(j, "could not open the journal's raft directory", j->io.errmsg);
        return -1;
    }
    j->io_ready = true;
    raft_uv_set_snapshot_compression(&j->io, false);
    j->fsm = (struct raft_fsm){
        .version = 1,
        .data = j,
        .apply = journal_fsm_apply,
        .snapshot = journal_fsm_snapshot,
        .restore = journal_fsm_restore,
    };
    rv = raft_init(&j->raft, &j->io, &j->fsm, j->node_id, j->address);
    if (rv != 0) {
        journal_open_fail(j, "could not start the journal", j->io.errmsg);
        return -1;
    }
    j->raft_ready = true;
    raft_set_election_timeout(&j->raft, JOURNAL_ELECTION_TIMEOUT_MS);
    raft_set_heartbeat_timeout(&j->raft, JOURNAL_HEARTBEAT_TIMEOUT_MS);
    raft_set_snapshot_threshold(&j->raft, j->snapshot_threshold);
    raft_set_snapshot_trailing(&j->raft, j->snapshot_trailing);
    raft_set_pre_vote(&j->raft, true);

    struct raft_configuration conf;
    raft_configuration_init(&conf);
    rv = raft_configuration_add(&conf, j->node_id, j->address, RAFT_VOTER);
    if (rv == 0) rv = raft_bootstrap(&j->raft, &conf);
    raft_configuration_close(&conf);
    if (rv != 0 && rv != RAFT_CANTBOOTSTRAP) {
        journal_open_fail(j, "could not bootstrap the journal", raft_errmsg(&j->raft));
        return -1;
    }
    rv = raft_start(&j->raft);
    if (rv != 0) {
        journal_open_fail(j, "could not start the journal", raft_errmsg(&j->raft));
        return -1;
    }
    j->open_started_ms = uv_now(&j->loop);
    uv_timer_start(&j->timer, journal_tick, 0, JOURNAL_TICK_MS);
    return 0;
}

static void *journal_loop_main(void *arg)
{
    Journal *j = arg;
    if (journal_loop_start(j) != 0 && !j->raft_ready) {
        /* Nothing of raft runs: free what was made; journal_close then
         * closes the handles. */
        if (j->io_ready) raft_uv_close(&j->io);
        if (j->transport_ready) raft_uv_tcp_close(&j->transport);
    }
    uv_run(&j->loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close(&j->loop);
    if (rc != 0) log_warn("journal: loop closed with handles left: %s", uv_strerror(rc));
    return NULL;
}

/* ---- Public API ---- */

/* Resolves "host:port"; port 0 becomes a port that is free right now. */
static int journal_address_resolve(const char *in, char *out, size_t size, DbError *err)
{
    const char *colon = strrchr(in, ':');
    char host[64];
    if (!colon || (size_t)(colon - in) >= sizeof host)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid journal address \"%s\"",
                            in);
    memcpy(host, in, (size_t)(colon - in));
    host[colon - in] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid journal address \"%s\"",
                            in);
    if (port == 0) {
        struct sockaddr_in sa = {.sin_family = AF_INET};
        if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "journal address \"%s\": port 0 needs an IPv4 host", in);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        socklen_t len = sizeof sa;
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
            getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
            int e = errno;
            if (fd >= 0) close(fd);
            return db_error_set(err, SQLSTATE_IO_ERROR, "could not find a free port on %s: %s",
                                host, strerror(e));
        }
        close(fd);
        port = ntohs(sa.sin_port);
    }
    snprintf(out, size, "%s:%ld", host, port);
    return 0;
}

static void journal_free(Journal *j)
{
    journal_overlay_destroy(j->overlay);
    storage_batch_destroy(j->batch);
    pthread_cond_destroy(&j->state_cond);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

int journal_open(const JournalConfig *cfg, Storage *storage, Journal **out, DbError *err)
{
    *out = NULL;
    if (!cfg->dir || cfg->node_id == 0)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "the journal needs a directory and a node id");
    if (strlen(cfg->dir) >= DATADIR_PATH_MAX)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "journal path too long");
    if (datadir_mkdir(cfg->dir, err) != 0) return -1;
    Journal *j = calloc(1, sizeof *j);
    if (!j) return db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
    if (journal_address_resolve(cfg->address ? cfg->address : "127.0.0.1:0", j->address,
                                sizeof j->address, err) != 0) {
        free(j);
        return -1;
    }
    j->storage = storage;
    j->node_id = cfg->node_id;
    snprintf(j->dir, sizeof j->dir, "%s", cfg->dir);
    j->snapshot_threshold =
        cfg->snapshot_threshold ? cfg->snapshot_threshold : JOURNAL_DEFAULT_SNAPSHOT_THRESHOLD;
    j->snapshot_trailing =
        cfg->snapshot_trailing ? cfg->snapshot_trailing : JOURNAL_DEFAULT_SNAPSHOT_TRAILING;
    j->open_timeout_ms =
        cfg->open_timeout_ms ? cfg->open_timeout_ms : JOURNAL_DEFAULT_OPEN_TIMEOUT_MS;
    if (getrandom(j->txn_nonce, sizeof j->txn_nonce, 0) != (ssize_t)sizeof j->txn_nonce)
        journal_put_be64(j->txn_nonce, journal_wall_ms() ^ (uint64_t)getpid() << 40);
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->state_cond, NULL);
    j->overlay = journal_overlay_create();
    j->batch = storage_batch_create();
    if (journal_meta_applied_read(storage, NULL, &j->applied, err) != 0) {
        journal_free(j);
        return -1;
    }

    if (uv_loop_init(&j->loop) != 0) {
        journal_free(j);
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "could not create the journal loop");
    }
    uv_async_init(&j->loop, &j->wake, journal_wake);
    j->wake.data = j;
    uv_timer_init(&j->loop, &j->timer);
    j->timer.data = j;
    if (pthread_create(&j->thread, NULL, journal_loop_main, j) != 0) {
        uv_close((uv_handle_t *)&j->wake, NULL);
        uv_close((uv_handle_t *)&j->timer, NULL);
        uv_run(&j->loop, UV_RUN_DEFAULT);
        uv_loop_close(&j->loop);
        journal_free(j);
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "could not start the journal thread");
    }

    pthread_mutex_lock(&j->mu);
    while (j->state == JOURNAL_OPENING)
        pthread_cond_wait(&j->state_cond, &j->mu);
    bool ok = j->state == JOURNAL_OPEN;
    pthread_mutex_unlock(&j->mu);
    if (!ok) {
        *err = j->open_err;
        journal_close(j);
        return -1;
    }
    *out = j;
    return 0;
}

void journal_close(Journal *j)
{
    if (!j) return;
    pthread_mutex_lock(&j->mu);
    j->close_requested = true;
    uv_async_send(&j->wake);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    journal_free(j);
}

int journal_commit(Journal *j, const JournalWriteSet *ws, CommitVersion *committed, DbError *err)
{
    if (journal_ws_validate(ws, err) != 0) return -1;
    if (ws->n_items == 0) return journal_read_version(j, committed, err);

    size_t len = journal_entry_size(ws);
    uint8_t *entry = raft_malloc(len);
    if (!entry) return db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
    uint8_t txn_id[JOURNAL_TXN_ID_BYTES];
    memcpy(txn_id, j->txn_nonce, 8);
    journal_put_be64(txn_id + 8, __atomic_add_fetch(&j->txn_counter, 1, __ATOMIC_RELAXED));
    journal_entry_encode(ws, txn_id, 0, entry);

    JournalCommit c;
    memset(&c, 0, sizeof c);
    c.journal = j;
    c.ws = ws;
    c.entry = entry;
    c.entry_len = len;
    c.err = err;
    pthread_cond_init(&c.cond, NULL);

    pthread_mutex_lock(&j->mu);
    if (j->close_requested || j->state != JOURNAL_OPEN) {
        bool failed = j->state == JOURNAL_FAILED && !j->close_requested;
        pthread_mutex_unlock(&j->mu);
        raft_free(entry);
        pthread_cond_destroy(&c.cond);
        if (failed)
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR,
                                "the journal has stopped after an error");
        return db_error_set(err, SQLSTATE_ADMIN_SHUTDOWN, "the journal is shutting down");
    }
    if (j->queue_tail)
        j->queue_tail->next = &c;
    else
        j->queue_head = &c;
    j->queue_tail = &c;
    uv_async_send(&j->wake);
    while (!c.done)
        pthread_cond_wait(&c.cond, &j->mu);
    pthread_mutex_unlock(&j->mu);

    if (c.entry) raft_free(c.entry);
    pthread_cond_destroy(&c.cond);
    if (c.rc == 0) *committed = c.committed;
    return c.rc;
}

static int journal_check_open(Journal *j, DbError *err)
{
    JournalState s = journal_state_get(j);
    if (s == JOURNAL_OPEN) return 0;
    if (s == JOURNAL_FAILED)
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "the journal has stopped after an error");
    return db_error_set(err, SQLSTATE_ADMIN_SHUTDOWN, "the journal is shutting down");
}

int journal_read_version(Journal *j, CommitVersion *out, DbError *err)
{
    if (journal_check_open(j, err) != 0) return -1;
    /* A single voter is the leader and answers commits only after applying
     * them, so its applied version includes every acknowledged commit.
     * With more voters this becomes a barrier round (ARCHITECTURE.md §5). */
    *out = __atomic_load_n(&j->applied, __ATOMIC_ACQUIRE);
    return 0;
}

int journal_snapshot_take(Journal *j, const StorageSnapshot **snap, CommitVersion *version,
                          DbError *err)
{
    *snap = NULL;
    if (journal_check_open(j, err) != 0) return -1;
    /* The applied version is written in the same batch as each entry, so the
     * snapshot knows exactly which version it is; it includes every
     * acknowledged commit because commits are answered after their apply. */
    const StorageSnapshot *s = storage_snapshot_take(j->storage);
    if (journal_meta_applied_read(j->storage, s, version, err) != 0) {
        storage_snapshot_release(j->storage, s);
        return -1;
    }
    *snap = s;
    return 0;
}

const char *journal_address(const Journal *j)
{
    return j->address;
}

void journal_stats(Journal *j, JournalStats *out)
{
    out->commits = __atomic_load_n(&j->stats.commits, __ATOMIC_RELAXED);
    out->conflicts = __atomic_load_n(&j->stats.conflicts, __ATOMIC_RELAXED);
    out->schema_conflicts = __atomic_load_n(&j->stats.schema_conflicts, __ATOMIC_RELAXED);
    out->proposals = __atomic_load_n(&j->stats.proposals, __ATOMIC_RELAXED);
    out->proposal_rounds = __atomic_load_n(&j->stats.proposal_rounds, __ATOMIC_RELAXED);
    out->max_round = __atomic_load_n(&j->stats.max_round, __ATOMIC_RELAXED);
    out->applied = __atomic_load_n(&j->stats.applied, __ATOMIC_RELAXED);
    out->replay_skipped = __atomic_load_n(&j->stats.replay_skipped, __ATOMIC_RELAXED);
    out->snapshots = __atomic_load_n(&j->stats.snapshots, __ATOMIC_RELAXED);
    out->restores = __atomic_load_n(&j->stats.restores, __ATOMIC_RELAXED);
}
