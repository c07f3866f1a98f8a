/*
 * A test driver for the multi-process journal tests (tests/cluster/journal_failover.sh):
 * one replicated journal voter over its own RocksDB, in one process.
 *
 *   journal_node serve --id N --dir D --peers LIST --acks-dir A [--load]
 *     LIST = "1=host:raftport/host:askport,2=...,3=..."
 *     Runs until SIGTERM.  With --load a writer thread commits unique keys
 *     ("n<id>.<k>" = "v<id>.<k>") as fast as it can; only the leader
 *     succeeds, others get 08006 and retry.  Every acknowledged commit is
 *     appended to A/acks.<id> ("key version\n", written before the next
 *     commit, so kill -9 loses no acknowledged line).  A reader thread
 *     checks strong reads: it notes the last acknowledged key of every
 *     node's acks file, takes journal_snapshot_take, and counts a violation
 *     if a noted key is missing.  D/status is rewritten every 100 ms:
 *     "applied leader commits reads violations".  Creating A/stop-load
 *     stops the writer.
 *   journal_node check --dir D --acks-dir A
 *     Offline: every key in A/acks.* must be in D's storage with its value;
 *     prints the data's key count and a hash of all keys and values.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal/journal.h"
#include "storage/storage.h"

#define NODE_MAX_PEERS 7

static volatile sig_atomic_t node_stop;

typedef struct Node {
    uint64_t id;
    char dir[512], acks_dir[512];
    Storage *storage;
    Journal *journal;
    bool load;
    uint64_t commits, reads, violations;
} Node;

static void node_on_signal(int sig)
{
    (void)sig;
    node_stop = 1;
}

static void node_sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool node_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- serve ---- */

static void *node_writer(void *arg)
{
    Node *n = arg;
    char path[600], stop_path[600];
    snprintf(path, sizeof path, "%s/acks.%llu", n->acks_dir, (unsigned long long)n->id);
    snprintf(stop_path, sizeof stop_path, "%s/stop-load", n->acks_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        perror(path);
        exit(2);
    }
    /* Keys stay unique across restarts: they start from the clock. */
    uint64_t k = (uint64_t)time(NULL) * 1000;
    while (!node_stop && !node_file_exists(stop_path)) {
        char key[64], value[64];
        snprintf(key, sizeof key, "n%llu.%llu", (unsigned long long)n->id, (unsigned long long)k);
        snprintf(value, sizeof value, "v%llu.%llu", (unsigned long long)n->id,
                 (unsigned long long)k);
        DbError err;
        CommitVersion snap, v;
        if (journal_read_version(n->journal, &snap, &err) != 0) {
            node_sleep_ms(20);
            continue;
        }
        JournalItem it = {
            .key = (const uint8_t *)key,
            .key_len = strlen(key),
            .value = (const uint8_t *)value,
            .value_len = strlen(value),
            .op = JOURNAL_OP_PUT,
            .kind = JOURNAL_KIND_KEY_WRITE,
        };
        JournalWriteSet ws = {.snapshot = snap, .items = &it, .n_items = 1};
        if (journal_commit(n->journal, &ws, &v, &err) != 0) {
            if (strcmp(err.sqlstate, "08006") != 0)
                fprintf(stderr, "node %llu: commit: %s %s (%s)\n", (unsigned long long)n->id,
                        err.sqlstate, err.message, err.detail);
            node_sleep_ms(strcmp(err.sqlstate, "08006") == 0 ? 20 : 1);
            k++;
            continue;
        }
        char line[160];
        int len = snprintf(line, sizeof line, "%s %llu\n", key, (unsigned long long)v);
        if (write(fd, line, (size_t)len) != len) {
            perror("write acks");
            exit(2);
        }
        __atomic_fetch_add(&n->commits, 1, __ATOMIC_RELAXED);
        k++;
    }
    close(fd);
    return NULL;
}

/* The last complete line's key of an acks file, or "" if none. */
static void node_last_ack(const char *path, char *key, size_t size)
{
    key[0] = '\0';
    int fd = open(path, O_RDONLY);
    if (fd < 0) return;
    struct stat st;
    char buf[256];
    if (fstat(fd, &st) == 0 && st.st_size > 1) {
        off_t from = st.st_size > (off_t)sizeof buf - 1 ? st.st_size - (off_t)sizeof buf + 1 : 0;
        ssize_t got = pread(fd, buf, sizeof buf - 1, from);
        if (got > 0) {
            buf[got] = '\0';
            char *end = strrchr(buf, '\n');
            if (end) {
                *end = '\0';
                char *start = strrchr(buf, '\n');
                start = start ? start + 1 : buf;
                char *space = strchr(start, ' ');
                if (space && (size_t)(space - start) < size && (start != buf || from == 0)) {
                    memcpy(key, start, (size_t)(space - start));
                    key[space - start] = '\0';
                }
            }
        }
    }
    close(fd);
}

static void *node_reader(void *arg)
{
    Node *n = arg;
    while (!node_stop) {
        char keys[NODE_MAX_PEERS][64];
        int n_keys = 0;
        DIR *d = opendir(n->acks_dir);
        struct dirent *e;
        while (d && (e = readdir(d)) && n_keys < NODE_MAX_PEERS) {
            if (strncmp(e->d_name, "acks.", 5) != 0) continue;
            char path[1100];
            snprintf(path, sizeof path, "%s/%s", n->acks_dir, e->d_name);
            node_last_ack(path, keys[n_keys], sizeof keys[0]);
            if (keys[n_keys][0]) n_keys++;
        }
        if (d) closedir(d);
        /* Every key acknowledged before this point must be in the snapshot. */
        const StorageSnapshot *snap;
        CommitVersion v;
        DbError err;
        if (journal_snapshot_take(n->journal, &snap, &v, &err) == 0) {
            StrBuf val;
            strbuf_init(&val);
            for (int i = 0; i < n_keys; i++) {
                bool found = false;
                if (storage_get(n->storage, snap, STORAGE_DATA, keys[i], strlen(keys[i]), &val,
                                &found, &err) != 0 ||
                    !found) {
                    fprintf(stderr, "node %llu: strong read at %llu misses acknowledged %s\n",
                            (unsigned long long)n->id, (unsigned long long)v, keys[i]);
                    __atomic_fetch_add(&n->violations, 1, __ATOMIC_RELAXED);
                }
            }
            strbuf_fini(&val);
            storage_snapshot_release(n->storage, snap);
            __atomic_fetch_add(&n->reads, 1, __ATOMIC_RELAXED);
        } else {
            node_sleep_ms(20);
        }
        node_sleep_ms(10);
    }
    return NULL;
}

static void node_status_write(Node *n)
{
    char path[600], tmp[620];
    snprintf(path, sizeof path, "%s/status", n->dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    const StorageSnapshot *snap = storage_snapshot_take(n->storage);
    CommitVersion applied = 0;
    DbError err;
    StrBuf v;
    strbuf_init(&v);
    bool found = false;
    if (storage_get(n->storage, snap, STORAGE_META, "journal.applied", 15, &v, &found, &err) == 0 &&
        found && v.len == 8)
        for (int i = 0; i < 8; i++)
            applied = applied << 8 | (uint8_t)v.data[i];
    strbuf_fini(&v);
    storage_snapshot_release(n->storage, snap);
    FILE *f = fopen(tmp, "w");
    if (!f) return;
    fprintf(f, "%llu %llu %llu %llu %llu\n", (unsigned long long)applied,
            (unsigned long long)journal_leader_id(n->journal),
            (unsigned long long)__atomic_load_n(&n->commits, __ATOMIC_RELAXED),
            (unsigned long long)__atomic_load_n(&n->reads, __ATOMIC_RELAXED),
            (unsigned long long)__atomic_load_n(&n->violations, __ATOMIC_RELAXED));
    fclose(f);
    rename(tmp, path);
}

/* "1=h:p/h:q,2=..." into peers; strings point into buf. */
static size_t node_peers_parse(char *buf, JournalPeer *peers)
{
    size_t n = 0;
    for (char *tok = strtok(buf, ","); tok && n < NODE_MAX_PEERS; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '='), *slash = strchr(tok, '/');
        if (!eq || !slash) {
            fprintf(stderr, "bad peer \"%s\"\n", tok);
            exit(2);
        }
        *eq = *slash = '\0';
        peers[n].node_id = strtoull(tok, NULL, 10);
        peers[n].address = eq + 1;
        peers[n].ask_address = slash + 1;
        n++;
    }
    return n;
}

static int node_serve(Node *n, char *peer_list)
{
    JournalPeer peers[NODE_MAX_PEERS];
    size_t n_peers = node_peers_parse(peer_list, peers);
    char db[600], raft[600];
    snprintf(db, sizeof db, "%s/db", n->dir);
    snprintf(raft, sizeof raft, "%s/raft", n->dir);
    DbError err;
    if (storage_open(db, &n->storage, &err) != 0) {
        fprintf(stderr, "storage_open: %s (%s)\n", err.message, err.detail);
        return 1;
    }
    /* No raft snapshots: a follower that needed InstallSnapshot would need
     * the checkpoint transfer, which is not built yet. */
    JournalConfig cfg = {
        .dir = raft,
        .node_id = n->id,
        .peers = peers,
        .n_peers = n_peers,
        .snapshot_threshold = 1u << 30,
        .open_timeout_ms = 60000,
    };
    if (journal_open(&cfg, n->storage, &n->journal, &err) != 0) {
        fprintf(stderr, "journal_open: %s (%s)\n", err.message, err.detail);
        return 1;
    }
    pthread_t writer, reader;
    if (n->load) pthread_create(&writer, NULL, node_writer, n);
    pthread_create(&reader, NULL, node_reader, n);
    while (!node_stop) {
        node_status_write(n);
        node_sleep_ms(100);
    }
    if (n->load) pthread_join(writer, NULL);
    pthread_join(reader, NULL);
    node_status_write(n);
    journal_close(n->journal);
    storage_close(n->storage);
    return 0;
}

/* ---- check ---- */

static int node_check(Node *n)
{
    char db[600];
    snprintf(db, sizeof db, "%s/db", n->dir);
    DbError err;
    if (storage_open(db, &n->storage, &err) != 0) {
        fprintf(stderr, "storage_open: %s (%s)\n", err.message, err.detail);
        return 1;
    }
    uint64_t acked = 0, missing = 0;
    DIR *d = opendir(n->acks_dir);
    struct dirent *e;
    StrBuf val;
    strbuf_init(&val);
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, "acks.", 5) != 0) continue;
        char path[1100];
        snprintf(path, sizeof path, "%s/%s", n->acks_dir, e->d_name);
        FILE *f = fopen(path, "r");
        char key[64];
        unsigned long long version;
        while (f && fscanf(f, "%63s %llu", key, &version) == 2) {
            acked++;
            bool found = false;
            char want[64];
            snprintf(want, sizeof want, "v%s", key + 1);
            if (storage_get(n->storage, NULL, STORAGE_DATA, key, strlen(key), &val, &found, &err) !=
                    0 ||
                !found || val.len != strlen(want) || memcmp(val.data, want, val.len) != 0) {
                if (missing < 5)
                    fprintf(stderr, "missing acknowledged %s (version %llu)\n", key, version);
                missing++;
            }
        }
        if (f) fclose(f);
    }
    if (d) closedir(d);
    /* A digest of the whole data family, to compare replicas. */
    uint64_t h = 0xcbf29ce484222325ull, keys = 0;
    StorageIter *it = storage_iter_create(n->storage, NULL, STORAGE_DATA, NULL, 0, NULL, 0);
    for (storage_iter_seek_first(it); storage_iter_valid(it); storage_iter_next(it)) {
        size_t kl, vl;
        const uint8_t *k = storage_iter_key(it, &kl), *v = storage_iter_value(it, &vl);
        for (size_t i = 0; i < kl; i++)
            h = (h ^ k[i]) * 0x100000001b3ull;
        h = (h ^ 0xff) * 0x100000001b3ull;
        for (size_t i = 0; i < vl; i++)
            h = (h ^ v[i]) * 0x100000001b3ull;
        keys++;
    }
    storage_iter_destroy(it);
    strbuf_fini(&val);
    storage_close(n->storage);
    printf("acked %llu missing %llu keys %llu digest %016llx\n", (unsigned long long)acked,
           (unsigned long long)missing, (unsigned long long)keys, (unsigned long long)h);
    return missing ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: journal_node serve|check --dir D --acks-dir A [...]\n");
        return 2;
    }
    Node n;
    memset(&n, 0, sizeof n);
    char *peers = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--load") == 0)
            n.load = true;
        else if (i + 1 < argc && strcmp(argv[i], "--id") == 0)
            n.id = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--dir") == 0)
            snprintf(n.dir, sizeof n.dir, "%s", argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--acks-dir") == 0)
            snprintf(n.acks_dir, sizeof n.acks_dir, "%s", argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--peers") == 0)
            peers = argv[++i];
        else {
            fprintf(stderr, "unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    if (!n.dir[0] || !n.acks_dir[0]) return 2;
    if (strcmp(argv[1], "check") == 0) return node_check(&n);
    if (strcmp(argv[1], "serve") != 0 || !peers || n.id == 0) return 2;
    struct sigaction sa = {.sa_handler = node_on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return node_serve(&n, peers);
}
