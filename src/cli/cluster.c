/*
 * `borealis cluster create|get|info|list|update|delete|wait`: the
 * control-plane API of the local node, signed with the data directory's
 * admin credential, printing the API's JSON (indented) on stdout.  API
 * errors print "<ErrorType>: <message>" on stderr and exit 1; usage errors
 * exit 2.  `delete` asks for "yes" on stdin unless --force; `wait` polls
 * GetCluster until the status is reached (DELETED: until it is gone).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cluster.h"
#include "common/conf.h"
#include "common/datadir.h"

typedef struct CliClusterOpts {
    const char *data;
    const char *tags;
    const char *client_token;
    const char *status;
    int protection; /* -1 unset, 0 off, 1 on */
    bool force;
    long max_results;
    const char *next_token;
    long timeout_s;
    bool table; /* --output table */
} CliClusterOpts;

static bool cli_cluster_table_output;

static void cli_cluster_usage(FILE *f)
{
    fprintf(f, "usage: borealis cluster COMMAND [options]\n\n"
               "  create [--tags k=v,...] [--deletion-protection|--no-deletion-protection]\n"
               "         [--client-token T]           create a cluster (protection on by default)\n"
               "  get ID | info ID                     show a cluster\n"
               "  list [--max-results N] [--next-token T]\n"
               "                                       list clusters\n"
               "  update ID [--deletion-protection|--no-deletion-protection]\n"
               "                                       change a cluster\n"
               "  delete ID [--force]                  delete a cluster (asks for \"yes\")\n"
               "  wait ID [--status ACTIVE|DELETED] [--timeout SECONDS]\n"
               "                                       wait until a cluster has a status\n\n"
               "Every command takes --data DIR (default ./borealis-data), --output json|table\n"
               "(default json) and --help.\n");
}

static int cli_cluster_api(const char *data, CliApi *api)
{
    DataDir dd;
    DataDirEndpoint ep;
    DbError err;
    Conf c;
    char path[DATADIR_PATH_MAX + 32];
    if (datadir_open(data, &dd, &err) != 0 || datadir_endpoint_load(&dd, &ep, &err) != 0) {
        fprintf(stderr, "borealis cluster: %s\n", err.message);
        if (err.hint[0]) fprintf(stderr, "HINT: %s\n", err.hint);
        return -1;
    }
    datadir_path(&dd, "endpoint", path, sizeof path);
    const char *port = conf_load(&c, path, &err) == 0 ? conf_get(&c, "api_port") : NULL;
    const char *host = port ? conf_get(&c, "api_host") : NULL;
    if (!port) {
        fprintf(stderr, "borealis cluster: the running node does not serve the API\n");
        return -1;
    }
    const char *scheme = conf_get(&c, "api_scheme");
    if (scheme && strcmp(scheme, "http") != 0) {
        /* Client commands do not link TLS (only net/ and auth/ do). */
        fprintf(stderr,
                "borealis cluster: the node serves its API over %s; this command speaks HTTP on "
                "loopback only\nHINT: Start the node with --api-listen 127.0.0.1:PORT, or use an "
                "AWS SDK with the fleet CA (tls/ca.crt).\n",
                scheme);
        return -1;
    }
    snprintf(api->host, sizeof api->host, "%s", host ? host : ep.host);
    api->port = atoi(port);
    snprintf(api->region, sizeof api->region, "%s", dd.region);
    snprintf(api->access_key_id, sizeof api->access_key_id, "%s", dd.access_key_id);
    snprintf(api->secret_access_key, sizeof api->secret_access_key, "%s", dd.secret_access_key);
    return 0;
}

/* Prints one JSON value as table cells: scalars as they are, objects as
 * k=v lists. */
static void cli_cluster_cell(json_t *v)
{
    if (json_is_string(v)) {
        printf("%s", json_string_value(v));
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        bool first = true;
        json_object_foreach(v, k, x)
        {
            printf("%s%s=", first ? "" : ",", k);
            cli_cluster_cell(x);
            first = false;
        }
    } else {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        printf("%s", s ? s : "");
        free(s);
    }
}

/* A list answer as one row per cluster, anything else as field/value rows. */
static void cli_cluster_print_table(json_t *j)
{
    json_t *list = json_object_get(j, "clusters");
    if (json_is_array(list)) {
        printf("%-26s  %s\n", "IDENTIFIER", "ARN");
        size_t i;
        json_t *c;
        json_array_foreach(list, i, c)
        {
            printf("%-26s  %s\n", json_string_value(json_object_get(c, "identifier")),
                   json_string_value(json_object_get(c, "arn")));
        }
        if (json_object_get(j, "nextToken"))
            printf("(more: --next-token %s)\n", json_string_value(json_object_get(j, "nextToken")));
        return;
    }
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v)
    {
        printf("%-26s  ", k);
        cli_cluster_cell(v);
        printf("\n");
    }
}

/* Calls the API; prints the JSON (quiet: not) or the error.  Returns the
 * exit code: 0, or 1 on any error. */
static int cli_cluster_call(const CliApi *api, const char *method, const char *path,
                            const char *query, const char *body, bool quiet, CliHttpResponse *resp)
{
    DbError err;
    if (cli_http_call(api, method, path, query, body, resp, &err) != 0) {
        fprintf(stderr, "borealis cluster: %s\n", err.message);
        return 1;
    }
    json_error_t jerr;
    json_t *j = json_loadb(resp->body.data ? resp->body.data : "", resp->body.len, 0, &jerr);
    if (resp->status != 200) {
        if (!quiet || resp->status != 404)
            fprintf(stderr, "borealis cluster: %s: %s\n",
                    resp->error_type[0] ? resp->error_type : "HTTP error",
                    j && json_string_value(json_object_get(j, "message"))
                        ? json_string_value(json_object_get(j, "message"))
                        : "(no message)");
        json_decref(j);
        return 1;
    }
    if (!quiet && j && cli_cluster_table_output) {
        cli_cluster_print_table(j);
    } else if (!quiet && j) {
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", s);
        free(s);
    }
    json_decref(j);
    return 0;
}

/* "k=v,k2=v2" into a JSON object; NULL when malformed. */
static json_t *cli_cluster_tags(const char *s)
{
    json_t *o = json_object();
    char *copy = strdup(s), *save = NULL;
    for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq || eq == kv) {
            json_decref(o);
            o = NULL;
            break;
        }
        *eq = '\0';
        json_object_set_new(o, kv, json_string(eq + 1));
    }
    free(copy);
    return o;
}

static int cli_cluster_create(const CliApi *api, const CliClusterOpts *o)
{
    json_t *body = json_object();
    if (o->protection >= 0)
        json_object_set_new(body, "deletionProtectionEnabled", json_boolean(o->protection));
    if (o->client_token) json_object_set_new(body, "clientToken", json_string(o->client_token));
    if (o->tags) {
        json_t *t = cli_cluster_tags(o->tags);
        if (!t) {
            fprintf(stderr, "borealis cluster: --tags wants k=v,k2=v2\n");
            json_decref(body);
            return 2;
        }
        json_object_set_new(body, "tags", t);
    }
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    CliHttpResponse r = {0};
    int rc = cli_cluster_call(api, "POST", "/cluster", "", s, false, &r);
    free(s);
    strbuf_fini(&r.body);
    return rc;
}

static int cli_cluster_simple(const CliApi *api, const char *method, const char *id,
                              const char *body)
{
    char path[128];
    snprintf(path, sizeof path, "/cluster/%s", id);
    CliHttpResponse r = {0};
    int rc = cli_cluster_call(api, method, path, "", body, false, &r);
    strbuf_fini(&r.body);
    return rc;
}

static int cli_cluster_list(const CliApi *api, const CliClusterOpts *o)
{
    char query[256] = "";
    if (o->max_results) snprintf(query, sizeof query, "max-results=%ld", o->max_results);
    if (o->next_token)
        snprintf(query + strlen(query), sizeof query - strlen(query), "%snext-token=%s",
                 query[0] ? "&" : "", o->next_token);
    CliHttpResponse r = {0};
    int rc = cli_cluster_call(api, "GET", "/cluster", query, "", false, &r);
    strbuf_fini(&r.body);
    return rc;
}

static int cli_cluster_delete(const CliApi *api, const char *id, const CliClusterOpts *o)
{
    if (!o->force) {
        char line[64] = "";
        fprintf(stderr, "Delete cluster %s and all its data? Type \"yes\" to confirm: ", id);
        fflush(stderr);
        if (!fgets(line, sizeof line, stdin) || strcmp(line, "yes\n") != 0) {
            fprintf(stderr, "borealis cluster: not deleted\n");
            return 1;
        }
    }
    return cli_cluster_simple(api, "DELETE", id, "");
}

static int cli_cluster_wait(const CliApi *api, const char *id, const CliClusterOpts *o)
{
    const char *want = o->status ? o->status : "ACTIVE";
    char path[128];
    snprintf(path, sizeof path, "/cluster/%s", id);
    for (long waited_ms = 0; waited_ms <= o->timeout_s * 1000; waited_ms += 250) {
        CliHttpResponse r = {0};
        int rc = cli_cluster_call(api, "GET", path, "", "", true, &r);
        json_t *j = rc == 0 ? json_loadb(r.body.data, r.body.len, 0, NULL) : NULL;
        const char *st = j ? json_string_value(json_object_get(j, "status")) : NULL;
        bool done =
            (st && strcmp(st, want) == 0) || (strcmp(want, "DELETED") == 0 && r.status == 404);
        bool failed = rc != 0 && r.status != 404;
        json_decref(j);
        strbuf_fini(&r.body);
        if (done) {
            printf("%s\n", want);
            return 0;
        }
        if (failed || (r.status == 404 && strcmp(want, "DELETED") != 0)) {
            if (r.status == 404) fprintf(stderr, "borealis cluster: cluster %s not found\n", id);
            return 1;
        }
        usleep(250 * 1000);
    }
    fprintf(stderr, "borealis cluster: timed out waiting for %s to be %s\n", id, want);
    return 1;
}

static int cli_cluster_parse(int argc, char **argv, CliClusterOpts *o)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"tags", required_argument, NULL, 't'},
        {"client-token", required_argument, NULL, 'c'},
        {"deletion-protection", no_argument, NULL, 'p'},
        {"no-deletion-protection", no_argument, NULL, 'P'},
        {"force", no_argument, NULL, 'f'},
        {"status", required_argument, NULL, 's'},
        {"max-results", required_argument, NULL, 'm'},
        {"next-token", required_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, 'T'},
        {"region", required_argument, NULL, 'r'}, /* accepted: the node has one region */
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->data = optarg;
            break;
        case 't':
            o->tags = optarg;
            break;
        case 'c':
            o->client_token = optarg;
            break;
        case 'p':
            o->protection = 1;
            break;
        case 'P':
            o->protection = 0;
            break;
        case 'f':
            o->force = true;
            break;
        case 's':
            o->status = optarg;
            break;
        case 'm':
            o->max_results = strtol(optarg, NULL, 10);
            break;
        case 'n':
            o->next_token = optarg;
            break;
        case 'T':
            o->timeout_s = strtol(optarg, NULL, 10);
            break;
        case 'r':
            break;
        case 'o':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0) {
                fprintf(stderr, "borealis cluster: --output wants json or table\n");
                return 2;
            }
            o->table = strcmp(optarg, "table") == 0;
            break;
        case 'h':
            cli_cluster_usage(stdout);
            return 0;
        default:
            cli_cluster_usage(stderr);
            return 2;
        }
    }
    return -1;
}

int cli_cluster_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cli_cluster_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    static const char *const cmds[] = {"create", "get", "info", "list", "update", "delete", "wait"};
    bool known = false;
    for (size_t i = 0; i < ARRAY_LEN(cmds); i++)
        known = known || strcmp(cmd, cmds[i]) == 0;
    if (!known) {
        fprintf(stderr, "borealis cluster: unknown command \"%s\"\n", cmd);
        cli_cluster_usage(stderr);
        return 2;
    }
    CliClusterOpts o = {.data = "borealis-data", .protection = -1, .timeout_s = 300};
    int rc = cli_cluster_parse(argc - 1, argv + 1, &o);
    if (rc >= 0) return rc;
    const char *id = optind < argc - 1 ? argv[1 + optind] : NULL;
    bool needs_id = strcmp(cmd, "create") != 0 && strcmp(cmd, "list") != 0;
    if (needs_id != (id != NULL) || (id && optind + 1 < argc - 1)) {
        fprintf(stderr, "borealis cluster %s: %s\n", cmd,
                needs_id ? "wants one cluster ID" : "takes no arguments");
        return 2;
    }
    cli_cluster_table_output = o.table;
    CliApi api;
    if (cli_cluster_api(o.data, &api) != 0) return 1;
    if (strcmp(cmd, "create") == 0) return cli_cluster_create(&api, &o);
    if (strcmp(cmd, "list") == 0) return cli_cluster_list(&api, &o);
    if (strcmp(cmd, "get") == 0 || strcmp(cmd, "info") == 0)
        return cli_cluster_simple(&api, "GET", id, "");
    if (strcmp(cmd, "update") == 0) {
        char body[64] = "{}";
        if (o.protection >= 0)
            snprintf(body, sizeof body, "{\"deletionProtectionEnabled\":%s}",
                     o.protection ? "true" : "false");
        return cli_cluster_simple(&api, "POST", id, body);
    }
    if (strcmp(cmd, "delete") == 0) return cli_cluster_delete(&api, id, &o);
    return cli_cluster_wait(&api, id, &o);
}
