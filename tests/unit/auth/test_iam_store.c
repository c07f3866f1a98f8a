/*
 * The IAM user store (auth/iam_store.h): keys added, found, listed and
 * removed through the file; the file is private; malformed lines and a
 * missing file are an empty store, never a crash; lookups through the
 * registered store answer what a session's token verification asks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "auth/iam_store.h"

static void count_visit(void *arg, const char *access_key_id, const char *arn)
{
    (void)access_key_id;
    (void)arn;
    (*(int *)arg)++;
}

static void test_store_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/borealis-test-iam-XXXXXX";
    assert_non_null(mkdtemp(dir));
    DbError err;
    char secret[AUTH_SECRET_ACCESS_KEY_MAX + 1], arn[AUTH_IAM_ARN_MAX + 1];
    /* A missing file is an empty store. */
    assert_int_equal(auth_iam_store_find(dir, "BKIANOPE", secret, sizeof secret, arn, sizeof arn),
                     -1);

    AuthCredential a, b;
    const char *app = "arn:aws:iam::123456789012:role/app";
    assert_int_equal(auth_iam_store_add(dir, app, &a, &err), 0);
    assert_int_equal(auth_iam_store_add(dir, "arn:aws:iam::123456789012:user/bob", &b, &err), 0);
    assert_int_equal(strncmp(a.access_key_id, "BKIA", 4), 0);
    assert_int_equal(strlen(a.access_key_id), 20);
    assert_int_equal(strlen(a.secret_access_key), 40);
    assert_string_not_equal(a.access_key_id, b.access_key_id);

    assert_int_equal(
        auth_iam_store_find(dir, a.access_key_id, secret, sizeof secret, arn, sizeof arn), 0);
    assert_string_equal(secret, a.secret_access_key);
    assert_string_equal(arn, app);
    int n = 0;
    assert_int_equal(auth_iam_store_list(dir, count_visit, &n, &err), 0);
    assert_int_equal(n, 2);

    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, AUTH_IAM_STORE_FILE);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* The registered store serves sessions. */
    auth_iam_store_register(dir);
    assert_int_equal(auth_iam_principal_find(b.access_key_id, arn, sizeof arn), 0);
    assert_string_equal(arn, "arn:aws:iam::123456789012:user/bob");
    assert_int_equal(auth_iam_secret_lookup(NULL, b.access_key_id, secret, sizeof secret), 0);
    assert_string_equal(secret, b.secret_access_key);
    assert_int_equal(auth_iam_secret_lookup(NULL, "BKIANOPE", secret, sizeof secret), -1);

    size_t removed;
    assert_int_equal(auth_iam_store_remove(dir, app, &removed, &err), 0);
    assert_int_equal(removed, 1);
    assert_int_equal(auth_iam_principal_find(a.access_key_id, arn, sizeof arn), -1);
    assert_int_equal(auth_iam_principal_find(b.access_key_id, arn, sizeof arn), 0);

    /* Junk lines are skipped, not fatal. */
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("garbage\n\n# comment\nonly two\n", f);
    fclose(f);
    n = 0;
    assert_int_equal(auth_iam_store_list(dir, count_visit, &n, &err), 0);
    assert_int_equal(n, 1);

    assert_int_equal(auth_iam_store_add(dir, "has space", &a, &err), -1);
    auth_iam_store_register(NULL);
    assert_int_equal(auth_iam_principal_find(b.access_key_id, arn, sizeof arn), -1);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
