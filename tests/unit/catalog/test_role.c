/*
 * Roles, memberships, IAM mappings and privileges in the keyspace
 * (catalog/role.h) on a real journal and RocksDB: who may use a table or
 * schema, with PostgreSQL's `permission denied` texts, DSQL's admin rules
 * (admin gets nothing on tables other roles own), and OC001 for a
 * transaction whose privilege check a concurrent GRANT changed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/role.h"

typedef struct Fixture {
    char dir[256], db_dir[300], raft_dir[300];
    Storage *s;
    Journal *j;
    MemContext *cx;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/borealis-test-role-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db_dir, sizeof f->db_dir, "%s/db", f->dir);
    snprintf(f->raft_dir, sizeof f->raft_dir, "%s/raft", f->dir);
    DbError err;
    assert_int_equal(storage_open(f->db_dir, &f->s, &err), 0);
    JournalConfig cfg = {.dir = f->raft_dir, .node_id = 1};
    assert_int_equal(journal_open(&cfg, f->s, &f->j, &err), 0);
    f->cx = mem_context_create(NULL, "test");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    journal_close(f->j);
    storage_close(f->s);
    mem_context_destroy(f->cx);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static Txn *begin(Fixture *f)
{
    DbError err;
    Txn *t = txn_begin(f->j, f->s, false, &err);
    assert_non_null(t);
    return t;
}

static uint32_t make_role(Txn *t, const char *name, uint32_t attrs)
{
    DbError err;
    RoleDesc r = {.name = name, .attrs = attrs, .conn_limit = -1};
    assert_int_equal(catalog_role_create(t, &r, &err), 0);
    return r.oid;
}

static TableDesc *make_table(Txn *t, MemContext *cx, const char *name)
{
    TableDesc *d = mem_alloc0(cx, sizeof *d);
    d->schema = "public";
    d->name = name;
    d->n_columns = 1;
    d->columns = mem_alloc0(cx, sizeof(ColumnDesc));
    d->columns[0] = (ColumnDesc){.name = "a", .id = 1, .type = TYPE_INT4, .typmod = -1};
    d->next_column_id = 2;
    DbError err;
    assert_int_equal(catalog_table_create(t, d, &err), 0);
    return d;
}

/* 0, or the error text of a refused check. */
static const char *check(Txn *t, const char *role, const TableDesc *d, char priv)
{
    static DbError err;
    if (catalog_check_table_privilege(t, role, d, priv, &err) == 0) return "ok";
    assert_string_equal(err.sqlstate, "42501");
    return err.message;
}

static void test_table_privileges(void **state)
{
    Fixture *f = *state;
    DbError err;
    Txn *t = begin(f);
    uint32_t owner = make_role(t, "owner", ROLE_ATTR_LOGIN);
    uint32_t reader = make_role(t, "reader", ROLE_ATTR_LOGIN);
    uint32_t group = make_role(t, "grp", 0);
    make_role(t, "inherits", ROLE_ATTR_LOGIN);
    TableDesc *mine = make_table(t, f->cx, "mine");
    TableDesc *admins = make_table(t, f->cx, "admins");
    assert_int_equal(catalog_table_owner_record(t, mine->id, "owner", &err), 0);
    assert_int_equal(catalog_check_table_owner(t, "owner", mine, &err), 0);
    assert_int_equal(catalog_check_table_owner(t, "admin", mine, &err), -1);
    assert_string_equal(err.message, "must be owner of table mine");
    assert_int_equal(catalog_check_table_owner(t, "admin", admins, &err), 0);

    /* The owner has everything; admin nothing on a table it did not create. */
    assert_string_equal(check(t, "owner", mine, 'd'), "ok");
    assert_string_equal(check(t, "admin", mine, 'r'), "permission denied for table mine");
    assert_string_equal(check(t, "reader", mine, 'r'), "permission denied for table mine");
    /* A table without an owner row is admin's. */
    assert_string_equal(check(t, "admin", admins, 'w'), "ok");
    assert_string_equal(check(t, "owner", admins, 'r'), "permission denied for table admins");

    assert_int_equal(
        catalog_table_privilege_change(t, mine->id, reader, PRIV_SELECT, true, false, &err), 0);
    assert_string_equal(check(t, "reader", mine, 'r'), "ok");
    assert_string_equal(check(t, "reader", mine, 'a'), "permission denied for table mine");
    /* PUBLIC, and privileges inherited through membership. */
    assert_int_equal(catalog_table_privilege_change(t, mine->id, CATALOG_PUBLIC_ROLE_OID,
                                                    PRIV_INSERT, true, false, &err),
                     0);
    assert_string_equal(check(t, "reader", mine, 'a'), "ok");
    assert_int_equal(
        catalog_table_privilege_change(t, mine->id, group, PRIV_UPDATE, true, false, &err), 0);
    assert_string_equal(check(t, "inherits", mine, 'w'), "permission denied for table mine");
    RoleDesc inh;
    bool found, added;
    assert_int_equal(catalog_role_lookup(t, "inherits", f->cx, &inh, &found, &err), 0);
    assert_true(found);
    RoleMember m = {.role_oid = group, .member_oid = inh.oid, .grantor_oid = 10};
    assert_int_equal(catalog_role_member_add(t, &m, &added, &err), 0);
    assert_true(added);
    assert_string_equal(check(t, "inherits", mine, 'w'), "ok");
    /* Membership in the owner role carries the owner's rights. */
    m.role_oid = owner;
    assert_int_equal(catalog_role_member_add(t, &m, &added, &err), 0);
    assert_string_equal(check(t, "inherits", mine, 'd'), "ok");

    assert_int_equal(
        catalog_table_privilege_change(t, mine->id, reader, PRIV_SELECT, false, false, &err), 0);
    assert_string_equal(check(t, "reader", mine, 'r'), "permission denied for table mine");
    assert_int_equal(catalog_check_table_privilege(t, "ghost", mine, 'r', &err), -1);
    assert_string_equal(err.message, "role \"ghost\" does not exist");

    /* What blocks DROP ROLE. */
    const char *what;
    assert_int_equal(catalog_role_has_privileges(t, group, f->cx, &what, &err), 0);
    assert_string_equal(what, "privileges for table mine");
    assert_int_equal(catalog_role_has_privileges(t, owner, f->cx, &what, &err), 0);
    assert_string_equal(what, "owner of table mine");
    RoleDesc g;
    assert_int_equal(catalog_role_lookup(t, "grp", f->cx, &g, &found, &err), 0);
    assert_int_equal(catalog_role_drop(t, &g, &err), -1);
    assert_string_equal(err.sqlstate, "2BP01");
    txn_abort(t);
}

static void test_sequence_privileges(void **state)
{
    Fixture *f = *state;
    DbError err;
    Txn *t = begin(f);
    uint32_t app = make_role(t, "app", ROLE_ATTR_LOGIN);
    make_role(t, "maker", ROLE_ATTR_LOGIN);
    uint32_t seq = 50000; /* any id from the relation id space */
    assert_int_equal(catalog_check_sequence_privilege(t, "app", seq, "s", 'n', &err), -1);
    assert_string_equal(err.message, "permission denied for sequence s");
    assert_string_equal(err.sqlstate, "42501");
    /* USAGE allows nextval and currval, SELECT only currval. */
    assert_int_equal(catalog_table_privilege_change(t, seq, app, PRIV_SELECT, true, false, &err),
                     0);
    assert_int_equal(catalog_check_sequence_privilege(t, "app", seq, "s", 'c', &err), 0);
    assert_int_equal(catalog_check_sequence_privilege(t, "app", seq, "s", 'n', &err), -1);
    assert_int_equal(catalog_table_privilege_change(t, seq, app, PRIV_USAGE, true, false, &err), 0);
    assert_int_equal(catalog_check_sequence_privilege(t, "app", seq, "s", 'n', &err), 0);
    assert_int_equal(catalog_check_sequence_privilege(t, "app", seq, "s", 's', &err), -1);
    /* The owner may do everything; admin, not owning it, nothing. */
    assert_int_equal(catalog_table_owner_record(t, seq, "maker", &err), 0);
    assert_int_equal(catalog_check_sequence_privilege(t, "maker", seq, "s", 's', &err), 0);
    assert_int_equal(catalog_check_sequence_privilege(t, "admin", seq, "s", 'n', &err), -1);
    txn_abort(t);
}

static void test_default_privileges(void **state)
{
    Fixture *f = *state;
    DbError err;
    Txn *t = begin(f);
    uint32_t maker = make_role(t, "maker", ROLE_ATTR_LOGIN);
    uint32_t reader = make_role(t, "reader", ROLE_ATTR_LOGIN);
    make_role(t, "other", ROLE_ATTR_LOGIN);
    /* maker's future tables in app_schema: SELECT for reader; everywhere:
     * INSERT for PUBLIC.  admin's defaults do not apply to maker's tables. */
    assert_int_equal(catalog_default_privilege_change(t, maker, "app_schema", 'r', reader,
                                                      PRIV_SELECT, true, false, &err),
                     0);
    assert_int_equal(catalog_default_privilege_change(t, maker, "", 'r', CATALOG_PUBLIC_ROLE_OID,
                                                      PRIV_INSERT, true, false, &err),
                     0);
    assert_int_equal(catalog_default_privilege_change(t, CATALOG_ADMIN_ROLE_OID, "", 'r', reader,
                                                      PRIV_DELETE, true, false, &err),
                     0);
    TableDesc *in = make_table(t, f->cx, "in_schema");
    in->schema = "app_schema";
    assert_int_equal(catalog_object_created(t, in->id, "app_schema", 'r', "maker", &err), 0);
    TableDesc *out = make_table(t, f->cx, "elsewhere");
    assert_int_equal(catalog_object_created(t, out->id, "public", 'r', "maker", &err), 0);
    assert_string_equal(check(t, "reader", in, 'r'), "ok");
    assert_string_equal(check(t, "other", in, 'a'), "ok");
    assert_string_equal(check(t, "reader", in, 'd'), "permission denied for table in_schema");
    assert_string_equal(check(t, "reader", out, 'r'), "permission denied for table elsewhere");
    assert_string_equal(check(t, "other", out, 'a'), "ok");
    assert_string_equal(check(t, "maker", out, 'd'), "ok");
    const char *what;
    assert_int_equal(catalog_role_has_privileges(t, reader, f->cx, &what, &err), 0);
    assert_non_null(strstr(what, "privileges for default privileges on new relations belonging to "
                                 "role maker in schema app_schema"));
    /* Revoking a default leaves existing tables alone. */
    assert_int_equal(catalog_default_privilege_change(t, maker, "app_schema", 'r', reader,
                                                      PRIV_SELECT, false, false, &err),
                     0);
    assert_string_equal(check(t, "reader", in, 'r'), "ok");
    txn_abort(t);
}

static void test_schema_privileges(void **state)
{
    Fixture *f = *state;
    DbError err;
    Txn *t = begin(f);
    uint32_t app = make_role(t, "app", ROLE_ATTR_LOGIN);
    assert_int_equal(catalog_check_schema_privilege(t, "app", "public", 'U', &err), 0);
    assert_int_equal(catalog_check_schema_privilege(t, "app", "public", 'C', &err), -1);
    assert_string_equal(err.message, "permission denied for schema public");
    /* DSQL: no one but admin creates in public, whatever the rows say. */
    assert_int_equal(
        catalog_schema_privilege_change(t, "public", app, PRIV_CREATE, true, false, &err), 0);
    assert_int_equal(catalog_check_schema_privilege(t, "app", "public", 'C', &err), -1);
    assert_int_equal(catalog_check_schema_privilege(t, "admin", "public", 'C', &err), 0);
    assert_int_equal(catalog_check_schema_privilege(t, "app", "users_schema", 'U', &err), -1);
    assert_string_equal(err.message, "permission denied for schema users_schema");
    assert_int_equal(catalog_check_schema_privilege(t, "admin", "users_schema", 'C', &err), 0);
    assert_int_equal(catalog_schema_privilege_change(t, "users_schema", app,
                                                     PRIV_USAGE | PRIV_CREATE, true, false, &err),
                     0);
    assert_int_equal(catalog_check_schema_privilege(t, "app", "users_schema", 'C', &err), 0);
    txn_abort(t);
}

static void test_roles_and_mappings(void **state)
{
    Fixture *f = *state;
    DbError err;
    Txn *t = begin(f);
    uint32_t app = make_role(t, "app", ROLE_ATTR_LOGIN);
    RoleDesc dup = {.name = "app", .conn_limit = -1};
    assert_int_equal(catalog_role_create(t, &dup, &err), -1);
    assert_string_equal(err.message, "role \"app\" already exists");
    assert_int_equal(catalog_role_create(t, &(RoleDesc){.name = "admin"}, &err), -1);

    const char *arn = "arn:aws:iam::123456789012:role/app";
    bool added, found;
    assert_int_equal(catalog_iam_mapping_add(t, arn, app, 10, &added, &err), 0);
    assert_true(added);
    assert_int_equal(catalog_iam_mapping_add(t, arn, app, 10, &added, &err), 0);
    assert_false(added);
    IamMapping *ms;
    size_t n;
    assert_int_equal(catalog_iam_mapping_list(t, f->cx, &ms, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ms[0].arn, arn);
    assert_string_equal(ms[0].role_name, "app");
    assert_string_equal(ms[0].grantor_name, "admin");
    RoleDesc r;
    assert_int_equal(catalog_role_lookup(t, "app", f->cx, &r, &found, &err), 0);
    assert_int_equal(catalog_role_drop(t, &r, &err), -1);
    assert_string_equal(err.message,
                        "role app cannot be dropped because some objects depend on it");

    /* Renaming keeps the oid, so the mapping follows the role. */
    assert_int_equal(catalog_role_rename(t, &r, "app2", &err), 0);
    assert_int_equal(catalog_role_lookup(t, "app", f->cx, &r, &found, &err), 0);
    assert_false(found);
    assert_int_equal(catalog_iam_mapping_exists(t, arn, app, &found, &err), 0);
    assert_true(found);
    RoleDesc *roles;
    assert_int_equal(catalog_role_list(t, f->cx, &roles, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(roles[0].name, "admin");
    assert_string_equal(roles[1].name, "app2");

    assert_true(catalog_iam_arn_valid("arn:aws:iam::123456789012:user/bob"));
    assert_false(catalog_iam_arn_valid("app"));
    assert_false(catalog_iam_arn_valid("arn:aws:iam::12345:role/app"));
    assert_false(catalog_iam_arn_valid("arn:aws:s3:::bucket"));
    txn_abort(t);
}

/* A GRANT committed after a transaction checked that privilege fails the
 * checking transaction's commit with OC001. */
static void test_grant_conflicts_with_check(void **state)
{
    Fixture *f = *state;
    DbError err;
    Txn *t = begin(f);
    uint32_t app = make_role(t, "app", ROLE_ATTR_LOGIN);
    TableDesc *d = make_table(t, f->cx, "t");
    assert_int_equal(txn_commit(t, &err), 0);

    Txn *a = begin(f);
    assert_int_equal(catalog_check_table_privilege(a, "app", d, 'r', &err), -1);
    assert_int_equal(txn_put(a, "\x00\x00\x40\x10k", 5, "v", 1, JOURNAL_KIND_KEY_WRITE, true, &err),
                     0);
    Txn *b = begin(f);
    assert_int_equal(catalog_table_privilege_change(b, d->id, app, PRIV_SELECT, true, false, &err),
                     0);
    assert_int_equal(txn_commit(b, &err), 0);
    assert_int_equal(txn_commit(a, &err), -1);
    assert_string_equal(err.sqlstate, "40001");
    assert_non_null(strstr(err.message, "OC001"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_table_privileges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sequence_privileges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_privileges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_privileges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_and_mappings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_conflicts_with_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
