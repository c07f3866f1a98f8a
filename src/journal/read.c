/*
 * Strongly consistent read versions on a group of several voters
 * (ARCHITECTURE.md §5).  libraft 0.15 has no read-index, so the leader runs
 * one raft_barrier per batch of waiting readers (its own and followers'):
 * once the barrier is applied, every commit acknowledged before the batch
 * started is applied on the leader, and its applied version is the answer.
 * A follower asks the leader over the ask channel (ask.c), one question per
 * batch of its readers, then waits until it has applied that far.
 *
 *   queued --take--> WAITING --leader: barrier--> answered
 *                       |  ^
 *                       |  +--no answer (leader changed)--+
 *                       +--follower: ask--> ASKING --answer--> APPLYING
 *                                                              --applied--> answered
 * Any reader still waiting at its deadline (leader_wait_ms) fails with 08006.
 * Loop thread only, except journal_read_finish's hand-off under mu.
 */
#include "journal/node.h"

#include <stdlib.h>

struct JournalRemote {
    JournalAskAnswer answer;
    void *arg;
    JournalRemote *next;
};

struct JournalReadBatch {
    struct raft_barrier req; /* req.data = this */
    Journal *journal;
    JournalRead *readers;
    JournalRemote *remotes;
};

void journal_read_finish(Journal *j, JournalRead *r, int rc)
{
    pthread_mutex_lock(&j->mu);
    r->rc = rc;
    r->done = true;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&j->mu);
}

static void journal_read_fail(Journal *j, JournalRead *r, const char *sqlstate, const char *message)
{
    db_error_set(r->err, sqlstate, "%s", message);
    journal_read_finish(j, r, -1);
}

static void journal_reads_append(JournalRead **list, JournalRead *more)
{
    while (*list)
        list = &(*list)->next;
    *list = more;
}

void journal_reads_take(Journal *j)
{
    pthread_mutex_lock(&j->mu);
    JournalRead *list = j->read_queue_head;
    j->read_queue_head = j->read_queue_tail = NULL;
    pthread_mutex_unlock(&j->mu);
    uint64_t deadline = uv_now(&j->loop) + j->leader_wait_ms;
    for (JournalRead *r = list; r; r = r->next)
        r->deadline_ms = deadline;
    journal_reads_append(&j->reads_waiting, list);
}

void journal_reads_remote(Journal *j, JournalAskAnswer answer, void *arg)
{
    JournalRemote *rm = malloc(sizeof *rm);
    if (!rm) {
        answer(arg, false, 0);
        return;
    }
    rm->answer = answer;
    rm->arg = arg;
    rm->next = j->remotes_waiting;
    j->remotes_waiting = rm;
    JOURNAL_STATS_ADD(&j->stats, reads_answered, 1);
    journal_reads_tick(j);
}

static void journal_remotes_answer(JournalRemote *list, bool ok, CommitVersion version)
{
    while (list) {
        JournalRemote *rm = list;
        list = list->next;
        rm->answer(rm->arg, ok, version);
        free(rm);
    }
}

static void journal_read_barrier_done(struct raft_barrier *req, int status)
{
    JournalReadBatch *b = req->data;
    Journal *j = b->journal;
    if (j->read_batch == b) j->read_batch = NULL;
    CommitVersion version = journal_replica_applied(&j->replica);
    if (status == 0) {
        while (b->readers) {
            JournalRead *r = b->readers;
            b->readers = r->next;
            r->version = version;
            journal_read_finish(j, r, 0);
        }
    } else {
        /* Leadership moved: try again (with the new leader) until the
         * readers' deadline. */
        journal_reads_append(&j->reads_waiting, b->readers);
        b->readers = NULL;
    }
    journal_remotes_answer(b->remotes, status == 0, version);
    free(b);
}

/* Leader: one barrier for everyone waiting. */
static void journal_reads_barrier(Journal *j)
{
    if (j->read_batch || (!j->reads_waiting && !j->remotes_waiting)) return;
    JournalReadBatch *b = calloc(1, sizeof *b);
    if (!b) return;
    b->journal = j;
    b->req.data = b;
    if (raft_barrier(&j->raft, &b->req, journal_read_barrier_done) != 0) {
        free(b);
        return;
    }
    b->readers = j->reads_waiting;
    b->remotes = j->remotes_waiting;
    j->reads_waiting = NULL;
    j->remotes_waiting = NULL;
    j->read_batch = b;
    JOURNAL_STATS_ADD(&j->stats, read_barriers, 1);
}

void journal_reads_asked(Journal *j, bool ok, CommitVersion version)
{
    JournalRead *list = j->reads_asking;
    j->reads_asking = NULL;
    if (!ok) {
        j->ask_retry_ms = uv_now(&j->loop) + 20;
        journal_reads_append(&j->reads_waiting, list);
        return;
    }
    for (JournalRead *r = list; r; r = r->next)
        r->target = version;
    journal_reads_append(&j->reads_applying, list);
    journal_reads_tick(j);
}

/* Fails readers past their deadline; answers applying ones that are there. */
static void journal_reads_sweep(Journal *j, JournalRead **list, bool applying)
{
    uint64_t now = uv_now(&j->loop);
    CommitVersion applied = journal_replica_applied(&j->replica);
    while (*list) {
        JournalRead *r = *list;
        if (applying && r->target <= applied) {
            *list = r->next;
            r->version = applied;
            journal_read_finish(j, r, 0);
        } else if (now >= r->deadline_ms) {
            *list = r->next;
            db_error_set(r->err, SQLSTATE_CONNECTION_FAILURE,
                         "no journal leader confirmed the read version in time");
            db_error_hint(r->err, "Retry the transaction.");
            journal_read_finish(j, r, -1);
        } else {
            list = &r->next;
        }
    }
}

void journal_reads_tick(Journal *j)
{
    journal_reads_sweep(j, &j->reads_applying, true);
    journal_reads_sweep(j, &j->reads_waiting, false);
    journal_reads_sweep(j, &j->reads_asking, false);
    if (journal_replica_ready(&j->replica)) {
        journal_reads_barrier(j);
        return;
    }
    /* Not the leader: followers' questions cannot be answered here. */
    JournalRemote *remotes = j->remotes_waiting;
    j->remotes_waiting = NULL;
    journal_remotes_answer(remotes, false, 0);
    uint64_t leader = __atomic_load_n(&j->leader_id, __ATOMIC_RELAXED);
    if (!j->reads_waiting || leader == 0 || leader == j->node_id) return;
    if (uv_now(&j->loop) < j->ask_retry_ms) return;
    if (!journal_ask_send(j, leader)) return;
    JOURNAL_STATS_ADD(&j->stats, reads_asked, 1);
    journal_reads_append(&j->reads_asking, j->reads_waiting);
    j->reads_waiting = NULL;
}

static void journal_reads_fail_list(Journal *j, JournalRead *list, const char *sqlstate,
                                    const char *message)
{
    while (list) {
        JournalRead *r = list;
        list = list->next;
        journal_read_fail(j, r, sqlstate, message);
    }
}

void journal_reads_stop(Journal *j, const char *sqlstate, const char *message)
{
    journal_reads_take(j);
    journal_reads_fail_list(j, j->reads_waiting, sqlstate, message);
    journal_reads_fail_list(j, j->reads_asking, sqlstate, message);
    journal_reads_fail_list(j, j->reads_applying, sqlstate, message);
    j->reads_waiting = j->reads_asking = j->reads_applying = NULL;
    journal_remotes_answer(j->remotes_waiting, false, 0);
    j->remotes_waiting = NULL;
    if (j->read_batch) {
        /* The barrier's callback still comes (raft_close fails it); it
         * finds the batch empty. */
        journal_reads_fail_list(j, j->read_batch->readers, sqlstate, message);
        j->read_batch->readers = NULL;
        journal_remotes_answer(j->read_batch->remotes, false, 0);
        j->read_batch->remotes = NULL;
    }
}
