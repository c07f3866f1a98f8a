/*
 * Type metadata: pg_type rows, SQL names to oid/typmod with PostgreSQL's
 * typmod errors, and format_type().  Expected values are PostgreSQL 15's
 * (pg_type, format_type() and the errors of `select 'a'::varchar(0)` etc.).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "types/types.h"

static void test_type_info(void **state)
{
    (void)state;
    const TypeInfo *ti = type_info(TYPE_INT4);
    assert_non_null(ti);
    assert_string_equal(ti->name, "int4");
    assert_int_equal(ti->typlen, 4);
    assert_true(ti->byval);
    assert_int_equal(ti->category, 'N');
    assert_int_equal(ti->array_oid, 1007);
    ti = type_info(TYPE_TIMESTAMPTZ);
    assert_true(ti->preferred);
    assert_int_equal(ti->category, 'D');
    ti = type_info(TYPE_NUMERIC);
    assert_int_equal(ti->typlen, -1);
    assert_false(ti->byval);
    assert_int_equal(type_info(TYPE_UNKNOWN)->typlen, -2);
    assert_null(type_info(12345));
}

static int from_name(const char *a, const char *b, const int32_t *mods, size_t n, uint32_t *oid,
                     int32_t *typmod, DbError *err)
{
    const char *names[2] = {a, b};
    return b ? type_from_name(names, 2, mods, n, oid, typmod, err)
             : type_from_name(names, 1, mods, n, oid, typmod, err);
}

static void test_from_name(void **state)
{
    (void)state;
    uint32_t oid;
    int32_t tm;
    DbError err;
    int32_t ten = 10, mods[2] = {10, 2};
    assert_int_equal(from_name("pg_catalog", "int4", NULL, 0, &oid, &tm, &err), 0);
    assert_int_equal(oid, TYPE_INT4);
    assert_int_equal(tm, -1);
    assert_int_equal(from_name("pg_catalog", "varchar", &ten, 1, &oid, &tm, &err), 0);
    assert_int_equal(oid, TYPE_VARCHAR);
    assert_int_equal(tm, 14);
    assert_int_equal(from_name("numeric", NULL, mods, 2, &oid, &tm, &err), 0);
    assert_int_equal(tm, ((10 << 16) | 2) + 4);
    assert_int_equal(from_name("numeric", NULL, mods, 1, &oid, &tm, &err), 0);
    assert_int_equal(tm, (10 << 16) + 4);
    int32_t negscale[2] = {5, -2};
    assert_int_equal(from_name("numeric", NULL, negscale, 2, &oid, &tm, &err), 0);
    assert_int_equal(tm, ((5 << 16) | (-2 & 0x7ff)) + 4);
    assert_int_equal(from_name("timestamptz", NULL, NULL, 0, &oid, &tm, &err), 0);
    assert_int_equal(oid, TYPE_TIMESTAMPTZ);
    int32_t seven = 7;
    assert_int_equal(from_name("pg_catalog", "timestamp", &seven, 1, &oid, &tm, &err), 0);
    assert_int_equal(tm, 6);
    int32_t year = 4, dts[2] = {7176, 3}, full[2] = {0x7FFF, 2};
    assert_int_equal(from_name("pg_catalog", "interval", &year, 1, &oid, &tm, &err), 0);
    assert_int_equal(tm, 327679);
    assert_int_equal(from_name("pg_catalog", "interval", dts, 2, &oid, &tm, &err), 0);
    assert_int_equal(tm, 470286339);
    assert_int_equal(from_name("pg_catalog", "interval", full, 2, &oid, &tm, &err), 0);
    assert_int_equal(tm, 2147418114);

    static const struct {
        const char *schema, *name;
        int32_t mods[3];
        size_t n;
        const char *sqlstate, *message;
    } bad[] = {
        {NULL, "foo", {0}, 0, "42704", "type \"foo\" does not exist"},
        {"pg_catalog", "foo", {0}, 0, "42704", "type \"pg_catalog.foo\" does not exist"},
        {"bar", "int4", {0}, 0, "3F000", "schema \"bar\" does not exist"},
        {NULL, "integer", {0}, 0, "42704", "type \"integer\" does not exist"},
        {"pg_catalog", "varchar", {0}, 1, "22023", "length for type varchar must be at least 1"},
        {"pg_catalog", "bpchar", {0}, 1, "22023", "length for type char must be at least 1"},
        {"pg_catalog",
         "varchar",
         {10485761},
         1,
         "22023",
         "length for type varchar cannot exceed 10485760"},
        {"pg_catalog", "int4", {3}, 1, "42601", "type modifier is not allowed for type \"int4\""},
        {"pg_catalog",
         "numeric",
         {0},
         1,
         "22023",
         "NUMERIC precision 0 must be between 1 and 1000"},
        {"pg_catalog",
         "numeric",
         {1001},
         1,
         "22023",
         "NUMERIC precision 1001 must be between 1 and 1000"},
        {"pg_catalog",
         "numeric",
         {5, 6000},
         2,
         "22023",
         "NUMERIC scale 6000 must be between -1000 and 1000"},
        {"pg_catalog",
         "numeric",
         {5, -1001},
         2,
         "22023",
         "NUMERIC scale -1001 must be between -1000 and 1000"},
        {"pg_catalog", "numeric", {1, 2, 3}, 3, "22023", "invalid NUMERIC type modifier"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(from_name(bad[i].schema ? bad[i].schema : bad[i].name,
                                   bad[i].schema ? bad[i].name : NULL, bad[i].mods, bad[i].n, &oid,
                                   &tm, &err),
                         -1);
        assert_string_equal(err.sqlstate, bad[i].sqlstate);
        assert_string_equal(err.message, bad[i].message);
    }
}

static void test_format_name(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    static const struct {
        uint32_t oid;
        int32_t typmod;
        const char *want;
    } cases[] = {
        {TYPE_VARCHAR, 14, "character varying(10)"},
        {TYPE_VARCHAR, -1, "character varying"},
        {TYPE_BPCHAR, 5, "character(1)"},
        {TYPE_BPCHAR, -1, "bpchar"},
        {TYPE_NUMERIC, ((10 << 16) | 2) + 4, "numeric(10,2)"},
        {TYPE_NUMERIC, ((5 << 16) | (-2 & 2047)) + 4, "numeric(5,-2)"},
        {TYPE_NUMERIC, -1, "numeric"},
        {TYPE_TIMESTAMPTZ, 3, "timestamp(3) with time zone"},
        {TYPE_TIMESTAMPTZ, -1, "timestamp with time zone"},
        {TYPE_TIMESTAMP, 0, "timestamp(0) without time zone"},
        {TYPE_TIME, -1, "time without time zone"},
        {TYPE_TIMETZ, 2, "time(2) with time zone"},
        {TYPE_INTERVAL, -1, "interval"},
        {TYPE_INTERVAL, 327679, "interval year"},
        {TYPE_INTERVAL, 470286339, "interval day to second(3)"},
        {TYPE_INTERVAL, 2147418114, "interval(2)"},
        {TYPE_INTERVAL, 402718719, "interval minute to second"},
        {TYPE_INTERVAL, 201392127, "interval hour to minute"},
        {TYPE_CHAR, -1, "\"char\""},
        {TYPE_NAME, -1, "name"},
        {TYPE_BOOL, -1, "boolean"},
        {TYPE_BYTEA, -1, "bytea"},
        {TYPE_JSON, -1, "json"},
        {TYPE_JSONB, -1, "jsonb"},
        {TYPE_UUID, -1, "uuid"},
        {TYPE_UNKNOWN, -1, "unknown"},
        {12345, -1, "???"},
        {TYPE_OID, -1, "oid"},
        {TYPE_DATE, -1, "date"},
        {TYPE_INT2, -1, "smallint"},
        {TYPE_INT4, -1, "integer"},
        {TYPE_INT8, -1, "bigint"},
        {TYPE_FLOAT4, -1, "real"},
        {TYPE_FLOAT8, -1, "double precision"},
        {TYPE_TEXT, -1, "text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(type_format_name(cases[i].oid, cases[i].typmod, cx), cases[i].want);
    mem_context_destroy(cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_info),
        cmocka_unit_test(test_from_name),
        cmocka_unit_test(test_format_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
