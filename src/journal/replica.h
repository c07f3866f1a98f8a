/*
 * Private to the journal room: one replica's raft-facing core, shared by the
 * real journal (journal.c: raft_uv on a libuv loop thread) and the
 * deterministic simulation (tests/unit/journal/test_sim.c: libraft's
 * in-memory fixture).  It owns the FSM (apply, snapshot, restore), the
 * leader's readiness (a new leader adjudicates only after the first barrier
 * of its term is applied), proposals (adjudicate, overlay, raft_apply) and
 * the resolution of ambiguous proposals by the txn id that landed at their
 * index.  No threads, no clocks of its own: everything runs on the caller's
 * raft loop and time comes from the caller.
 *
 *   proposal: QUEUED --propose--> INFLIGHT --apply cb ok--> COMMITTED
 *                |                   |
 *                +--refused--> done  +--leadership lost--> AMBIGUOUS
 *                                       --entry at its index applied-->
 *                                       COMMITTED (same txn id) or LOST
 */
#pragma once

#include <raft.h>

#include "journal/journal_internal.h"

typedef struct JournalProposal JournalProposal;
/* Called once per proposal with its outcome: rc 0 = committed at
 * p->committed; -1 = not committed (or unknown), p->err says which. */
typedef void (*JournalProposalDone)(JournalProposal *p, int rc);

struct JournalProposal {
    struct raft_apply req; /* req.data = this */
    const JournalWriteSet *ws;
    uint8_t *entry; /* raft_malloc'd encoded entry; NULL once raft owns it */
    size_t entry_len;
    uint8_t txn_id[JOURNAL_TXN_ID_BYTES];
    raft_index index; /* where it was proposed; 0 = not proposed */
    CommitVersion committed;
    DbError *err;
    JournalProposalDone done;
    void *owner;
    JournalProposal *next; /* owner's queue link, then the replica's lists */
};

/* How many recently applied (index, txn id) pairs a replica remembers to
 * resolve proposals whose leader lost leadership after they were applied. */
#define JOURNAL_LANDED_RING 1024

typedef struct JournalLanded {
    raft_index index;
    uint8_t txn_id[JOURNAL_TXN_ID_BYTES];
} JournalLanded;

typedef struct JournalReplica JournalReplica;
struct JournalReplica {
    Storage *storage;
    StorageBatch *batch;
    JournalOverlay *overlay;
    struct raft *raft;
    struct raft_fsm fsm; /* fsm.data = this */
    uint64_t node_id;
    JournalStats *stats;             /* atomic counters, owned by the caller */
    uint64_t (*clock_ms)(void *arg); /* wall clock for proposal stamps */
    void *clock_arg;
    /* Brings storage from its applied version up to a raft snapshot's
     * (InstallSnapshot from a leader whose log no longer serves this
     * follower).  NULL until the checkpoint transfer is built: restore then
     * fails.  The simulation supplies one that replays the committed log. */
    int (*fill)(void *arg, JournalReplica *r, CommitVersion upto);
    void *fill_arg;

    CommitVersion applied;         /* atomic: last entry written to storage */
    CommitVersion applied_at_open; /* replay may skip only up to here */
    bool opening;                  /* replay of the local log may still be running */
    bool failed;                   /* an apply failed: the replica stops */

    raft_term ready_term; /* leader of this term with its first barrier applied */
    bool barrier_pending;
    raft_term barrier_term;
    struct raft_barrier barrier;

    JournalProposal *inflight_head, *inflight_tail;
    JournalProposal *ambiguous;
    JournalLanded landed[JOURNAL_LANDED_RING];
    /* The ring saw every applied index from here on (0 = not yet set); a
     * restore resets it, since entries below a snapshot are not applied. */
    raft_index landed_floor;
};

#define JOURNAL_STATS_ADD(stats, field, n)                                                         \
    __atomic_fetch_add(&(stats)->field, (n), __ATOMIC_RELAXED)

/* Reads storage's applied version; fills r->fsm (version 1).  r->raft must
 * be set before raft starts calling the FSM. */
int journal_replica_init(JournalReplica *r, Storage *s, uint64_t node_id, JournalStats *stats,
                         DbError *err);
/* Answers every ambiguous proposal with 08007.  Raft must be closed. */
void journal_replica_fini(JournalReplica *r);

/* True when this replica may adjudicate: leader, and its first barrier of
 * the current term is applied (all earlier entries are in storage). */
bool journal_replica_ready(JournalReplica *r);
/* Call often (each tick): a leader that is not ready issues its barrier. */
void journal_replica_tick(JournalReplica *r);
/* Adjudicates and proposes.  True if handed to raft (p->done comes later);
 * false if refused (p->done was called, p->entry is still the caller's).
 * Fills 08006 when this replica is not a ready leader. */
bool journal_replica_propose(JournalReplica *r, JournalProposal *p);
/* The last entry applied to storage. */
CommitVersion journal_replica_applied(JournalReplica *r);
/* The txn id that landed at index, if still remembered. */
bool journal_replica_landed(const JournalReplica *r, raft_index index,
                            uint8_t txn_id[JOURNAL_TXN_ID_BYTES]);
