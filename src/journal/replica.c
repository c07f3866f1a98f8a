/*
 * One replica's raft-facing core (see replica.h): the FSM callbacks, the
 * leader's readiness barrier, proposals and ambiguous-outcome resolution.
 * Runs only on the raft loop of its caller (journal.c's libuv thread, or
 * the simulation's single thread), so nothing here locks.  Storage is
 * touched by apply (one batch per entry, no fsync), by the adjudicator (one
 * point get per checked item) and by snapshot (a WAL sync before raft may
 * compact the log).
 */
#include "journal/replica.h"

#include <string.h>

#define JOURNAL_ENTRY_TXN_ID_OFFSET 24

CommitVersion journal_replica_applied(JournalReplica *r)
{
    return __atomic_load_n(&r->applied, __ATOMIC_ACQUIRE);
}

bool journal_replica_landed(const JournalReplica *r, raft_index index,
                            uint8_t txn_id[JOURNAL_TXN_ID_BYTES])
{
    const JournalLanded *l = &r->landed[index % JOURNAL_LANDED_RING];
    if (index == 0 || l->index != index) return false;
    memcpy(txn_id, l->txn_id, JOURNAL_TXN_ID_BYTES);
    return true;
}

/* ---- Outcomes ---- */

/* What landed at index, which this replica has applied past: the txn id of
 * a write-set entry (true, landed filled), or proof that no write set did
 * (true, landed NULL: a barrier or configuration entry took the index), or
 * nothing known (false: outside the ring's window). */
static bool journal_replica_landed_at(const JournalReplica *r, raft_index index,
                                      uint8_t landed[JOURNAL_TXN_ID_BYTES], bool *is_entry)
{
    *is_entry = journal_replica_landed(r, index, landed);
    if (*is_entry) return true;
    raft_index last = raft_last_applied(r->raft);
    return r->landed_floor && index >= r->landed_floor && index <= last &&
           last - index < JOURNAL_LANDED_RING;
}

static bool journal_replica_unlink(JournalReplica *r, JournalProposal *p)
{
    JournalProposal *prev = NULL;
    for (JournalProposal *x = r->inflight_head; x; prev = x, x = x->next) {
        if (x != p) continue;
        if (prev)
            prev->next = x->next;
        else
            r->inflight_head = x->next;
        if (r->inflight_tail == x) r->inflight_tail = prev;
        x->next = NULL;
        return true;
    }
    return false;
}

/* An ambiguous proposal learns what landed at its index: its own txn id
 * means committed; another one means it never will be (the entry it was in
 * was overwritten); unknown stays unknown (08007), never "failed". */
static void journal_replica_resolve(JournalReplica *r, JournalProposal *p, bool known,
                                    const uint8_t *landed)
{
    if (known && landed && memcmp(landed, p->txn_id, JOURNAL_TXN_ID_BYTES) == 0) {
        p->committed = p->index;
        JOURNAL_STATS_ADD(r->stats, commits, 1);
        JOURNAL_STATS_ADD(r->stats, resolved_committed, 1);
        p->done(p, 0);
        return;
    }
    if (known) {
        JOURNAL_STATS_ADD(r->stats, resolved_lost, 1);
        db_error_set(p->err, SQLSTATE_T_R_SERIALIZATION_FAILURE,
                     "the commit was not accepted because the journal's leader changed");
        db_error_hint(p->err, "Retry the transaction.");
    } else {
        db_error_set(p->err, SQLSTATE_TRANSACTION_RESOLUTION_UNKNOWN,
                     "the outcome of the commit is unknown");
        db_error_detail(p->err, "The journal stopped before the commit's outcome was known.");
    }
    p->done(p, -1);
}

static void journal_replica_apply_done(struct raft_apply *req, int status, void *result)
{
    (void)result;
    JournalProposal *p = req->data;
    JournalReplica *r = p->owner;
    /* Normally the FSM already took it off the overlay. */
    if (journal_replica_unlink(r, p)) journal_overlay_remove(r->overlay, p->ws);
    if (status == 0) {
        p->committed = req->index;
        JOURNAL_STATS_ADD(r->stats, commits, 1);
        p->done(p, 0);
        return;
    }
    p->index = req->index;
    if (p->index && !r->failed && (status == RAFT_LEADERSHIPLOST || status == RAFT_NOTLEADER)) {
        /* The entry may still commit under the next leader: wait until this
         * replica applies its index and see which txn landed there. */
        uint8_t landed[JOURNAL_TXN_ID_BYTES];
        if (p->index <= raft_last_applied(r->raft)) {
            bool is_entry;
            bool known = journal_replica_landed_at(r, p->index, landed, &is_entry);
            journal_replica_resolve(r, p, known, is_entry ? landed : NULL);
            return;
        }
        JOURNAL_STATS_ADD(r->stats, ambiguous, 1);
        p->next = r->ambiguous;
        r->ambiguous = p;
        return;
    }
    db_error_set(p->err, SQLSTATE_TRANSACTION_RESOLUTION_UNKNOWN,
                 "the outcome of the commit is unknown");
    db_error_detail(p->err, "The journal stopped before the commit was applied: %s.",
                    raft_strerror(status));
    p->done(p, -1);
}

/* After applying version: ambiguous proposals at or below it are decided. */
static void journal_replica_resolve_upto(JournalReplica *r, raft_index version)
{
    JournalProposal **link = &r->ambiguous;
    while (*link) {
        JournalProposal *p = *link;
        if (p->index > version) {
            link = &p->next;
            continue;
        }
        *link = p->next;
        p->next = NULL;
        uint8_t landed[JOURNAL_TXN_ID_BYTES];
        bool is_entry;
        bool known = journal_replica_landed_at(r, p->index, landed, &is_entry);
        journal_replica_resolve(r, p, known, is_entry ? landed : NULL);
    }
}

/* ---- Leadership ---- */

bool journal_replica_ready(JournalReplica *r)
{
    return !r->failed && raft_state(r->raft) == RAFT_LEADER &&
           r->raft->current_term == r->ready_term;
}

static void journal_replica_barrier_done(struct raft_barrier *req, int status)
{
    JournalReplica *r = req->data;
    r->barrier_pending = false;
    if (status == 0 && raft_state(r->raft) == RAFT_LEADER &&
        r->raft->current_term == r->barrier_term)
        r->ready_term = r->barrier_term;
}

void journal_replica_tick(JournalReplica *r)
{
    /* An ambiguous proposal whose index a barrier took never sees an apply
     * at its index: decide it once the replica is past it. */
    if (r->ambiguous) journal_replica_resolve_upto(r, raft_last_applied(r->raft));
    if (r->failed || r->barrier_pending || raft_state(r->raft) != RAFT_LEADER) return;
    raft_term term = r->raft->current_term;
    if (r->ready_term == term) return;
    /* Once this barrier is applied, so is every entry earlier leaders
     * committed: the version records are complete and adjudication is safe. */
    r->barrier.data = r;
    if (raft_barrier(r->raft, &r->barrier, journal_replica_barrier_done) == 0) {
        r->barrier_pending = true;
        r->barrier_term = term;
    }
}

bool journal_replica_propose(JournalReplica *r, JournalProposal *p)
{
    p->owner = r;
    p->index = 0;
    if (r->failed) {
        db_error_set(p->err, SQLSTATE_INTERNAL_ERROR, "the journal has stopped after an error");
        p->done(p, -1);
        return false;
    }
    if (!journal_replica_ready(r)) {
        raft_id leader;
        const char *address;
        raft_leader(r->raft, &leader, &address);
        db_error_set(p->err, SQLSTATE_CONNECTION_FAILURE, "this node is not the journal's leader");
        if (leader && leader != r->node_id)
            db_error_detail(p->err, "The leader is node %llu at %s.", (unsigned long long)leader,
                            address);
        else
            db_error_detail(p->err, "The journal is electing a leader.");
        db_error_hint(p->err, "Retry the transaction; it was not committed.");
        p->done(p, -1);
        return false;
    }
    /* Checked here, not by the caller: a storage snapshot can show a version
     * a moment before the applied counter does. */
    if (p->ws->snapshot > journal_replica_applied(r)) {
        db_error_set(p->err, SQLSTATE_INTERNAL_ERROR,
                     "the write set's snapshot is newer than the journal");
        p->done(p, -1);
        return false;
    }
    if (journal_adjudicate(r->storage, r->overlay, p->ws, p->err) != 0) {
        if (strcmp(p->err->sqlstate, SQLSTATE_T_R_SERIALIZATION_FAILURE) == 0) {
            if (strstr(p->err->message, "(OC001)"))
                JOURNAL_STATS_ADD(r->stats, schema_conflicts, 1);
            else
                JOURNAL_STATS_ADD(r->stats, conflicts, 1);
        }
        p->done(p, -1);
        return false;
    }
    journal_entry_stamp(p->entry, r->clock_ms(r->clock_arg));
    struct raft_buffer buf = {.base = p->entry, .len = p->entry_len};
    uint8_t *entry = p->entry;
    p->entry = NULL; /* raft's on success */
    p->req.data = p;
    journal_overlay_add(r->overlay, p->ws);
    p->next = NULL;
    if (r->inflight_tail)
        r->inflight_tail->next = p;
    else
        r->inflight_head = p;
    r->inflight_tail = p;
    int rv = raft_apply(r->raft, &p->req, &buf, 1, journal_replica_apply_done);
    if (rv == 0) {
        p->index = p->req.index;
        JOURNAL_STATS_ADD(r->stats, proposals, 1);
        return true;
    }
    p->entry = entry;
    journal_replica_unlink(r, p);
    journal_overlay_remove(r->overlay, p->ws);
    db_error_set(p->err,
                 rv == RAFT_NOTLEADER ? SQLSTATE_CONNECTION_FAILURE : SQLSTATE_INTERNAL_ERROR,
                 "could not propose the commit to the journal");
    db_error_detail(p->err, "%s", raft_strerror(rv));
    p->done(p, -1);
    return false;
}

/* ---- The state machine ---- */

static void journal_replica_fail(JournalReplica *r, const DbError *err)
{
    log_error("journal: node %llu stopping after an apply failure: %s (%s)",
              (unsigned long long)r->node_id, err->message, err->detail);
    r->failed = true;
}

static int journal_replica_fsm_apply(struct raft_fsm *fsm, const struct raft_buffer *buf,
                                     void **result)
{
    JournalReplica *r = fsm->data;
    *result = NULL;
    if (r->failed) return RAFT_IOERR;
    /* libraft 0.15 gives apply no index; entries apply in order, so it is
     * the next one after the last applied. */
    CommitVersion version = raft_last_applied(r->raft) + 1;
    DbError err;
    db_error_clear(&err);
    if (version <= journal_replica_applied(r)) {
        /* Replay after a restart: storage already holds this entry.  Past
         * what storage held at open, a skip means the log and storage
         * disagree. */
        if (version > r->applied_at_open) {
            db_error_set(&err, SQLSTATE_DATA_CORRUPTED, "journal entry %llu is already applied",
                         (unsigned long long)version);
            db_error_detail(&err, "The raft log and the database disagree.");
            journal_replica_fail(r, &err);
            return RAFT_CORRUPT;
        }
        JOURNAL_STATS_ADD(r->stats, replay_skipped, 1);
    } else {
        if (journal_apply_entry(r->storage, r->batch, buf->base, buf->len, version, &err) != 0) {
            journal_replica_fail(r, &err);
            return RAFT_IOERR;
        }
        __atomic_store_n(&r->applied, version, __ATOMIC_RELEASE);
        JOURNAL_STATS_ADD(r->stats, applied, 1);
    }
    if (!r->landed_floor) r->landed_floor = version;
    JournalLanded *l = &r->landed[version % JOURNAL_LANDED_RING];
    l->index = version;
    if (buf->len >= JOURNAL_ENTRY_HEADER_BYTES)
        memcpy(l->txn_id, (const uint8_t *)buf->base + JOURNAL_ENTRY_TXN_ID_OFFSET,
               JOURNAL_TXN_ID_BYTES);
    JournalProposal *head = r->inflight_head;
    if (head && head->req.index == version) {
        journal_overlay_remove(r->overlay, head->ws);
        journal_replica_unlink(r, head);
    }
    if (r->ambiguous) journal_replica_resolve_upto(r, version);
    return 0;
}

static int journal_replica_fsm_snapshot(struct raft_fsm *fsm, struct raft_buffer *bufs[],
                                        unsigned *n_bufs)
{
    JournalReplica *r = fsm->data;
    /* The log up to this point may be compacted once the snapshot is
     * stored, so storage must hold it durably first. */
    DbError err;
    if (storage_flush_wal(r->storage, true, &err) != 0) {
        log_warn("journal: snapshot postponed: %s (%s)", err.message, err.detail);
        return RAFT_IOERR;
    }
    JournalSnapshotDesc d = {
        .applied = journal_replica_applied(r),
        .node_id = r->node_id,
        .taken_ms = r->clock_ms(r->clock_arg),
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
    JOURNAL_STATS_ADD(r->stats, snapshots, 1);
    return 0;
}

static int journal_replica_fsm_restore(struct raft_fsm *fsm, struct raft_buffer *buf)
{
    JournalReplica *r = fsm->data;
    JournalSnapshotDesc d;
    DbError err;
    if (journal_snapshot_decode(buf->base, buf->len, &d, &err) != 0) {
        log_error("journal: cannot restore a raft snapshot: %s", err.message);
        return RAFT_MALFORMED;
    }
    CommitVersion have = journal_replica_applied(r);
    if (have < d.applied) {
        /* Only another node's RocksDB checkpoint can fill the gap: the
         * transfer is not built yet (see README), except in simulation. */
        CommitVersion now = 0;
        if (!r->fill || r->fill(r->fill_arg, r, d.applied) != 0 ||
            journal_meta_applied_read(r->storage, NULL, &now, &err) != 0 || now < d.applied) {
            log_error("journal: node %llu: storage is at version %llu, behind the raft "
                      "snapshot at %llu",
                      (unsigned long long)r->node_id, (unsigned long long)have,
                      (unsigned long long)d.applied);
            return RAFT_CORRUPT;
        }
        __atomic_store_n(&r->applied, now, __ATOMIC_RELEASE);
    }
    raft_free(buf->base);
    r->landed_floor = 0;
    JOURNAL_STATS_ADD(r->stats, restores, 1);
    return 0;
}

int journal_replica_init(JournalReplica *r, Storage *s, uint64_t node_id, JournalStats *stats,
                         DbError *err)
{
    memset(r, 0, sizeof *r);
    r->storage = s;
    r->node_id = node_id;
    r->stats = stats;
    if (journal_meta_applied_read(s, NULL, &r->applied, err) != 0) return -1;
    r->applied_at_open = r->applied;
    r->overlay = journal_overlay_create();
    r->batch = storage_batch_create();
    r->fsm = (struct raft_fsm){
        .version = 1,
        .data = r,
        .apply = journal_replica_fsm_apply,
        .snapshot = journal_replica_fsm_snapshot,
        .restore = journal_replica_fsm_restore,
    };
    return 0;
}

void journal_replica_fini(JournalReplica *r)
{
    while (r->ambiguous) {
        JournalProposal *p = r->ambiguous;
        r->ambiguous = p->next;
        p->next = NULL;
        journal_replica_resolve(r, p, false, NULL);
    }
    journal_overlay_destroy(r->overlay);
    r->overlay = NULL;
    storage_batch_destroy(r->batch);
    r->batch = NULL;
}
