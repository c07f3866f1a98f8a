/*
 * Unit tests for a real three-voter journal in one process (raft_uv on
 * temp dirs, raft_uv_tcp and the ask channel on loopback ports): every
 * voter opens, a commit on the leader is applied on the followers, a commit
 * on a follower fails with 08006 naming the leader, a strong read on a
 * follower (asking the leader) sees every acknowledged commit, and after
 * the leader stops a new leader is elected, commits go on, and the old
 * leader catches up when it comes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "journal/journal.h"

#define N 3

typedef struct Group {
    char dir[128];
    char addr[N][32], ask[N][32];
    JournalPeer peers[N];
    Storage *s[N];
    Journal *j[N];
} Group;

typedef struct Opener {
    Group *g;
    int i;
    int rc;
    DbError err;
} Opener;

static void *open_one(void *arg)
{
    Opener *o = arg;
    Group *g = o->g;
    char db[200], raft[200];
    snprintf(db, sizeof db, "%s/n%d/db", g->dir, o->i);
    snprintf(raft, sizeof raft, "%s/n%d/raft", g->dir, o->i);
    if (!g->s[o->i]) assert_int_equal(storage_open(db, &g->s[o->i], &o->err), 0);
    JournalConfig cfg = {
        .dir = raft,
        .node_id = (uint64_t)o->i + 1,
        .peers = g->peers,
        .n_peers = N,
        .open_timeout_ms = 20000,
    };
    o->rc = journal_open(&cfg, g->s[o->i], &g->j[o->i], &o->err);
    return NULL;
}

/* Opens the voters in mask at once (a lone voter cannot elect). */
static void group_open(Group *g, unsigned mask)
{
    pthread_t t[N];
    Opener o[N];
    for (int i = 0; i < N; i++) {
        if (!(mask & 1u << i)) continue;
        o[i] = (Opener){.g = g, .i = i};
        pthread_create(&t[i], NULL, open_one, &o[i]);
    }
    for (int i = 0; i < N; i++) {
        if (!(mask & 1u << i)) continue;
        pthread_join(t[i], NULL);
        if (o[i].rc != 0)
            fprintf(stderr, "open %d: %s (%s)\n", i, o[i].err.message, o[i].err.detail);
        assert_int_equal(o[i].rc, 0);
    }
}

/* A loopback port that is free right now (bind to port 0, read, close). */
static int free_port(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static int group_setup(void **state)
{
    Group *g = calloc(1, sizeof *g);
    snprintf(g->dir, sizeof g->dir, "/tmp/borealis-test-repl-XXXXXX");
    assert_non_null(mkdtemp(g->dir));
    for (int i = 0; i < N; i++) {
        snprintf(g->addr[i], sizeof g->addr[i], "127.0.0.1:%d", free_port());
        snprintf(g->ask[i], sizeof g->ask[i], "127.0.0.1:%d", free_port());
        g->peers[i] = (JournalPeer){
            .node_id = (uint64_t)i + 1, .address = g->addr[i], .ask_address = g->ask[i]};
    }
    group_open(g, (1u << N) - 1);
    *state = g;
    return 0;
}

static int group_teardown(void **state)
{
    Group *g = *state;
    for (int i = 0; i < N; i++) {
        journal_close(g->j[i]);
        if (g->s[i]) storage_close(g->s[i]);
    }
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g->dir);
    assert_int_equal(system(cmd), 0);
    free(g);
    return 0;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Index of the leader every open voter agrees on, waiting for one. */
static int group_leader(Group *g)
{
    for (int tries = 0; tries < 300; tries++) {
        uint64_t seen = 0;
        bool agree = true;
        for (int i = 0; i < N; i++) {
            if (!g->j[i]) continue;
            uint64_t l = journal_leader_id(g->j[i]);
            if (l == 0 || (seen && l != seen) || !g->j[l - 1]) agree = false;
            seen = l;
        }
        if (agree && seen) return (int)seen - 1;
        sleep_ms(20);
    }
    fail_msg("no leader");
    return -1;
}

static int commit_put(Journal *j, const char *key, const char *value, CommitVersion *v,
                      DbError *err)
{
    CommitVersion snap;
    if (journal_read_version(j, &snap, err) != 0) return -1;
    JournalItem it = {
        .key = (const uint8_t *)key,
        .key_len = strlen(key),
        .value = (const uint8_t *)value,
        .value_len = strlen(value),
        .op = JOURNAL_OP_PUT,
        .kind = JOURNAL_KIND_KEY_WRITE,
    };
    JournalWriteSet ws = {.snapshot = snap, .items = &it, .n_items = 1};
    return journal_commit(j, &ws, v, err);
}

/* The value of key in a strong snapshot taken on j. */
static bool strong_get(Journal *j, Storage *s, const char *key, char *out, size_t size)
{
    const StorageSnapshot *snap;
    CommitVersion v;
    DbError err;
    int rc = journal_snapshot_take(j, &snap, &v, &err);
    if (rc != 0) fprintf(stderr, "snapshot_take: %s %s\n", err.sqlstate, err.message);
    assert_int_equal(rc, 0);
    StrBuf val;
    strbuf_init(&val);
    bool found;
    assert_int_equal(storage_get(s, snap, STORAGE_DATA, key, strlen(key), &val, &found, &err), 0);
    if (found) snprintf(out, size, "%.*s", (int)val.len, val.data);
    strbuf_fini(&val);
    storage_snapshot_release(s, snap);
    return found;
}

static void test_commit_replicates_and_reads_are_strong(void **state)
{
    Group *g = *state;
    int l = group_leader(g);
    DbError err;
    CommitVersion v;
    for (int k = 0; k < 20; k++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", k);
        assert_int_equal(commit_put(g->j[l], key, key, &v, &err), 0);
        /* Strong reads on every voter right after the acknowledgement. */
        for (int i = 0; i < N; i++) {
            char got[32];
            assert_true(strong_get(g->j[i], g->s[i], key, got, sizeof got));
            assert_string_equal(got, key);
        }
    }
    /* A commit on a follower is refused with 08006 and names the leader. */
    int f = (l + 1) % N;
    assert_int_equal(commit_put(g->j[f], "nope", "x", &v, &err), -1);
    assert_string_equal(err.sqlstate, "08006");
    assert_string_equal(err.message, "this node is not the journal's leader");
    char want[64];
    snprintf(want, sizeof want, "The leader is node %d at %s.", l + 1, g->addr[l]);
    assert_string_equal(err.detail, want);
    JournalStats st;
    journal_stats(g->j[f], &st);
    assert_true(st.reads_asked > 0);
    assert_true(st.applied >= 20);
}

static void test_leader_loss_and_catch_up(void **state)
{
    Group *g = *state;
    int l = group_leader(g);
    DbError err;
    CommitVersion v1, v2;
    assert_int_equal(commit_put(g->j[l], "before", "1", &v1, &err), 0);
    journal_close(g->j[l]);
    g->j[l] = NULL;
    int l2 = group_leader(g);
    assert_true(l2 != l);
    /* The new leader adjudicates after its barrier: a commit goes through,
     * later than everything acknowledged before. */
    int rc = -1;
    for (int tries = 0; tries < 50 && rc != 0; tries++)
        if ((rc = commit_put(g->j[l2], "after", "2", &v2, &err)) != 0) sleep_ms(50);
    assert_int_equal(rc, 0);
    assert_true(v2 > v1);
    char got[32];
    int other = 3 - l - l2;
    assert_true(strong_get(g->j[other], g->s[other], "before", got, sizeof got));
    assert_true(strong_get(g->j[other], g->s[other], "after", got, sizeof got));
    /* The old leader comes back and catches up from the log. */
    group_open(g, 1u << l);
    assert_true(strong_get(g->j[l], g->s[l], "after", got, sizeof got));
    assert_string_equal(got, "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_replicates_and_reads_are_strong, group_setup,
                                        group_teardown),
        cmocka_unit_test_setup_teardown(test_leader_loss_and_catch_up, group_setup, group_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
