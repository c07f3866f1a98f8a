/*
 * The journal (see journal.h): one node's member of a libraft 0.15 group on
 * raft_uv + raft_uv_tcp, driven by one libuv loop thread that this file
 * owns.  Session threads encode their write set, queue it, wake the loop
 * (uv_async_t) and wait on a condition variable.  Each loop wake-up drains
 * the whole queue through the replica core (replica.c: adjudicate,
 * raft_apply) in arrival order, so concurrent commits reach raft in one
 * loop iteration and raft_uv coalesces their disk writes (group commit).
 * A commit is answered from raft's apply callback, which fires once a
 * quorum has the entry and the local FSM applied it.  Commits that arrive
 * while the group elects a leader are parked until this node is a ready
 * leader or leader_wait_ms passes; on a follower they fail with 08006.
 *
 *   OPENING --ready leader / group has a leader--> OPEN --close--> CLOSING
 *      |                                            |                 ^
 *      +---------error or timeout----> FAILED <--apply failed         |
 *                                        +--------journal_close-------+
 */
#include "journal/node.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define JOURNAL_DEFAULT_SNAPSHOT_THRESHOLD 4096
#define JOURNAL_DEFAULT_SNAPSHOT_TRAILING 1024
#define JOURNAL_DEFAULT_OPEN_TIMEOUT_MS 30000
#define JOURNAL_DEFAULT_LEADER_WAIT_MS 5000
#define JOURNAL_ELECTION_TIMEOUT_MS 1000
#define JOURNAL_HEARTBEAT_TIMEOUT_MS 100
#define JOURNAL_CONNECT_RETRY_MS 200
#define JOURNAL_TICK_MS 5
#define JOURNAL_IDLE_TICK_MS 50
/* How long journal_close waits for in-flight commits before stopping raft
 * under them (they then end with 08007). */
#define JOURNAL_DRAIN_TIMEOUT_MS 5000

static uint64_t journal_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t journal_clock(void *arg)
{
    (void)arg;
    return journal_wall_ms();
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

const JournalPeerCopy *journal_peer_find(const Journal *j, uint64_t node_id)
{
    for (size_t i = 0; i < j->n_peers; i++)
        if (j->peers[i].node_id == node_id) return &j->peers[i];
    return NULL;
}

/* ---- Answering commits ---- */

static void journal_commit_finish(Journal *j, JournalCommit *c, int rc)
{
    pthread_mutex_lock(&j->mu);
    c->rc = rc;
    c->done = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&j->mu);
}

/* The replica's outcome callback.  c must not be touched after. */
static void journal_commit_done(JournalProposal *p, int rc)
{
    JournalCommit *c = (JournalCommit *)p;
    journal_commit_finish(c->journal, c, rc);
}

static void journal_commit_fail(Journal *j, JournalCommit *c, const char *sqlstate,
                                const char *message)
{
    db_error_set(c->p.err, sqlstate, "%s", message);
    journal_commit_finish(j, c, -1);
}

/* True while no leader is known or this node leads but is not ready yet:
 * a commit should wait a little rather than fail. */
static bool journal_electing(Journal *j)
{
    raft_id leader;
    const char *address;
    raft_leader(&j->raft, &leader, &address);
    return leader == 0 || leader == j->node_id;
}

/* Proposes c now, parks it, or refuses it. */
static bool journal_commit_route(Journal *j, JournalCommit *c)
{
    if (journal_replica_ready(&j->replica)) return journal_replica_propose(&j->replica, &c->p);
    if (!j->replica.failed && journal_electing(j) && uv_now(&j->loop) < c->deadline_ms) {
        c->next = j->parked;
        j->parked = c;
        return false;
    }
    /* The replica fills the error (08006, naming the leader). */
    journal_replica_propose(&j->replica, &c->p);
    return false;
}

/* ---- Stopping ---- */

static void journal_tick(uv_timer_t *t);

static void journal_handles_close(Journal *j)
{
    pthread_mutex_lock(&j->mu);
    bool first = !j->handles_closed;
    j->handles_closed = true;
    pthread_mutex_unlock(&j->mu);
    if (!first) return;
    journal_ask_close(j);
    uv_timer_stop(&j->timer);
    uv_close((uv_handle_t *)&j->timer, NULL);
    uv_close((uv_handle_t *)&j->wake, NULL);
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
    raft_close(&j->raft, journal_raft_closed);
}

static void journal_parked_fail(Journal *j, const char *sqlstate, const char *message)
{
    while (j->parked) {
        JournalCommit *c = j->parked;
        j->parked = c->next;
        c->next = NULL;
        journal_commit_fail(j, c, sqlstate, message);
    }
}

/* After journal_close asked: stop once nothing is in flight. */
static void journal_loop_closing(Journal *j)
{
    journal_parked_fail(j, SQLSTATE_ADMIN_SHUTDOWN, "the journal is shutting down");
    journal_reads_stop(j, SQLSTATE_ADMIN_SHUTDOWN, "the journal is shutting down");
    if (!j->raft_ready || j->raft_closed) {
        journal_handles_close(j);
        return;
    }
    if (j->raft_closing) return;
    if (!j->replica.inflight_head) {
        journal_raft_stop(j);
        return;
    }
    if (!j->draining) {
        j->draining = true;
        j->drain_started_ms = uv_now(&j->loop);
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

/* OPENING: a single voter opens once it is a ready leader (its barrier is
 * applied, so replay is done); several voters open once a leader exists. */
static void journal_open_check(Journal *j)
{
    CommitVersion applied = journal_replica_applied(&j->replica);
    if (journal_replica_ready(&j->replica) && raft_last_applied(&j->raft) < applied) {
        /* Storage holds entries the raft log does not: the log lost them
         * (damaged or replaced), and new entries would reuse their versions. */
        char detail[160];
        snprintf(detail, sizeof detail, "Storage is at version %llu but the raft log ends at %llu.",
                 (unsigned long long)applied, (unsigned long long)raft_last_applied(&j->raft));
        journal_open_fail_code(j, SQLSTATE_DATA_CORRUPTED,
                               "the journal's raft log is behind its database", detail);
        return;
    }
    bool open = journal_replica_ready(&j->replica) ||
                (j->n_peers > 1 && __atomic_load_n(&j->leader_id, __ATOMIC_RELAXED) != 0);
    if (open) {
        log_info("journal: node %llu open at %s, version %llu", (unsigned long long)j->node_id,
                 j->address, (unsigned long long)applied);
        journal_state_set(j, JOURNAL_OPEN);
        /* A single voter only needs the tick to drain on close. */
        if (j->n_peers <= 1) uv_timer_set_repeat(&j->timer, JOURNAL_IDLE_TICK_MS);
        return;
    }
    if (uv_now(&j->loop) - j->open_started_ms > j->open_timeout_ms)
        journal_open_fail(j, "timed out starting the journal",
                          j->n_peers > 1
                              ? "The journal's voters did not elect a leader."
                              : "This node did not become the leader of its raft group.");
}

static void journal_tick(uv_timer_t *t)
{
    Journal *j = t->data;
    uint64_t now = uv_now(&j->loop);
    if (j->raft_closing || !j->raft_ready) return;
    if (j->draining) {
        if (!j->replica.inflight_head || now - j->drain_started_ms > JOURNAL_DRAIN_TIMEOUT_MS)
            journal_raft_stop(j);
        return;
    }
    if (j->replica.failed && journal_state_get(j) != JOURNAL_FAILED) {
        log_error("journal: node %llu stopped after an apply failure",
                  (unsigned long long)j->node_id);
        journal_state_set(j, JOURNAL_FAILED);
        journal_parked_fail(j, SQLSTATE_INTERNAL_ERROR, "the journal has stopped after an error");
        journal_reads_stop(j, SQLSTATE_INTERNAL_ERROR, "the journal has stopped after an error");
        journal_raft_stop(j);
        return;
    }
    raft_id leader;
    const char *address;
    raft_leader(&j->raft, &leader, &address);
    __atomic_store_n(&j->leader_id, (uint64_t)leader, __ATOMIC_RELAXED);
    journal_replica_tick(&j->replica);
    if (journal_state_get(j) == JOURNAL_OPENING) {
        journal_open_check(j);
        return;
    }
    if (journal_state_get(j) != JOURNAL_OPEN) return;
    /* Parked commits: propose once ready, fail at their deadline. */
    JournalCommit *list = j->parked;
    j->parked = NULL;
    while (list) {
        JournalCommit *c = list;
        list = list->next;
        c->next = NULL;
        journal_commit_route(j, c);
    }
    journal_reads_tick(j);
}

static void journal_wake(uv_async_t *h)
{
    Journal *j = h->data;
    pthread_mutex_lock(&j->mu);
    JournalCommit *list = j->queue_head;
    j->queue_head = j->queue_tail = NULL;
    bool closing = j->close_requested;
    pthread_mutex_unlock(&j->mu);
    journal_reads_take(j);

    JournalState state = journal_state_get(j);
    uint64_t round = 0;
    while (list) {
        JournalCommit *c = list;
        list = list->next;
        c->next = NULL;
        if (closing || state != JOURNAL_OPEN) {
            if (closing)
                journal_commit_fail(j, c, SQLSTATE_ADMIN_SHUTDOWN, "the journal is shutting down");
            else
                journal_commit_fail(j, c, SQLSTATE_INTERNAL_ERROR,
                                    "the journal has stopped after an error");
            continue;
        }
        c->deadline_ms = uv_now(&j->loop) + j->leader_wait_ms;
        if (journal_commit_route(j, c)) round++;
    }
    if (round) {
        JOURNAL_STATS_ADD(&j->stats, proposal_rounds, 1);
        uint64_t max = __atomic_load_n(&j->stats.max_round, __ATOMIC_RELAXED);
        if (round > max) __atomic_store_n(&j->stats.max_round, round, __ATOMIC_RELAXED);
    }
    if (state == JOURNAL_OPEN && !closing) journal_reads_tick(j);
    if (closing) {
        if (state != JOURNAL_CLOSING) journal_state_set(j, JOURNAL_CLOSING);
        journal_loop_closing(j);
    }
}

/* ---- Starting, on the loop thread ---- */

static int journal_bootstrap(Journal *j)
{
    struct raft_configuration conf;
    raft_configuration_init(&conf);
    int rv = 0;
    if (j->n_peers == 0) rv = raft_configuration_add(&conf, j->node_id, j->address, RAFT_VOTER);
    for (size_t i = 0; i < j->n_peers && rv == 0; i++)
        rv = raft_configuration_add(&conf, j->peers[i].node_id, j->peers[i].address, RAFT_VOTER);
    if (rv == 0) rv = raft_bootstrap(&j->raft, &conf);
    raft_configuration_close(&conf);
    return rv == RAFT_CANTBOOTSTRAP ? 0 : rv;
}

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
    raft_uv_set_connect_retry_delay(&j->io, JOURNAL_CONNECT_RETRY_MS);
    rv = raft_init(&j->raft, &j->io, &j->replica.fsm, j->node_id, j->address);
    if (rv != 0) {
        journal_open_fail(j, "could not start the journal", j->io.errmsg);
        return -1;
    }
    j->raft_ready = true;
    j->replica.raft = &j->raft;
    raft_set_election_timeout(&j->raft, JOURNAL_ELECTION_TIMEOUT_MS);
    raft_set_heartbeat_timeout(&j->raft, JOURNAL_HEARTBEAT_TIMEOUT_MS);
    raft_set_snapshot_threshold(&j->raft, j->snapshot_threshold);
    raft_set_snapshot_trailing(&j->raft, j->snapshot_trailing);
    raft_set_pre_vote(&j->raft, true);
    if (journal_bootstrap(j) != 0) {
        journal_open_fail(j, "could not bootstrap the journal", raft_errmsg(&j->raft));
        return -1;
    }
    rv = raft_start(&j->raft);
    if (rv != 0) {
        journal_open_fail(j, "could not start the journal", raft_errmsg(&j->raft));
        return -1;
    }
    const JournalPeerCopy *self = journal_peer_find(j, j->node_id);
    if (self && self->ask_address[0] && journal_ask_listen(j, self->ask_address) != 0) {
        journal_open_fail(j, "could not listen for the journal's read requests", self->ask_address);
        return -1;
    }
    j->open_started_ms = uv_now(&j->loop);
    uv_timer_start(&j->timer, journal_tick, 0, JOURNAL_TICK_MS);
    return 0;
}

static void *journal_loop_main(void *arg)
{
    Journal *j = arg;
    /* A peer that goes away mid-write must give EPIPE, not kill the
     * process: libuv's stream writes do not pass MSG_NOSIGNAL. */
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, NULL);
    if (journal_loop_start(j) != 0 && !j->raft_ready) {
        /* Nothing of raft runs: free what was made; journal_close then
         * closes the handles. */
        if (j->io_ready) raft_uv_close(&j->io);
        if (j->transport_ready) raft_uv_tcp_close(&j->transport);
    }
    uv_run(&j->loop, UV_RUN_DEFAULT);
    /* Ambiguous commits still unresolved end as unknown, on this thread. */
    if (j->replica_ready) journal_replica_fini(&j->replica);
    j->replica_ready = false;
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

static int journal_peers_copy(Journal *j, const JournalConfig *cfg, DbError *err)
{
    if (cfg->n_peers > JOURNAL_MAX_VOTERS)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "a journal has at most %d voters", JOURNAL_MAX_VOTERS);
    for (size_t i = 0; i < cfg->n_peers; i++) {
        const JournalPeer *p = &cfg->peers[i];
        JournalPeerCopy *c = &j->peers[i];
        if (p->node_id == 0 || !p->address || journal_peer_find(j, p->node_id))
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "journal peer %zu needs a distinct node id and an address", i);
        c->node_id = p->node_id;
        if (strlen(p->address) >= sizeof c->address ||
            (p->ask_address && strlen(p->ask_address) >= sizeof c->ask_address))
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "journal peer address too long");
        snprintf(c->address, sizeof c->address, "%s", p->address);
        snprintf(c->ask_address, sizeof c->ask_address, "%s", p->ask_address ? p->ask_address : "");
        j->n_peers = i + 1;
    }
    const JournalPeerCopy *self = journal_peer_find(j, cfg->node_id);
    if (cfg->n_peers && !self)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "the journal's peer list does not name node %llu",
                            (unsigned long long)cfg->node_id);
    const char *address = self ? self->address : cfg->address ? cfg->address : "127.0.0.1:0";
    return journal_address_resolve(address, j->address, sizeof j->address, err);
}

static void journal_free(Journal *j)
{
    if (j->replica_ready) journal_replica_fini(&j->replica);
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
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->state_cond, NULL);
    if (journal_peers_copy(j, cfg, err) != 0) {
        journal_free(j);
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
    j->leader_wait_ms = cfg->leader_wait_ms ? cfg->leader_wait_ms : JOURNAL_DEFAULT_LEADER_WAIT_MS;
    if (getrandom(j->txn_nonce, sizeof j->txn_nonce, 0) != (ssize_t)sizeof j->txn_nonce)
        journal_put_be64(j->txn_nonce, journal_wall_ms() ^ (uint64_t)getpid() << 40);
    if (journal_replica_init(&j->replica, storage, j->node_id, &j->stats, err) != 0) {
        journal_free(j);
        return -1;
    }
    j->replica_ready = true;
    j->replica.clock_ms = journal_clock;

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
    JournalCommit c;
    memset(&c, 0, sizeof c);
    memcpy(c.p.txn_id, j->txn_nonce, 8);
    journal_put_be64(c.p.txn_id + 8, __atomic_add_fetch(&j->txn_counter, 1, __ATOMIC_RELAXED));
    journal_entry_encode(ws, c.p.txn_id, 0, entry);
    c.journal = j;
    c.p.ws = ws;
    c.p.entry = entry;
    c.p.entry_len = len;
    c.p.err = err;
    c.p.done = journal_commit_done;
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

    if (c.p.entry) raft_free(c.p.entry);
    pthread_cond_destroy(&c.cond);
    if (c.rc == 0) *committed = c.p.committed;
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
    if (j->n_peers <= 1) {
        /* A single voter is the leader and answers commits only after
         * applying them, so its applied version includes every
         * acknowledged commit. */
        *out = journal_replica_applied(&j->replica);
        return 0;
    }
    JournalRead r;
    memset(&r, 0, sizeof r);
    r.err = err;
    pthread_cond_init(&r.cond, NULL);
    pthread_mutex_lock(&j->mu);
    if (j->close_requested) {
        pthread_mutex_unlock(&j->mu);
        pthread_cond_destroy(&r.cond);
        return db_error_set(err, SQLSTATE_ADMIN_SHUTDOWN, "the journal is shutting down");
    }
    if (j->read_queue_tail)
        j->read_queue_tail->next = &r;
    else
        j->read_queue_head = &r;
    j->read_queue_tail = &r;
    uv_async_send(&j->wake);
    while (!r.done)
        pthread_cond_wait(&r.cond, &j->mu);
    pthread_mutex_unlock(&j->mu);
    pthread_cond_destroy(&r.cond);
    if (r.rc == 0) *out = r.version;
    return r.rc;
}

int journal_snapshot_take(Journal *j, const StorageSnapshot **snap, CommitVersion *version,
                          DbError *err)
{
    *snap = NULL;
    if (journal_check_open(j, err) != 0) return -1;
    /* With several voters, first learn how far the group has acknowledged
     * and wait to apply that far; a single voter is always there. */
    CommitVersion need;
    if (j->n_peers > 1 && journal_read_version(j, &need, err) != 0) return -1;
    /* The applied version is written in the same batch as each entry, so the
     * snapshot knows exactly which version it is. */
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

uint64_t journal_leader_id(Journal *j)
{
    return __atomic_load_n(&j->leader_id, __ATOMIC_RELAXED);
}

void journal_stats(Journal *j, JournalStats *out)
{
    const uint64_t *src = (const uint64_t *)&j->stats;
    uint64_t *dst = (uint64_t *)out;
    for (size_t i = 0; i < sizeof *out / sizeof(uint64_t); i++)
        dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}
