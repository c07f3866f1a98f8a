/*
 * The MCP server's database access: one persistent libpq connection, opened
 * lazily on the first database tool call (spec §4.2) with a token minted
 * here by auth/'s signer (admin user: DbConnectAdmin, else DbConnect), and
 * statements run with PQexecParams so that parameters are bound by the
 * server, never spliced into SQL text.  Rows come back as JSON objects.
 *
 * Credentials: --data DIR's admin credential, else AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY.  No retry here: a tool that loses its connection
 * retries the whole call from BEGIN (tools.c), never a single statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "mcp/mcp_int.h"

/* PostgreSQL type OIDs whose text form maps onto a JSON type. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_JSON 114
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_JSONB 3802

static int mint_token(const McpServer *srv, StrBuf *token, char **msg)
{
    AuthCredential cred;
    memset(&cred, 0, sizeof cred);
    const char *akid = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
    DbError err;
    if (srv->cfg.data_dir || !akid || !secret) {
        DataDir dd;
        const char *dir = srv->cfg.data_dir ? srv->cfg.data_dir : "borealis-data";
        if (datadir_open(dir, &dd, &err) != 0) {
            *msg = strdup(err.message);
            return -1;
        }
        akid = dd.access_key_id;
        secret = dd.secret_access_key;
        snprintf(cred.access_key_id, sizeof cred.access_key_id, "%s", akid);
        snprintf(cred.secret_access_key, sizeof cred.secret_access_key, "%s", secret);
    } else {
        snprintf(cred.access_key_id, sizeof cred.access_key_id, "%s", akid);
        snprintf(cred.secret_access_key, sizeof cred.secret_access_key, "%s", secret);
    }
    AuthTokenRequest req = {
        .hostname = srv->cfg.endpoint,
        .region = srv->cfg.region,
        /* Exact and case-sensitive, as in the original. */
        .action = strcmp(srv->cfg.user, "admin") == 0 ? AUTH_ACTION_DB_CONNECT_ADMIN
                                                      : AUTH_ACTION_DB_CONNECT,
        .expires_seconds = LIMIT_TOKEN_DEFAULT_EXPIRES_SECONDS,
        .now = clock_wall_seconds(),
        .credential = &cred,
        .session_token = getenv("AWS_SESSION_TOKEN"),
    };
    if (auth_token_generate(&req, token, &err) != 0) {
        *msg = strdup(err.message);
        return -1;
    }
    return 0;
}

int mcp_db_connect(McpServer *srv, char **msg)
{
    if (srv->conn) return 0;
    StrBuf token;
    strbuf_init(&token);
    if (mint_token(srv, &token, msg) != 0) {
        strbuf_fini(&token);
        return -1;
    }
    char port[16];
    snprintf(port, sizeof port, "%d", srv->cfg.port);
    const char *keys[] = {"host",     "port",    "dbname",           "user",
                          "password", "sslmode", "application_name", NULL};
    const char *vals[] = {srv->cfg.endpoint, port,      "postgres",           srv->cfg.user,
                          token.data,        "require", MCP_APPLICATION_NAME, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 0);
    strbuf_fini(&token);
    if (PQstatus(conn) != CONNECTION_OK) {
        const char *e = PQerrorMessage(conn);
        size_t n = strlen(e);
        while (n > 0 && (e[n - 1] == '\n' || e[n - 1] == ' '))
            n--;
        *msg = strndup(e, n);
        PQfinish(conn);
        return -1;
    }
    srv->conn = conn;
    return 0;
}

void mcp_db_close(McpServer *srv)
{
    if (srv->conn) PQfinish(srv->conn);
    srv->conn = NULL;
}

bool mcp_db_broken(const McpServer *srv)
{
    return srv->conn && PQstatus(srv->conn) != CONNECTION_OK;
}

/* One JSON parameter as the text libpq sends; NULL for JSON null. */
static const char *param_text(json_t *v, char **owned)
{
    *owned = NULL;
    switch (json_typeof(v)) {
    case JSON_NULL:
        return NULL;
    case JSON_STRING:
        return json_string_value(v);
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    default: /* numbers as JSON writes them; arrays and objects as JSON text */
        *owned = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        return *owned;
    }
}

static json_t *cell_json(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col)) return json_null();
    const char *s = PQgetvalue(res, row, col);
    char *end;
    switch (PQftype(res, col)) {
    case OID_BOOL:
        return json_boolean(s[0] == 't');
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID: {
        long long v = strtoll(s, &end, 10);
        if (*end == '\0') return json_integer(v);
        break;
    }
    case OID_FLOAT4:
    case OID_FLOAT8: {
        double v = strtod(s, &end);
        /* NaN and Infinity have no JSON form: they stay text. */
        if (*end == '\0' && v == v && v - v == 0) return json_real(v);
        break;
    }
    case OID_JSON:
    case OID_JSONB: {
        json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
        if (j) return j;
        break;
    }
    default:
        break;
    }
    return json_string(s);
}

static json_t *rows_json(const PGresult *res)
{
    json_t *rows = json_array();
    int nf = PQnfields(res);
    for (int r = 0; r < PQntuples(res); r++) {
        json_t *obj = json_object();
        for (int c = 0; c < nf; c++)
            json_object_set_new(obj, PQfname(res, c), cell_json(res, r, c));
        json_array_append_new(rows, obj);
    }
    return rows;
}

int mcp_db_exec(McpServer *srv, const char *sql, json_t *params, json_t **rows, char *sqlstate,
                char **msg)
{
    size_t n = json_is_array(params) ? json_array_size(params) : 0;
    const char **values = calloc(n ? n : 1, sizeof *values);
    char **owned = calloc(n ? n : 1, sizeof *owned);
    for (size_t i = 0; i < n; i++)
        values[i] = param_text(json_array_get(params, i), &owned[i]);
    PGresult *res = PQexecParams(srv->conn, sql, (int)n, NULL, values, NULL, NULL, 0);
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
    free(owned);
    free(values);
    ExecStatusType st = PQresultStatus(res);
    /* Only comments: no statement, no rows (as psycopg reports it). */
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
        if (rows) *rows = st == PGRES_TUPLES_OK ? rows_json(res) : json_array();
        PQclear(res);
        return 0;
    }
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    snprintf(sqlstate, 6, "%s", state ? state : "08006");
    if (primary) {
        *msg = strdup(primary);
    } else {
        const char *e = PQerrorMessage(srv->conn);
        size_t len = strlen(e);
        while (len > 0 && (e[len - 1] == '\n' || e[len - 1] == ' '))
            len--;
        *msg = strndup(e, len);
    }
    PQclear(res);
    return -1;
}

bool mcp_db_exec_quiet(McpServer *srv, const char *sql)
{
    PGresult *res = PQexec(srv->conn, sql);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok) log_warn("mcp: %s failed: %s", sql, PQerrorMessage(srv->conn));
    PQclear(res);
    return ok;
}
