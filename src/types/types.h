/*
 * The types room's public header: type metadata (pg_type's columns for the
 * supported types), text input/output in PostgreSQL's exact formats and with
 * its exact errors, comparison, casts (pg_cast's rules and contexts) and the
 * arithmetic operators.  Datums themselves are in datum.h.
 *
 * Conventions for every function here: a fallible function returns 0 or -1
 * and fills the caller's DbError (never NULL) with PostgreSQL's SQLSTATE and
 * message.  Variable-width results (text, numeric, bytea, json) are allocated
 * in the MemContext passed in; results never point into the inputs unless
 * said so.  Typmods are PostgreSQL's encodings (varchar(n) → n + 4,
 * numeric(p,s) → ((p << 16) | (s & 0x7ff)) + 4, timestamp(p) → p, -1 = none),
 * so they go to the wire unchanged.  Session settings are fixed for now:
 * DateStyle ISO, MDY; IntervalStyle postgres; TimeZone UTC;
 * extra_float_digits 1; client and server encoding UTF8; collation C.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/mem.h"
#include "common/strbuf.h"
#include "types/datum.h"

/* ---- Type metadata ------------------------------------------------------- */

/* One row of pg_type, for the types Borealis knows. */
typedef struct TypeInfo {
    uint32_t oid;
    const char *name; /* pg_type.typname: "int4", "varchar", "timestamptz" */
    int16_t typlen;   /* -1 = varlena, -2 = C string */
    bool byval;
    char category; /* pg_type.typcategory: 'B','N','S','D','T','U','X','Z' */
    bool preferred;
    uint32_t array_oid; /* 0 if none */
} TypeInfo;

#define TYPE_TYPMOD_NONE (-1)
#define TYPE_VARHDRSZ 4
/* PostgreSQL's limits for the typmods and values here. */
#define TYPE_NUMERIC_MAX_PRECISION 1000
#define TYPE_NUMERIC_MIN_SCALE (-1000)
#define TYPE_NUMERIC_MAX_SCALE 1000
#define TYPE_NUMERIC_MAX_DISPLAY_SCALE 1000 /* division/sqrt result scale cap */
#define TYPE_NUMERIC_DSCALE_MAX 16383       /* digits after the point */
#define TYPE_NUMERIC_WEIGHT_MAX 32767       /* base-10000 digits before the point - 1 */
#define TYPE_CHAR_MAX_LENGTH 10485760       /* varchar(n)/char(n): n <= this */
#define TYPE_NAME_MAX_BYTES 63              /* NAMEDATALEN - 1 */
#define TYPE_TIME_MAX_PRECISION 6

/* NULL if the oid is not one of the supported types. */
const TypeInfo *type_info(uint32_t oid);

/* SQL type names as the grammar gives them (libpg_query TypeName.names, e.g.
 * ["pg_catalog","int4"], ["varchar"], ["timestamptz"], ["int"], ["decimal"])
 * plus the typmod arguments as integers → oid and encoded typmod.  A leading
 * "pg_catalog" qualifier is accepted; other schemas are 3F000 `schema "x"
 * does not exist`.  Unknown names → 42704 `type "x" does not exist`; bad
 * typmods → PostgreSQL's 22023/42601 messages (`length for type varchar must
 * be at least 1`, `NUMERIC precision 0 must be between 1 and 1000`, ...).
 * Note: DSQL's default numeric(18,6) for unqualified numeric columns is the
 * catalog's business; here plain "numeric" is typmod -1 as in PostgreSQL. */
int type_from_name(const char *const *names, size_t n_names, const int32_t *typmods,
                   size_t n_typmods, uint32_t *oid, int32_t *typmod, DbError *err);

/* format_type(oid, typmod): "integer", "character varying(10)",
 * "numeric(10,2)", "timestamp(3) with time zone", "\"char\"".  Unknown oids
 * give "???" as PostgreSQL does.  Allocated in cx. */
const char *type_format_name(uint32_t oid, int32_t typmod, MemContext *cx);

/* Typmod helpers (PostgreSQL encodings). */
int32_t type_typmod_char(int32_t length);                      /* varchar(n), bpchar(n) */
int32_t type_typmod_numeric(int32_t precision, int32_t scale); /* numeric(p,s) */
/* Declared length of varchar(n)/bpchar(n), or -1. */
int32_t type_typmod_char_length(int32_t typmod);

/* ---- Text input and output ----------------------------------------------- */

/* Parses PostgreSQL's text form of a value of type oid, applying the typmod
 * as a column of that type would (varchar(n) length check, numeric(p,s)
 * rounding and overflow check, bpchar padding, timestamp(p) rounding).
 * text need not be NUL-terminated; a NUL byte inside is an error as in
 * PostgreSQL.  Integer types take PostgreSQL 16's input syntax (0x/0o/0b
 * prefixes, '_' between digits), as does numeric.
 * Errors: 22P02 `invalid input syntax for type integer: "abc"`, 22003
 * `value "99999999999" is out of range for type integer`, 22001/22003/22007/
 * 22008/22021 as PostgreSQL. */
int type_input(uint32_t oid, int32_t typmod, const char *text, size_t len, MemContext *cx,
               Datum *out, DbError *err);

/* Appends PostgreSQL's text output of a non-NULL datum (NULL appends
 * nothing): bool t/f; float shortest-exact as PostgreSQL 12+ with
 * extra_float_digits 1 ("0.1", "1e+100", "Infinity", "NaN", "-0"); numeric
 * with its display scale; bytea hex ("\x0102"); dates ISO; intervals in the
 * postgres style ("1 year 2 mons 3 days 04:05:06"). */
void type_output(const Datum *d, StrBuf *out);

/* ---- Comparison ---------------------------------------------------------- */

/* Three-way comparison (*result < 0, 0, > 0) with PostgreSQL's ordering:
 * NaN sorts above every number and equals itself, -0 = 0, text in C
 * collation (bytewise), bpchar ignoring trailing spaces.  Cross-type pairs
 * are allowed within the numeric family (int2/4/8, oid, numeric, float4/8:
 * compared as PostgreSQL's resolved operator would, e.g. int = numeric as
 * numeric, numeric = float8 as float8), within the string family (text,
 * varchar, bpchar, name, "char") and among date/timestamp/timestamptz.
 * Other pairs → 42883 `operator does not exist: integer = text`.  NULLs are
 * the caller's business (not allowed here). */
int type_compare(const Datum *a, const Datum *b, int *result, DbError *err);
/* Whether type_compare accepts the pair. */
bool type_comparable(uint32_t a, uint32_t b);
/* Equality as a key (GROUP BY, DISTINCT, unique checks): same as
 * type_compare == 0 for comparable non-NULL datums, false otherwise; two
 * NULLs are equal. */
bool type_equal_for_key(const Datum *a, const Datum *b);

/* ---- Casts --------------------------------------------------------------- */

typedef enum TypeCoercionContext {
    TYPE_CONTEXT_IMPLICIT = 0,   /* pg_cast 'i': in expressions */
    TYPE_CONTEXT_ASSIGNMENT = 1, /* 'a': INSERT/UPDATE targets */
    TYPE_CONTEXT_EXPLICIT = 2,   /* 'e': CAST(x AS t), x::t */
} TypeCoercionContext;

/* 1 if a value of type from may be converted to type to in the given context
 * (pg_cast plus PostgreSQL's automatic I/O casts: anything to a string type
 * by assignment, a string type to anything explicitly; unknown → anything
 * implicitly; same type always), else 0. */
int type_can_coerce(uint32_t from, uint32_t to, int context);

/* Converts *in to type target with typmod, as PostgreSQL's cast function
 * plus length coercion do.  explicit_cast selects the explicit-cast rules
 * where they differ from assignment: varchar(n)/char(n) truncate silently
 * instead of failing with 22001 `value too long for type character
 * varying(3)`.  A NULL input gives a NULL of the target type.  Errors are
 * PostgreSQL's: 22003 `integer out of range` / `smallint out of range` /
 * `bigint out of range`, 22003 `numeric field overflow` with its DETAIL,
 * 22P02 `invalid input syntax for type integer: "abc"`, 0A000 `cannot
 * convert NaN to integer`, ...  Pairs without a cast → 42846 `cannot cast
 * type boolean to date`.  This function does not check the context: ask
 * type_can_coerce first. */
int type_coerce(const Datum *in, uint32_t target, int32_t typmod, bool explicit_cast,
                MemContext *cx, Datum *out, DbError *err);

/* ---- Operators ----------------------------------------------------------- */

/* The result type of a op b ('+','-','*','/','%') as PostgreSQL's operator
 * resolution gives it, without unknown-literal handling (the analyzer
 * coerces unknowns first):  int2 op int2 → int2, int2 op int4 → int4, any
 * int op int8 → int8, int op numeric → numeric, float4 op float4 → float4,
 * anything numeric op float8 or numeric op float → float8, date + int4 →
 * date, date - date → int4, date + interval → timestamp, timestamp -
 * timestamp → interval, ...  No operator → 42883 `operator does not exist:
 * integer + boolean`. */
int type_arith_result_type(char op, uint32_t left, uint32_t right, uint32_t *result, DbError *err);

/* a op b for non-NULL datums (NULL in → NULL out of the result type).
 * Overflow → 22003 `integer out of range` (smallint/bigint, `numeric
 * field overflow`... as PostgreSQL); x / 0 and x % 0 → 22012 `division by
 * zero`; integer division truncates toward zero; numeric division picks
 * PostgreSQL's result scale (select_div_scale); float overflow → 22003
 * `value out of range: overflow`. */
int type_arith(char op, const Datum *a, const Datum *b, MemContext *cx, Datum *out, DbError *err);

/* Unary minus (int, float, numeric, interval).  -(-2147483648) → 22003. */
int type_negate(const Datum *a, MemContext *cx, Datum *out, DbError *err);

/* ---- Numeric helpers (numeric.c) ----------------------------------------- */

/* Canonical numeric text of an integer / a double (as float8 → numeric). */
Datum type_numeric_from_int(int64_t v, MemContext *cx);
int type_numeric_from_float(double v, MemContext *cx, Datum *out, DbError *err);

/* ---- Calendar (calendar.c) ------------------------------------------------ */
/* Days since 2000-01-01 ↔ year/month/day. */
void type_date_to_ymd(int64_t days, int64_t *year, int *month, int *day);
int64_t type_date_from_ymd(int64_t year, int month, int day);
