/*
 * The ask channel: a follower asks the leader "which version includes every
 * commit acknowledged so far?" over plain TCP on each voter's ask address
 * (JournalPeer.ask_address).  The leader answers after the next read
 * barrier applies (read.c).  Both ends run on the journal's loop thread.
 *
 * Request, 16 bytes:  0 "BRJA" | 4 u8 format = 1 | 5 u8 type = 1 (read) |
 *                     6 u16 zero | 8 u64 request id
 * Answer, 24 bytes:   0 "BRJA" | 4 u8 format = 1 | 5 u8 type = 2 (answer) |
 *                     6 u8 status (0 ok, 1 not the leader / no answer) |
 *                     7 u8 zero | 8 u64 request id | 16 u64 version
 * Big-endian.  A follower keeps one connection to the leader it knows and
 * has at most one question out; anything malformed closes the connection.
 * Loopback/trusted networks only for now: the fleet's TLS peer port will
 * carry this later (ARCHITECTURE.md §6).
 */
#include "journal/node.h"

#include <stdlib.h>
#include <string.h>

#define JOURNAL_ASK_MAGIC "BRJA"
#define JOURNAL_ASK_REQUEST_BYTES 16
#define JOURNAL_ASK_ANSWER_BYTES 24

typedef struct JournalAskConn {
    uv_tcp_t tcp; /* first: handle pointers are conn pointers */
    Journal *journal;
    uint8_t buf[JOURNAL_ASK_REQUEST_BYTES];
    size_t have;
    unsigned pending; /* questions waiting for a barrier */
    bool closing, closed;
    struct JournalAskConn *next;
} JournalAskConn;

struct JournalAskServer {
    uv_tcp_t tcp;
    Journal *journal;
    JournalAskConn *conns;
    bool closing;
};

struct JournalAskClient {
    uv_tcp_t tcp;
    uv_connect_t connect;
    Journal *journal;
    uint64_t leader_id;
    bool connected, closing, asking;
    uint64_t next_id, asked_id, asked_ms;
    uint8_t buf[JOURNAL_ASK_ANSWER_BYTES];
    size_t have;
};

typedef struct JournalAskWrite {
    uv_write_t req;
    uint8_t bytes[JOURNAL_ASK_ANSWER_BYTES];
} JournalAskWrite;

typedef struct JournalAskPending {
    JournalAskConn *conn;
    uint64_t id;
} JournalAskPending;

static void journal_ask_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    static __thread uint8_t scratch[256];
    (void)h;
    buf->base = (char *)scratch;
    buf->len = sizeof scratch;
}

static void journal_ask_write_done(uv_write_t *req, int status)
{
    (void)status;
    free(req->data);
}

static void journal_ask_write(uv_stream_t *s, const uint8_t *bytes, size_t len)
{
    JournalAskWrite *w = malloc(sizeof *w);
    if (!w) return;
    memcpy(w->bytes, bytes, len);
    w->req.data = w;
    uv_buf_t b = uv_buf_init((char *)w->bytes, (unsigned)len);
    if (uv_write(&w->req, s, &b, 1, journal_ask_write_done) != 0) free(w);
}

static int journal_ask_addr(const char *address, struct sockaddr_in *sa)
{
    const char *colon = strrchr(address, ':');
    char host[64];
    if (!colon || (size_t)(colon - address) >= sizeof host) return -1;
    memcpy(host, address, (size_t)(colon - address));
    host[colon - address] = '\0';
    return uv_ip4_addr(host, atoi(colon + 1), sa) == 0 ? 0 : -1;
}

/* ---- Leader side ---- */

static void journal_ask_conn_free(JournalAskConn *c)
{
    JournalAskServer *srv = c->journal->ask_server;
    if (srv) {
        for (JournalAskConn **l = &srv->conns; *l; l = &(*l)->next)
            if (*l == c) {
                *l = c->next;
                break;
            }
    }
    free(c);
}

static void journal_ask_conn_closed(uv_handle_t *h)
{
    JournalAskConn *c = (JournalAskConn *)h;
    c->closed = true;
    if (c->pending == 0) journal_ask_conn_free(c);
}

static void journal_ask_conn_close(JournalAskConn *c)
{
    if (c->closing) return;
    c->closing = true;
    uv_close((uv_handle_t *)&c->tcp, journal_ask_conn_closed);
}

static void journal_ask_answer(void *arg, bool ok, CommitVersion version)
{
    JournalAskPending *p = arg;
    JournalAskConn *c = p->conn;
    c->pending--;
    if (!c->closing) {
        uint8_t a[JOURNAL_ASK_ANSWER_BYTES] = {0};
        memcpy(a, JOURNAL_ASK_MAGIC, 4);
        a[4] = 1;
        a[5] = 2;
        a[6] = ok ? 0 : 1;
        journal_put_be64(a + 8, p->id);
        journal_put_be64(a + 16, ok ? version : 0);
        journal_ask_write((uv_stream_t *)&c->tcp, a, sizeof a);
    } else if (c->closed && c->pending == 0) {
        journal_ask_conn_free(c);
    }
    free(p);
}

static void journal_ask_conn_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    JournalAskConn *c = (JournalAskConn *)s;
    if (n < 0) {
        journal_ask_conn_close(c);
        return;
    }
    for (ssize_t i = 0; i < n && !c->closing; i++) {
        c->buf[c->have++] = (uint8_t)buf->base[i];
        if (c->have < JOURNAL_ASK_REQUEST_BYTES) continue;
        c->have = 0;
        if (memcmp(c->buf, JOURNAL_ASK_MAGIC, 4) != 0 || c->buf[4] != 1 || c->buf[5] != 1 ||
            c->buf[6] || c->buf[7]) {
            journal_ask_conn_close(c);
            return;
        }
        JournalAskPending *p = malloc(sizeof *p);
        if (!p) {
            journal_ask_conn_close(c);
            return;
        }
        p->conn = c;
        p->id = journal_get_be64(c->buf + 8);
        c->pending++;
        journal_reads_remote(c->journal, journal_ask_answer, p);
    }
}

static void journal_ask_accept(uv_stream_t *server, int status)
{
    JournalAskServer *srv = server->data;
    if (status != 0 || srv->closing) return;
    JournalAskConn *c = calloc(1, sizeof *c);
    if (!c) return;
    c->journal = srv->journal;
    uv_tcp_init(server->loop, &c->tcp);
    c->next = srv->conns;
    srv->conns = c;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
        uv_read_start((uv_stream_t *)&c->tcp, journal_ask_alloc, journal_ask_conn_read) != 0)
        journal_ask_conn_close(c);
}

int journal_ask_listen(Journal *j, const char *address)
{
    struct sockaddr_in sa;
    if (journal_ask_addr(address, &sa) != 0) return -1;
    JournalAskServer *srv = calloc(1, sizeof *srv);
    if (!srv) return -1;
    srv->journal = j;
    uv_tcp_init(&j->loop, &srv->tcp);
    srv->tcp.data = srv;
    j->ask_server = srv;
    if (uv_tcp_bind(&srv->tcp, (const struct sockaddr *)&sa, 0) != 0 ||
        uv_listen((uv_stream_t *)&srv->tcp, 16, journal_ask_accept) != 0)
        return -1; /* journal_ask_close frees it */
    return 0;
}

/* ---- Follower side ---- */

static void journal_ask_client_closed(uv_handle_t *h)
{
    free(h->data);
}

static void journal_ask_client_close(JournalAskClient *cl)
{
    Journal *j = cl->journal;
    if (j->ask_client == cl) j->ask_client = NULL;
    bool was_asking = cl->asking;
    cl->asking = false;
    if (!cl->closing) {
        cl->closing = true;
        uv_close((uv_handle_t *)&cl->tcp, journal_ask_client_closed);
    }
    if (was_asking) journal_reads_asked(j, false, 0);
}

static void journal_ask_client_send(JournalAskClient *cl)
{
    uint8_t q[JOURNAL_ASK_REQUEST_BYTES] = {0};
    memcpy(q, JOURNAL_ASK_MAGIC, 4);
    q[4] = 1;
    q[5] = 1;
    cl->asked_id = ++cl->next_id;
    journal_put_be64(q + 8, cl->asked_id);
    journal_ask_write((uv_stream_t *)&cl->tcp, q, sizeof q);
}

static void journal_ask_client_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    JournalAskClient *cl = s->data;
    if (n < 0) {
        journal_ask_client_close(cl);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        cl->buf[cl->have++] = (uint8_t)buf->base[i];
        if (cl->have < JOURNAL_ASK_ANSWER_BYTES) continue;
        cl->have = 0;
        const uint8_t *a = cl->buf;
        if (memcmp(a, JOURNAL_ASK_MAGIC, 4) != 0 || a[4] != 1 || a[5] != 2 || a[6] > 1 || a[7] ||
            !cl->asking || journal_get_be64(a + 8) != cl->asked_id) {
            journal_ask_client_close(cl);
            return;
        }
        cl->asking = false;
        journal_reads_asked(cl->journal, a[6] == 0, journal_get_be64(a + 16));
        if (cl->closing) return;
    }
}

static void journal_ask_connected(uv_connect_t *req, int status)
{
    JournalAskClient *cl = req->data;
    if (cl->closing) return;
    if (status != 0 ||
        uv_read_start((uv_stream_t *)&cl->tcp, journal_ask_alloc, journal_ask_client_read) != 0) {
        journal_ask_client_close(cl);
        return;
    }
    cl->connected = true;
    if (cl->asking) journal_ask_client_send(cl);
}

bool journal_ask_send(Journal *j, uint64_t leader_id)
{
    JournalAskClient *cl = j->ask_client;
    uint64_t now = uv_now(&j->loop);
    if (cl &&
        (cl->leader_id != leader_id || (cl->asking && now - cl->asked_ms > j->leader_wait_ms))) {
        journal_ask_client_close(cl); /* a stale leader or a question lost */
        cl = NULL;
    }
    if (cl && cl->asking) return false;
    const JournalPeerCopy *peer = journal_peer_find(j, leader_id);
    if (!peer || !peer->ask_address[0]) return false;
    if (!cl) {
        struct sockaddr_in sa;
        if (journal_ask_addr(peer->ask_address, &sa) != 0) return false;
        cl = calloc(1, sizeof *cl);
        if (!cl) return false;
        cl->journal = j;
        cl->leader_id = leader_id;
        uv_tcp_init(&j->loop, &cl->tcp);
        cl->tcp.data = cl;
        cl->connect.data = cl;
        j->ask_client = cl;
        if (uv_tcp_connect(&cl->connect, &cl->tcp, (const struct sockaddr *)&sa,
                           journal_ask_connected) != 0) {
            journal_ask_client_close(cl);
            return false;
        }
    }
    cl->asking = true;
    cl->asked_ms = now;
    if (cl->connected) journal_ask_client_send(cl);
    return true;
}

static void journal_ask_server_closed(uv_handle_t *h)
{
    free(h->data);
}

void journal_ask_close(Journal *j)
{
    if (j->ask_client) {
        JournalAskClient *cl = j->ask_client;
        cl->asking = false;
        journal_ask_client_close(cl);
    }
    JournalAskServer *srv = j->ask_server;
    if (!srv) return;
    srv->closing = true;
    for (JournalAskConn *c = srv->conns; c; c = c->next)
        journal_ask_conn_close(c);
    j->ask_server = NULL;
    uv_close((uv_handle_t *)&srv->tcp, journal_ask_server_closed);
}
