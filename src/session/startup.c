/*
 * Connection startup: TLS negotiation, the startup packet, token
 * authentication, and the ParameterStatus/BackendKeyData/ReadyForQuery that
 * open a session.
 *
 *   first byte 0x16 ──────────────────────────────► direct TLS (ALPN postgresql)
 *   SSLRequest ─► 'S' ─► TLS ─┐                              │
 *   GSSENCRequest ─► 'N' ─► (read again)                     │
 *   CancelRequest ─► close    └──► StartupMessage ◄──────────┘
 *   StartupMessage before TLS ─► FATAL (TLS is mandatory, as in DSQL)
 *   StartupMessage ─► AuthenticationCleartextPassword ─► 'p' token ─► verify
 *                  ─► AuthenticationOk, ParameterStatus*, BackendKeyData
 *
 * admin logs in with the admin credential and DbConnectAdmin; any other
 * role with a DbConnect token whose IAM principal (auth/iam_store.h) is
 * mapped to it by AWS IAM GRANT, if the role has LOGIN.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/iam_store.h"
#include "catalog/role.h"
#include "session/session_int.h"

/* Reads the startup packet(s) up to a StartupMessage on a TLS connection. */
static int session_negotiate(Session *s, WireStartup *st, DbError *err)
{
    uint8_t first;
    if (net_conn_peek_first_byte(s->conn, &first, err) != 0) return -1;
    if (first == 0x16) {
        if (net_conn_start_tls(s->conn, s->srv->tls, err) != 0) return -1;
        if (!net_conn_alpn_postgresql(s->conn))
            return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                                  "received direct SSL connection request without ALPN protocol "
                                  "negotiation extension");
    }
    for (int round = 0; round < 4; round++) {
        if (wire_startup_read(s->conn, s->conn_cx, st, err) != 0) return -1;
        switch (st->kind) {
        case WIRE_STARTUP_SSL_REQUEST:
            if (net_conn_is_tls(s->conn))
                return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                                      "unsupported frontend protocol 1234.5679: server supports "
                                      "3.0 to 3.0");
            if (net_conn_write_all(s->conn, "S", 1, err) != 0) return -1;
            if (net_conn_start_tls(s->conn, s->srv->tls, err) != 0) return -1;
            break;
        case WIRE_STARTUP_GSSENC_REQUEST:
            if (net_conn_write_all(s->conn, "N", 1, err) != 0) return -1;
            break;
        case WIRE_STARTUP_CANCEL:
            /* Nothing runs long enough to cancel yet; PostgreSQL closes
             * cancel connections without a reply. */
            db_error_clear(err);
            return -1;
        case WIRE_STARTUP_MESSAGE:
            if (!net_conn_is_tls(s->conn))
                return db_error_fatal(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                                      "unable to accept connection, SSL is required");
            return 0;
        }
    }
    return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "too many startup negotiation rounds");
}

/* A non-admin login (DbConnect, token already verified): the role must
 * exist, have LOGIN, and be mapped to the token's principal by AWS IAM
 * GRANT.  principal_arn is NULL for the admin credential, which no mapping
 * names.  Reads the catalog in a read-only transaction of its own. */
static int session_login_role(Session *s, const char *principal_arn, DbError *err)
{
    Txn *t = txn_begin(s->cluster.journal, s->cluster.storage, true, err);
    if (!t) return -1;
    RoleDesc r;
    bool found, mapped = false;
    int rc = catalog_role_lookup(t, s->user, s->conn_cx, &r, &found, err);
    if (rc == 0 && found && principal_arn)
        rc = catalog_iam_mapping_exists(t, principal_arn, r.oid, &mapped, err);
    txn_abort(t);
    if (rc != 0) {
        err->severity = DB_SEVERITY_FATAL;
        return -1;
    }
    if (!found)
        return db_error_fatal(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                              "role \"%s\" does not exist", s->user);
    /* DSQL reports this one as an ERROR; the connection ends either way. */
    if (!(r.attrs & ROLE_ATTR_LOGIN))
        return db_error_set(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                            "role %s must have the LOGIN attribute", s->user);
    if (!mapped)
        return db_error_fatal(err, SQLSTATE_INVALID_PASSWORD,
                              "unable to accept connection, access denied");
    return 0;
}

static int session_authenticate(Session *s, DbError *err)
{
    wire_auth_cleartext_password_encode(&s->out);
    if (wire_flush(s->conn, &s->out, err) != 0) return -1;
    WireMessage msg;
    if (wire_message_read(s->conn, &s->in, &msg, err) != 0) return -1;
    if (msg.type != 'p')
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                              "expected password response, got message type %d",
                              (int)(unsigned char)msg.type);
    WirePassword pw;
    if (wire_password_decode(&msg, &pw, err) != 0) return -1;
    const char *token = pw.password;
    AuthVerifyParams p = {
        .user = s->user,
        .region = s->cluster.region,
        .accepted_hosts = s->cluster.accepted_hosts,
        .n_accepted_hosts = s->cluster.n_accepted_hosts,
        .now = clock_wall_seconds(),
        .lookup = s->srv->lookup,
        .lookup_arg = s->srv->lookup_arg,
    };
    AuthTokenClaims claims;
    if (auth_token_verify(token, pw.len, &p, &claims, err) != 0) return -1;
    char arn[AUTH_IAM_ARN_MAX + 1];
    bool iam_user = auth_iam_principal_find(claims.access_key_id, arn, sizeof arn) == 0;
    if (strcmp(s->user, AUTH_ADMIN_USER) == 0) {
        /* Only the admin principal holds dsql:DbConnectAdmin. */
        if (iam_user)
            return db_error_fatal(err, SQLSTATE_INVALID_PASSWORD,
                                  "unable to accept connection, access denied");
        return 0;
    }
    return session_login_role(s, iam_user ? arn : NULL, err);
}

/* "-c borealis.cluster=<id>" (or --borealis.cluster=<id>) in the startup
 * options parameter, for clients that cannot send SNI. */
static const char *startup_cluster_option(const WireStartup *st, MemContext *cx)
{
    const char *opts = wire_startup_param(st, "options");
    if (!opts) return NULL;
    const char *p = strstr(opts, "borealis.cluster=");
    if (!p) return NULL;
    p += strlen("borealis.cluster=");
    size_t n = strcspn(p, " \t");
    return mem_strndup(cx, p, n);
}

int session_startup(Session *s, DbError *err)
{
    WireStartup st;
    if (session_negotiate(s, &st, err) != 0) return -1;
    s->sni = net_conn_sni(s->conn);
    const char *user = wire_startup_param(&st, "user");
    if (!user || !user[0])
        return db_error_fatal(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                              "no PostgreSQL user name specified in startup packet");
    s->user = mem_strdup(s->conn_cx, user);
    const char *db = wire_startup_param(&st, "database");
    s->database = mem_strdup(s->conn_cx, db && db[0] ? db : user);
    session_gucs_init(&s->gucs, s->user);
    if (session_route(s, startup_cluster_option(&st, s->conn_cx), err) != 0) return -1;
    if (session_authenticate(s, err) != 0) return -1;
    if (strcmp(s->database, "postgres") != 0)
        return db_error_fatal(err, SQLSTATE_INVALID_CATALOG_NAME, "database \"%s\" does not exist",
                              s->database);
    size_t idx;
    const char *app = wire_startup_param(&st, "application_name");
    if (app && session_guc_find("application_name", &idx))
        snprintf(s->gucs.values[idx], SESSION_GUC_VALUE_MAX, "%s", app);
    const char *enc = wire_startup_param(&st, "client_encoding");
    if (enc && strcasecmp(enc, "UTF8") != 0 && strcasecmp(enc, "UTF-8") != 0 &&
        strcasecmp(enc, "unicode") != 0)
        return db_error_fatal(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                              "invalid value for parameter \"client_encoding\": \"%s\"", enc);

    wire_auth_ok_encode(&s->out);
    for (size_t i = 0; i < session_guc_count(); i++) {
        const Guc *g = session_guc_at(i);
        if (g->report) wire_parameter_status_encode(&s->out, g->name, s->gucs.values[i]);
    }
    wire_backend_key_data_encode(&s->out, s->pid, s->key);
    wire_ready_for_query_encode(&s->out, s->txn_status);
    return wire_flush(s->conn, &s->out, err);
}
