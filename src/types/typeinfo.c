/*
 * Type metadata: the pg_type rows of the supported types, SQL type names to
 * oid + typmod (PostgreSQL's typmodin functions with their messages) and
 * format_type() (PostgreSQL's display names, typmods included).
 *
 * The table mirrors pg_type in PostgreSQL 16 for these oids.  Names are
 * looked up by typname only: the grammar has already turned keywords such
 * as `integer`, `double precision` and `character varying` into
 * pg_catalog.int4 / float8 / varchar, so `"integer"` stays unknown as in
 * PostgreSQL.
 */
#include "types/types.h"

#include <stdio.h>
#include <string.h>

static const TypeInfo type_table[] = {
    {TYPE_BOOL, "bool", 1, true, 'B', true, 1000},
    {TYPE_BYTEA, "bytea", -1, false, 'U', false, 1001},
    {TYPE_CHAR, "char", 1, true, 'Z', false, 1002},
    {TYPE_NAME, "name", 64, false, 'S', false, 1003},
    {TYPE_INT8, "int8", 8, true, 'N', false, 1016},
    {TYPE_INT2, "int2", 2, true, 'N', false, 1005},
    {TYPE_INT4, "int4", 4, true, 'N', false, 1007},
    {TYPE_TEXT, "text", -1, false, 'S', true, 1009},
    {TYPE_OID, "oid", 4, true, 'N', true, 1028},
    {TYPE_JSON, "json", -1, false, 'U', false, 199},
    {TYPE_FLOAT4, "float4", 4, true, 'N', false, 1021},
    {TYPE_FLOAT8, "float8", 8, true, 'N', true, 1022},
    {TYPE_UNKNOWN, "unknown", -2, false, 'X', false, 0},
    {TYPE_BPCHAR, "bpchar", -1, false, 'S', false, 1014},
    {TYPE_VARCHAR, "varchar", -1, false, 'S', false, 1015},
    {TYPE_DATE, "date", 4, true, 'D', false, 1182},
    {TYPE_TIME, "time", 8, true, 'D', false, 1183},
    {TYPE_TIMESTAMP, "timestamp", 8, true, 'D', false, 1115},
    {TYPE_TIMESTAMPTZ, "timestamptz", 8, true, 'D', true, 1185},
    {TYPE_INTERVAL, "interval", 16, false, 'T', true, 1187},
    {TYPE_TIMETZ, "timetz", 12, false, 'D', false, 1270},
    {TYPE_NUMERIC, "numeric", -1, false, 'N', false, 1231},
    {TYPE_UUID, "uuid", 16, false, 'U', false, 2951},
    {TYPE_JSONB, "jsonb", -1, false, 'U', false, 3807},
};

const TypeInfo *type_info(uint32_t oid)
{
    for (size_t i = 0; i < sizeof type_table / sizeof type_table[0]; i++)
        if (type_table[i].oid == oid) return &type_table[i];
    return NULL;
}

int32_t type_typmod_char(int32_t length)
{
    return length + TYPE_VARHDRSZ;
}

int32_t type_typmod_numeric(int32_t precision, int32_t scale)
{
    return (int32_t)(((uint32_t)precision << 16) | ((uint32_t)scale & 0x7ff)) + TYPE_VARHDRSZ;
}

int32_t type_typmod_char_length(int32_t typmod)
{
    return typmod >= TYPE_VARHDRSZ ? typmod - TYPE_VARHDRSZ : -1;
}

/* Interval typmods: range mask in the high half, precision in the low. */
#define INTERVAL_FULL_RANGE 0x7FFF
#define INTERVAL_FULL_PRECISION 0xFFFF

static int typmod_char(const char *what, const int32_t *typmods, size_t n, int32_t *typmod,
                       DbError *err)
{
    if (n != 1) return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid type modifier");
    if (typmods[0] < 1)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "length for type %s must be at least 1", what);
    if (typmods[0] > TYPE_CHAR_MAX_LENGTH)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "length for type %s cannot exceed %d", what, TYPE_CHAR_MAX_LENGTH);
    *typmod = type_typmod_char(typmods[0]);
    return 0;
}

static int typmod_numeric(const int32_t *typmods, size_t n, int32_t *typmod, DbError *err)
{
    if (n != 1 && n != 2)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid NUMERIC type modifier");
    int32_t p = typmods[0], s = n == 2 ? typmods[1] : 0;
    if (p < 1 || p > TYPE_NUMERIC_MAX_PRECISION)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "NUMERIC precision %d must be between 1 and %d", p,
                            TYPE_NUMERIC_MAX_PRECISION);
    if (s < TYPE_NUMERIC_MIN_SCALE || s > TYPE_NUMERIC_MAX_SCALE)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "NUMERIC scale %d must be between %d and %d", s, TYPE_NUMERIC_MIN_SCALE,
                            TYPE_NUMERIC_MAX_SCALE);
    *typmod = type_typmod_numeric(p, s);
    return 0;
}

/* TIME(p), TIMESTAMP(p) and their WITH TIME ZONE forms.  PostgreSQL warns
 * and clamps above 6; warnings have no channel here, so it only clamps. */
static int typmod_time(const char *what, bool tz, const int32_t *typmods, size_t n, int32_t *typmod,
                       DbError *err)
{
    if (n != 1) return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid type modifier");
    if (typmods[0] < 0)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "%s(%d)%s precision must not be negative", what, typmods[0],
                            tz ? " WITH TIME ZONE" : "");
    *typmod = typmods[0] > TYPE_TIME_MAX_PRECISION ? TYPE_TIME_MAX_PRECISION : typmods[0];
    return 0;
}

static int typmod_interval(const int32_t *typmods, size_t n, int32_t *typmod, DbError *err)
{
    int32_t range = INTERVAL_FULL_RANGE, precision = INTERVAL_FULL_PRECISION;
    if (n == 1) {
        range = typmods[0];
    } else if (n == 2) {
        range = typmods[0];
        precision = typmods[1];
        if (precision < 0)
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "INTERVAL(%d) precision must not be negative", precision);
        if (precision > TYPE_TIME_MAX_PRECISION) precision = TYPE_TIME_MAX_PRECISION;
    } else {
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "invalid INTERVAL type modifier");
    }
    if (range < 0 || range > INTERVAL_FULL_RANGE)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "invalid INTERVAL type modifier");
    *typmod = (int32_t)(((uint32_t)range << 16) | ((uint32_t)precision & 0xFFFF));
    if (range == INTERVAL_FULL_RANGE && precision == INTERVAL_FULL_PRECISION) *typmod = -1;
    return 0;
}

int type_from_name(const char *const *names, size_t n_names, const int32_t *typmods,
                   size_t n_typmods, uint32_t *oid, int32_t *typmod, DbError *err)
{
    if (n_names == 0)
        return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                            "improper qualified name (too many "
                            "dotted names): ");
    if (n_names > 3) {
        char buf[512] = "";
        for (size_t i = 0; i < n_names; i++) {
            if (i) strncat(buf, ".", sizeof buf - strlen(buf) - 1);
            strncat(buf, names[i], sizeof buf - strlen(buf) - 1);
        }
        return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                            "improper qualified name (too many dotted names): %s", buf);
    }
    if (n_names == 3)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "cross-database references are not implemented: %s.%s.%s", names[0],
                            names[1], names[2]);
    const char *name = names[n_names - 1];
    if (n_names == 2 && strcmp(names[0], "pg_catalog") != 0) {
        /* Only pg_catalog holds types here; a public or user schema might
         * exist, but it holds no types (DSQL has no CREATE TYPE). */
        if (strcmp(names[0], "public") == 0)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "type \"%s.%s\" does not exist",
                                names[0], name);
        return db_error_set(err, SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist",
                            names[0]);
    }
    const TypeInfo *ti = NULL;
    for (size_t i = 0; i < sizeof type_table / sizeof type_table[0]; i++)
        if (strcmp(type_table[i].name, name) == 0) ti = &type_table[i];
    if (!ti) {
        if (n_names == 2)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "type \"%s.%s\" does not exist",
                                names[0], name);
        return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT, "type \"%s\" does not exist", name);
    }
    *oid = ti->oid;
    *typmod = TYPE_TYPMOD_NONE;
    if (n_typmods == 0) return 0;
    switch (ti->oid) {
    case TYPE_VARCHAR:
        return typmod_char("varchar", typmods, n_typmods, typmod, err);
    case TYPE_BPCHAR:
        return typmod_char("char", typmods, n_typmods, typmod, err);
    case TYPE_NUMERIC:
        return typmod_numeric(typmods, n_typmods, typmod, err);
    case TYPE_TIME:
        return typmod_time("TIME", false, typmods, n_typmods, typmod, err);
    case TYPE_TIMETZ:
        return typmod_time("TIME", true, typmods, n_typmods, typmod, err);
    case TYPE_TIMESTAMP:
        return typmod_time("TIMESTAMP", false, typmods, n_typmods, typmod, err);
    case TYPE_TIMESTAMPTZ:
        return typmod_time("TIMESTAMP", true, typmods, n_typmods, typmod, err);
    case TYPE_INTERVAL:
        return typmod_interval(typmods, n_typmods, typmod, err);
    default:
        return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                            "type modifier is not allowed for type \"%s\"", ti->name);
    }
}

/* The interval field restriction words, by range mask (PostgreSQL's
 * intervaltypmodout). */
static const char *interval_fields(int32_t range)
{
    enum {
        MONTH = 1 << 1,
        YEAR = 1 << 2,
        DAY = 1 << 3,
        HOUR = 1 << 10,
        MINUTE = 1 << 11,
        SECOND = 1 << 12
    };
    switch (range) {
    case YEAR:
        return " year";
    case MONTH:
        return " month";
    case DAY:
        return " day";
    case HOUR:
        return " hour";
    case MINUTE:
        return " minute";
    case SECOND:
        return " second";
    case YEAR | MONTH:
        return " year to month";
    case DAY | HOUR:
        return " day to hour";
    case DAY | HOUR | MINUTE:
        return " day to minute";
    case DAY | HOUR | MINUTE | SECOND:
        return " day to second";
    case HOUR | MINUTE:
        return " hour to minute";
    case HOUR | MINUTE | SECOND:
        return " hour to second";
    case MINUTE | SECOND:
        return " minute to second";
    default:
        return "";
    }
}

const char *type_format_name(uint32_t oid, int32_t typmod, MemContext *cx)
{
    switch (oid) {
    case TYPE_BOOL:
        return "boolean";
    case TYPE_CHAR:
        return "\"char\"";
    case TYPE_INT2:
        return "smallint";
    case TYPE_INT4:
        return "integer";
    case TYPE_INT8:
        return "bigint";
    case TYPE_FLOAT4:
        return "real";
    case TYPE_FLOAT8:
        return "double precision";
    case TYPE_VARCHAR:
        if (typmod >= TYPE_VARHDRSZ)
            return mem_sprintf(cx, "character varying(%d)", typmod - TYPE_VARHDRSZ);
        return "character varying";
    case TYPE_BPCHAR:
        if (typmod >= TYPE_VARHDRSZ)
            return mem_sprintf(cx, "character(%d)", typmod - TYPE_VARHDRSZ);
        return "bpchar";
    case TYPE_NUMERIC:
        if (typmod >= TYPE_VARHDRSZ) {
            int32_t t = typmod - TYPE_VARHDRSZ;
            int32_t scale = ((t & 0x7ff) ^ 1024) - 1024;
            return mem_sprintf(cx, "numeric(%d,%d)", (t >> 16) & 0xffff, scale);
        }
        return "numeric";
    case TYPE_TIME:
    case TYPE_TIMETZ:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        const char *base = (oid == TYPE_TIME || oid == TYPE_TIMETZ) ? "time" : "timestamp";
        const char *zone = (oid == TYPE_TIMETZ || oid == TYPE_TIMESTAMPTZ) ? "with" : "without";
        if (typmod >= 0) return mem_sprintf(cx, "%s(%d) %s time zone", base, typmod, zone);
        return mem_sprintf(cx, "%s %s time zone", base, zone);
    }
    case TYPE_INTERVAL:
        if (typmod >= 0) {
            int32_t range = (typmod >> 16) & 0x7FFF, precision = typmod & 0xFFFF;
            if (precision != INTERVAL_FULL_PRECISION)
                return mem_sprintf(cx, "interval%s(%d)", interval_fields(range), precision);
            return mem_sprintf(cx, "interval%s", interval_fields(range));
        }
        return "interval";
    default: {
        const TypeInfo *ti = type_info(oid);
        return ti ? ti->name : "???";
    }
    }
}
