/*
 * The journal room's public header: a cluster's commit log.  One Journal
 * per cluster is a libraft group (one voter today) whose entries are write
 * sets; the adjudicator on the leader checks each write set for conflicts
 * (DSQL's OC000/OC001) before proposing it, and every replica applies
 * committed entries into its Storage.  This is the only room that includes
 * raft.h or uv.h.
 *
 * Threads: journal_open starts one libuv loop thread that owns raft, the
 * adjudicator and the apply path.  journal_commit, journal_read_version and
 * journal_snapshot_take may be called from any number of threads at once.
 * Commit versions are opaque: compare them, never compute with them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "storage/storage.h"

typedef struct Journal Journal;

/* A point in the cluster's history: a snapshot to read at, or the version a
 * commit was given.  0 = before the first commit.  Ordered, not dense. */
typedef uint64_t CommitVersion;

typedef enum JournalOp {
    JOURNAL_OP_NONE = 0, /* only checked, not written: FOR UPDATE/FOR KEY SHARE/schema reads */
    JOURNAL_OP_PUT,
    JOURNAL_OP_DELETE,
} JournalOp;

/* How an item takes part in conflict detection (spec §7.4).  A later
 * committer conflicts with an earlier one when:
 *   KEY_WRITE    vs KEY_WRITE, NONKEY_WRITE, KEY_SHARE
 *   NONKEY_WRITE vs KEY_WRITE, NONKEY_WRITE
 *   KEY_SHARE    vs KEY_WRITE
 * SCHEMA_READ fails with OC001 when its key had any write (KEY_WRITE or
 * NONKEY_WRITE) after the snapshot; it must have op NONE.  UNCHECKED items
 * are written but neither checked nor recorded. */
typedef enum JournalConflictKind {
    JOURNAL_KIND_KEY_WRITE = 0, /* INSERT, DELETE, UPDATE of key columns, FOR UPDATE */
    JOURNAL_KIND_NONKEY_WRITE,  /* UPDATE of non-key columns only */
    JOURNAL_KIND_KEY_SHARE,     /* FOR KEY SHARE */
    JOURNAL_KIND_SCHEMA_READ,   /* a catalog descriptor the transaction used */
    JOURNAL_KIND_UNCHECKED,     /* written without conflict tracking (jobs' bookkeeping) */
} JournalConflictKind;

typedef struct JournalItem {
    const uint8_t *key;
    size_t key_len; /* >= 1 */
    const uint8_t *value;
    size_t value_len; /* 0 unless op == JOURNAL_OP_PUT */
    JournalOp op;
    JournalConflictKind kind;
} JournalItem;

/* Each key at most once per write set. */
typedef struct JournalWriteSet {
    CommitVersion snapshot; /* the version the transaction read at */
    const JournalItem *items;
    size_t n_items;
} JournalWriteSet;

/* One voter of a replicated journal. */
typedef struct JournalPeer {
    uint64_t node_id;        /* raft server id, >= 1, distinct */
    const char *address;     /* "host:port" of its raft transport (fixed port) */
    const char *ask_address; /* "host:port" of its read-index/forward channel */
} JournalPeer;

typedef struct JournalConfig {
    const char *dir;  /* raft data directory; created if missing */
    uint64_t node_id; /* raft server id, >= 1 */
    /* "host:port" the node listens on for its raft peers.  NULL means
     * "127.0.0.1:0"; port 0 picks a free port (journal_address tells which).
     * Ignored when peers are given: this node's entry there is used. */
    const char *address;
    /* Every voter of the group, this node included, the same list on every
     * node.  NULL/0 = a single voter (this node). */
    const JournalPeer *peers;
    size_t n_peers;
    unsigned snapshot_threshold; /* entries between raft snapshots; 0 = 4096 */
    unsigned snapshot_trailing;  /* entries kept behind a snapshot; 0 = 1024 */
    unsigned open_timeout_ms;    /* 0 = 30000 */
    /* How long a commit or strong read waits for a leader during an
     * election before failing with 08006; 0 = 5000. */
    unsigned leader_wait_ms;
} JournalConfig;

/* Starts the journal over storage (which must outlive it): bootstraps the
 * group on first start (one voter, or cfg->peers), replays the log, and
 * returns once a single voter is leader and has applied everything in its
 * log, or, for several voters, once the group has a leader. */
int journal_open(const JournalConfig *cfg, Storage *storage, Journal **out, DbError *err);
/* Stops accepting commits, lets in-flight ones finish, stops raft and joins
 * the loop thread.  Commits queued but not yet proposed fail with 57P01. */
void journal_close(Journal *j);

/* Adjudicates and commits a write set; blocks until the outcome.  0: the entry
 * is committed (a quorum has it) and applied locally, *committed is its
 * version.  -1 with err:
 *   40001 "change conflicts with another transaction (OC000)"
 *   40001 "schema has been updated by another transaction (OC001)"
 *   40001 when a leader change dropped the entry (it will never commit)
 *   08006 when this node is not the leader or no leader was elected in
 *         time (not committed; forwarding to the leader is not built yet)
 *   08007 when the outcome is unknown (the journal stopped mid-commit)
 *   57P01 when the journal is shutting down (not committed)
 *   XX000 for an invalid write set, 58030 for storage failures.
 * An empty write set commits nothing and answers journal_read_version's. */
int journal_commit(Journal *j, const JournalWriteSet *ws, CommitVersion *committed, DbError *err);

/* The newest version whose effects are applied locally and that includes
 * every commit acknowledged (by any node) before the call: the snapshot a
 * new transaction may read at.  On several voters this costs a barrier
 * round on the leader (shared by concurrent readers) and, on a follower,
 * one request to the leader plus waiting to apply that far.  08006 when no
 * leader answers within leader_wait_ms. */
int journal_read_version(Journal *j, CommitVersion *out, DbError *err);

/* A storage snapshot at a version >= journal_read_version's answer, and that
 * snapshot's exact version.  Release it with storage_snapshot_release. */
int journal_snapshot_take(Journal *j, const StorageSnapshot **snap, CommitVersion *version,
                          DbError *err);

/* The "host:port" raft listens on (with the port chosen when 0 was asked). */
const char *journal_address(const Journal *j);

/* The node id of the group's leader as this node last saw it; 0 = none
 * known.  Advisory (for routing and tests): it may change at any time. */
uint64_t journal_leader_id(Journal *j);

/* Counters since journal_open, for tests, logs and benchmarks. */
typedef struct JournalStats {
    uint64_t commits;            /* journal_commit calls that committed */
    uint64_t conflicts;          /* refused with OC000 */
    uint64_t schema_conflicts;   /* refused with OC001 */
    uint64_t proposals;          /* entries handed to raft */
    uint64_t proposal_rounds;    /* loop wake-ups that proposed at least one entry */
    uint64_t max_round;          /* most entries proposed in one wake-up */
    uint64_t applied;            /* entries written to storage */
    uint64_t replay_skipped;     /* replayed entries storage already had */
    uint64_t snapshots;          /* raft snapshots taken */
    uint64_t restores;           /* raft snapshots restored */
    uint64_t ambiguous;          /* proposals whose leader lost leadership in flight */
    uint64_t resolved_committed; /* ... that were found committed at their index */
    uint64_t resolved_lost;      /* ... that were found overwritten */
    uint64_t read_barriers;      /* barriers run for strong reads */
    uint64_t reads_asked;        /* strong reads a follower asked the leader for */
    uint64_t reads_answered;     /* strong reads this node answered for followers */
} JournalStats;
void journal_stats(Journal *j, JournalStats *out);
