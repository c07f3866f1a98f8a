/*
 * Unit tests for the cluster registry (fleet/fleet.c): entries survive a
 * close and reopen with every field (tags sorted, policy, client token),
 * forgotten entries stay forgotten, a damaged file is refused rather than
 * skipped, and the text validators follow DSQL's patterns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fleet/fleet.h"

static char t_dir[64];

static int t_setup(void **state)
{
    (void)state;
    snprintf(t_dir, sizeof t_dir, "/tmp/borealis-test-fleet.XXXXXX");
    assert_non_null(mkdtemp(t_dir));
    return 0;
}

static int t_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_round_trip(void **state)
{
    (void)state;
    Fleet f;
    DbError err;
    FleetCluster *c;
    assert_int_equal(fleet_open(&f, t_dir, "local", "node", &err), 0);
    assert_int_equal(fleet_cluster_add(&f, NULL, FLEET_CREATING, false, "tok-1", &c, &err), 0);
    char id[FLEET_ID_LEN + 1];
    snprintf(id, sizeof id, "%s", c->id);
    assert_true(fleet_id_valid(id));
    assert_int_equal(fleet_tag_set(c, "zeta", "last"), 0);
    assert_int_equal(fleet_tag_set(c, "alpha", "first"), 0);
    assert_int_equal(fleet_tag_set(c, "alpha", "again"), 0);
    assert_int_equal(fleet_policy_set(c, "{\"Version\":\"2012-10-17\"}"), 0);
    c->policy_version = 3;
    c->status = FLEET_ACTIVE;
    assert_int_equal(fleet_cluster_save(&f, c, &err), 0);
    fleet_close(&f);

    assert_int_equal(fleet_open(&f, t_dir, "local", "node", &err), 0);
    assert_int_equal(f.n, 1);
    c = fleet_find(&f, id);
    assert_non_null(c);
    assert_int_equal(c->status, FLEET_ACTIVE);
    assert_false(c->deletion_protection);
    assert_string_equal(c->client_token, "tok-1");
    assert_ptr_equal(fleet_find_client_token(&f, "tok-1"), c);
    assert_ptr_equal(fleet_find_arn(&f, c->arn), c);
    assert_int_equal(c->n_tags, 2);
    assert_string_equal(c->tags[0].key, "alpha");
    assert_string_equal(c->tags[0].value, "again");
    assert_string_equal(c->tags[1].key, "zeta");
    assert_string_equal(c->policy, "{\"Version\":\"2012-10-17\"}");
    assert_int_equal(c->policy_version, 3);
    assert_int_equal(strncmp(c->arn, "arn:aws:dsql:local:", 19), 0);
    fleet_tag_remove(c, "alpha");
    assert_int_equal(c->n_tags, 1);
    assert_int_equal(fleet_cluster_remove(&f, id, &err), 0);
    assert_null(fleet_find(&f, id));
    fleet_close(&f);

    assert_int_equal(fleet_open(&f, t_dir, "local", "node", &err), 0);
    assert_int_equal(f.n, 0);
    fleet_close(&f);
}

static void test_damaged_file_refused(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/fleet/clusters/aaaaaaaaaaaaaaaaaaaaaaaaaa", t_dir);
    Fleet f;
    DbError err;
    assert_int_equal(fleet_open(&f, t_dir, "local", "node", &err), 0);
    fleet_close(&f);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("identifier aaaaaaaaaaaaaaaaaaaaaaaaaa\nstatus SLEEPING\n", fp);
    fclose(fp);
    assert_int_equal(fleet_open(&f, t_dir, "local", "node", &err), -1);
    assert_non_null(strstr(err.message, "is invalid"));
    remove(path);
}

static void test_validators(void **state)
{
    (void)state;
    assert_true(fleet_id_valid("abcdefghijklmnopqrstuvwxyz"));
    assert_false(fleet_id_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    assert_false(fleet_id_valid("abc"));
    assert_true(fleet_tag_text_valid("env:prod/x=y+z-@ _.", 1, 128));
    assert_false(fleet_tag_text_valid("bad*", 1, 128));
    assert_false(fleet_tag_text_valid("", 1, 128));
    assert_true(fleet_tag_text_valid("", 0, 256));
    assert_false(fleet_tag_text_valid("tab\there", 0, 256));
    assert_string_equal(fleet_status_name(FLEET_DELETING), "DELETING");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damaged_file_refused),
        cmocka_unit_test(test_validators),
    };
    return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
