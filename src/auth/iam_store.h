/*
 * The node's store of IAM principals other than admin: IAM users (by ARN)
 * and their access keys, kept in the data directory so that SigV4 tokens
 * signed with those keys can be verified and their principal mapped to a
 * database role (AWS IAM GRANT).  `borealis iam …` writes it; the server
 * reads it on every lookup, so keys added while the node runs work at once.
 *
 * File <data>/iam_users (mode 0600), one principal key per line:
 *   <access key id> <secret access key> <principal ARN>
 * Lines starting with '#' are comments.  Writes go to a temporary file
 * renamed over the old one, so a reader never sees half a file.  Secrets
 * are stored as given (SigV4 verification needs them), protected by the
 * file's mode as the admin credential in <data>/credentials is.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "auth/auth.h"
#include "common/common.h"

#define AUTH_IAM_STORE_FILE "iam_users"
#define AUTH_IAM_ARN_MAX 1024

/* Adds a new access key for arn (creating the principal) and returns it. */
int auth_iam_store_add(const char *data_dir, const char *arn, AuthCredential *out, DbError *err);
/* Removes every access key of arn; *removed counts them. */
int auth_iam_store_remove(const char *data_dir, const char *arn, size_t *removed, DbError *err);
/* Finds an access key: 0 and the secret and ARN (either may be NULL), or -1
 * when the key is unknown or the store cannot be read. */
int auth_iam_store_find(const char *data_dir, const char *access_key_id, char *secret,
                        size_t secret_size, char *arn, size_t arn_size);
/* Calls visit for every key (secret withheld), in file order. */
typedef void (*AuthIamVisit)(void *arg, const char *access_key_id, const char *arn);
int auth_iam_store_list(const char *data_dir, AuthIamVisit visit, void *arg, DbError *err);

/* The store the node serves from, set once at startup by `borealis start`
 * (NULL: no IAM users), and the lookups sessions make through it. */
void auth_iam_store_register(const char *data_dir);
/* The principal ARN of an IAM user's access key; -1 when not an IAM user's
 * (the admin credential, or unknown). */
int auth_iam_principal_find(const char *access_key_id, char *arn, size_t arn_size);
/* AuthSecretLookup over the registered store (arg unused). */
int auth_iam_secret_lookup(void *arg, const char *access_key_id, char *secret_out,
                           size_t secret_size);
