/*
 * `borealis iam`: IAM principals of a node, stored in its data directory
 * (auth/iam_store.h) — the stand-in for AWS IAM that DbConnect tokens are
 * verified against.
 *
 *   create-user|create-role|create-access-key --arn ARN | --name NAME
 *       adds an access key for the principal; prints AWS_ACCESS_KEY_ID=…
 *       and AWS_SECRET_ACCESS_KEY=… lines (the only time the secret shows)
 *   delete-user|delete-role --arn ARN | --name NAME   removes its keys
 *   list                          access key ids and ARNs, no secrets
 *   show-admin-credential [--format env]   the admin principal's key
 * --name N means arn:aws:iam::000000000000:user/N (role/N for *-role).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "auth/iam_store.h"
#include "cli/cli_iam.h"
#include "common/common.h"

#define CLI_IAM_ACCOUNT "000000000000"

static void iam_usage(FILE *f)
{
    fprintf(f, "usage: borealis iam <command> [--data DIR] [options]\n"
               "  create-user|create-role|create-access-key --arn ARN | --name NAME\n"
               "  delete-user|delete-role --arn ARN | --name NAME\n"
               "  list\n"
               "  show-admin-credential [--format env]\n");
}

static void iam_list_print(void *arg, const char *access_key_id, const char *arn)
{
    (void)arg;
    printf("%s\t%s\n", access_key_id, arn);
}

int cli_iam_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        iam_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'}, {"arn", required_argument, NULL, 'a'},
        {"name", required_argument, NULL, 'n'}, {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    const char *data = "borealis-data", *arn = NULL, *name = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'a':
            arn = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "env") != 0) {
                fprintf(stderr, "borealis iam: --format supports only env\n");
                return 2;
            }
            break;
        case 'h':
            iam_usage(stdout);
            return 0;
        default:
            iam_usage(stderr);
            return 2;
        }
    }
    DataDir dd;
    DbError err;
    if (datadir_open(data, &dd, &err) != 0) {
        fprintf(stderr, "borealis iam: %s\n", err.message);
        return 1;
    }
    if (strcmp(cmd, "show-admin-credential") == 0) {
        printf("AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", dd.access_key_id,
               dd.secret_access_key);
        return 0;
    }
    if (strcmp(cmd, "list") == 0) {
        if (auth_iam_store_list(data, iam_list_print, NULL, &err) == 0) return 0;
        fprintf(stderr, "borealis iam: %s\n", err.message);
        return 1;
    }
    bool create = strcmp(cmd, "create-user") == 0 || strcmp(cmd, "create-role") == 0 ||
                  strcmp(cmd, "create-access-key") == 0;
    bool delete = strcmp(cmd, "delete-user") == 0 || strcmp(cmd, "delete-role") == 0;
    if (!create && !delete) {
        fprintf(stderr, "borealis iam: unknown command \"%s\"\n", cmd);
        iam_usage(stderr);
        return 2;
    }
    char built[AUTH_IAM_ARN_MAX + 1];
    if (!arn && name) {
        snprintf(built, sizeof built, "arn:aws:iam::%s:%s/%s", CLI_IAM_ACCOUNT,
                 strstr(cmd, "-role") ? "role" : "user", name);
        arn = built;
    }
    if (!arn || strncmp(arn, "arn:", 4) != 0) {
        fprintf(stderr,
                "borealis iam %s: --arn arn:aws:iam::<account>:user|role/<name> "
                "(or --name NAME) is required\n",
                cmd);
        return 2;
    }
    if (delete) {
        size_t removed;
        if (auth_iam_store_remove(data, arn, &removed, &err) != 0) {
            fprintf(stderr, "borealis iam: %s\n", err.message);
            return 1;
        }
        if (!removed) {
            fprintf(stderr, "borealis iam: no principal %s\n", arn);
            return 1;
        }
        printf("deleted %zu access key(s) of %s\n", removed, arn);
        return 0;
    }
    AuthCredential cred;
    if (auth_iam_store_add(data, arn, &cred, &err) != 0) {
        fprintf(stderr, "borealis iam: %s\n", err.message);
        return 1;
    }
    printf("AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", cred.access_key_id,
           cred.secret_access_key);
    return 0;
}
