/*
 * Unit tests for memory contexts (common/mem.c): allocation, alignment,
 * byte accounting, reset and destruction of subtrees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"

static void test_alloc_aligned_and_distinct(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    char *a = mem_alloc(cx, 3);
    char *b = mem_alloc(cx, 5);
    assert_true(((uintptr_t)a % 16) == 0);
    assert_true(((uintptr_t)b % 16) == 0);
    assert_ptr_not_equal(a, b);
    memcpy(a, "ab", 3);
    memcpy(b, "cdef", 5);
    assert_string_equal(a, "ab");
    assert_string_equal(b, "cdef");
    mem_context_destroy(cx);
}

static void test_large_allocation_and_accounting(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    assert_int_equal(mem_context_bytes(cx), 0);
    char *big = mem_alloc(cx, 100000);
    memset(big, 'x', 100000);
    assert_true(mem_context_bytes(cx) >= 100000);
    char *small = mem_alloc(cx, 10);
    assert_non_null(small);
    mem_context_reset(cx);
    assert_true(mem_context_bytes(cx) < 100000);
    mem_context_destroy(cx);
}

static void test_children_destroyed_with_parent(void **state)
{
    (void)state;
    MemContext *parent = mem_context_create(NULL, "parent");
    MemContext *child = mem_context_create(parent, "child");
    MemContext *grandchild = mem_context_create(child, "grandchild");
    mem_alloc(grandchild, 5000);
    mem_alloc(child, 100);
    assert_true(mem_context_total_bytes(parent) >= 5100);
    mem_context_destroy(child); /* unlinks from the parent */
    assert_int_equal(mem_context_total_bytes(parent), 0);
    MemContext *again = mem_context_create(parent, "again");
    mem_alloc(again, 10);
    mem_context_reset(parent); /* destroys `again` */
    assert_int_equal(mem_context_total_bytes(parent), 0);
    mem_context_destroy(parent);
}

static void test_strings(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    assert_string_equal(mem_strdup(cx, "hello"), "hello");
    assert_string_equal(mem_strndup(cx, "hello", 3), "hel");
    assert_string_equal(mem_sprintf(cx, "%s-%d", "a", 42), "a-42");
    char *p = mem_alloc(cx, 4);
    memcpy(p, "abc", 4);
    char *q = mem_realloc(cx, p, 4, 64);
    assert_string_equal(q, "abc");
    mem_context_destroy(cx);
}

static void test_db_error(void **state)
{
    (void)state;
    DbError err;
    db_error_clear(&err);
    assert_false(db_error_is_set(&err));
    assert_int_equal(db_error_set(&err, SQLSTATE_UNIQUE_VIOLATION, "duplicate key %s", "x"), -1);
    assert_string_equal(err.sqlstate, "23505");
    assert_string_equal(err.message, "duplicate key x");
    assert_string_equal(db_sqlstate_name(err.sqlstate), "unique_violation");
    assert_string_equal(db_sqlstate_name(SQLSTATE_T_R_SERIALIZATION_FAILURE),
                        "t_r_serialization_failure");
    assert_null(db_sqlstate_name("ZZZZZ"));
    db_error_fatal(&err, SQLSTATE_PROTOCOL_VIOLATION, "bad");
    assert_int_equal(err.severity, DB_SEVERITY_FATAL);
    assert_string_equal(db_severity_name(err.severity), "FATAL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_aligned_and_distinct),
        cmocka_unit_test(test_large_allocation_and_accounting),
        cmocka_unit_test(test_children_destroyed_with_parent),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_db_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
