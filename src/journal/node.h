/*
 * Private to the journal room: the Journal handle (one node's member of a
 * raft group on raft_uv, driven by its own libuv loop thread) shared by the
 * files that run on that loop: journal.c (open/close, commits, the loop),
 * read.c (strongly consistent read versions: barrier batches on the leader,
 * asking the leader from a follower) and ask.c (the small TCP channel a
 * follower asks the leader on; format in docs/formats/journal.md).
 *
 * Locking: fields under "mu" are shared with session threads; "loop only"
 * fields are touched by the loop thread alone; atomics say so.
 */
#pragma once

#include <pthread.h>
#include <raft.h>
#include <raft/uv.h>
#include <uv.h>

#include "journal/replica.h"

#define JOURNAL_MAX_VOTERS 7
#define JOURNAL_ADDRESS_MAX 80

typedef enum JournalState {
    JOURNAL_OPENING = 0,
    JOURNAL_OPEN,
    JOURNAL_FAILED,
    JOURNAL_CLOSING,
} JournalState;

/* One journal_commit call; lives on the caller's stack until done. */
typedef struct JournalCommit {
    JournalProposal p; /* p.owner is the replica once proposed */
    Journal *journal;
    pthread_cond_t cond;
    bool done;
    int rc;
    uint64_t deadline_ms; /* loop time after which waiting for a leader fails */
    struct JournalCommit *next;
} JournalCommit;

/* One strong read (journal_read_version on several voters). */
typedef struct JournalRead {
    DbError *err;
    pthread_cond_t cond;
    bool done;
    int rc;
    CommitVersion version; /* the answer */
    CommitVersion target;  /* the leader's confirmed version, once known */
    uint64_t deadline_ms;
    struct JournalRead *next;
} JournalRead;

typedef struct JournalPeerCopy {
    uint64_t node_id;
    char address[JOURNAL_ADDRESS_MAX];
    char ask_address[JOURNAL_ADDRESS_MAX];
} JournalPeerCopy;

typedef struct JournalAskServer JournalAskServer;
typedef struct JournalAskClient JournalAskClient;
typedef struct JournalReadBatch JournalReadBatch;
typedef struct JournalRemote JournalRemote;

struct Journal {
    /* Fixed at open. */
    Storage *storage;
    uint64_t node_id;
    char address[JOURNAL_ADDRESS_MAX];
    char dir[DATADIR_PATH_MAX];
    unsigned snapshot_threshold, snapshot_trailing, open_timeout_ms, leader_wait_ms;
    uint8_t txn_nonce[8];
    JournalPeerCopy peers[JOURNAL_MAX_VOTERS];
    size_t n_peers; /* 0 = single voter */

    /* Shared with session threads, under mu.  state is written only by the
     * loop thread (under mu) and may be read atomically without it. */
    pthread_mutex_t mu;
    pthread_cond_t state_cond;
    int state; /* JournalState */
    bool close_requested;
    bool handles_closed;
    JournalCommit *queue_head, *queue_tail;
    JournalRead *read_queue_head, *read_queue_tail;
    DbError open_err;

    /* Atomics. */
    uint64_t txn_counter;
    uint64_t leader_id; /* the leader this node knows of, 0 = none */
    JournalStats stats;

    /* Loop thread only. */
    pthread_t thread;
    uv_loop_t loop;
    uv_async_t wake;
    uv_timer_t timer;
    struct raft_uv_transport transport;
    struct raft_io io;
    struct raft raft;
    JournalReplica replica;
    bool replica_ready, transport_ready, io_ready, raft_ready;
    bool raft_closing, raft_closed, draining;
    uint64_t open_started_ms, drain_started_ms;
    JournalCommit *parked;          /* waiting for this node to become a ready leader */
    JournalRead *reads_waiting;     /* need a confirmed version */
    JournalRead *reads_asking;      /* follower: the leader was asked for them */
    JournalRead *reads_applying;    /* have one, wait to apply that far */
    JournalRemote *remotes_waiting; /* leader: followers' questions for the next batch */
    uint64_t ask_retry_ms;          /* follower: do not ask again before this loop time */
    JournalReadBatch *read_batch;   /* leader: the barrier in flight */
    JournalAskServer *ask_server;
    JournalAskClient *ask_client;
};

/* Finishes a read with rc (0: r->version is the answer).  Loop thread. */
void journal_read_finish(Journal *j, JournalRead *r, int rc);

/* read.c: called from the loop.  reads_take moves newly queued readers in;
 * reads_tick moves them along (barrier, ask, apply wait, deadlines);
 * reads_stop fails every reader with err's code (closing). */
void journal_reads_take(Journal *j);
void journal_reads_tick(Journal *j);
void journal_reads_stop(Journal *j, const char *sqlstate, const char *message);

/* The leader side of a follower's question: joins the next barrier batch;
 * answer(arg, ok, version) is called once on the loop thread. */
typedef void (*JournalAskAnswer)(void *arg, bool ok, CommitVersion version);
void journal_reads_remote(Journal *j, JournalAskAnswer answer, void *arg);

/* ask.c: the channel.  ask_listen binds this node's ask address;
 * ask_send asks leader_id for a confirmed version (one question at a time:
 * false if one is already out or the leader is unknown); the answer comes
 * to journal_reads_asked.  ask_close closes every handle. */
int journal_ask_listen(Journal *j, const char *address);
bool journal_ask_send(Journal *j, uint64_t leader_id);
void journal_ask_close(Journal *j);
void journal_reads_asked(Journal *j, bool ok, CommitVersion version);

const JournalPeerCopy *journal_peer_find(const Journal *j, uint64_t node_id);
