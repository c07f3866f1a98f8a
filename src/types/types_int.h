/*
 * The types room's private header: the per-family helpers that io.c,
 * compare.c, cast.c and arith.c dispatch to.  Nothing outside src/types
 * includes this.  Function prefixes are tbool_, tint_, tflt_, tnum_,
 * ttext_, tdt_ (date/time), tuuid_, tbytea_, tjson_ so that none can clash
 * with the PostgreSQL internals libpg_query exports.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types/types.h"

/* Error helpers shared by the families (io.c). */
int type_error_syntax(DbError *err, const char *type_name, const char *input);
int type_error_range(DbError *err, const char *input, const char *type_name);

/* bool.c */
bool tbool_parse(const char *s, bool *out);

/* int.c: int2/int4/int8 (PostgreSQL 16 syntax) and oid input. */
int tint_parse(uint32_t oid, const char *s, int64_t *out, DbError *err);
int tint_oid_parse(const char *s, int64_t *out, DbError *err);
/* "smallint out of range" etc. as a 22003 error. */
int tint_range_error(uint32_t oid, DbError *err);
bool tint_fits(uint32_t oid, int64_t v);
int tint_arith(char op, uint32_t result_type, int64_t a, int64_t b, int64_t *out, DbError *err);

/* float.c */
int tflt_parse(uint32_t oid, const char *s, double *out, DbError *err);
void tflt_format(uint32_t oid, double v, StrBuf *out);
int tflt_arith(char op, uint32_t result_type, double a, double b, double *out, DbError *err);
int tflt_cmp(double a, double b);
/* float8 → float4 with PostgreSQL's overflow/underflow errors. */
int tflt_to_float4(double v, double *out, DbError *err);
/* Rounds to an integer (rint) and checks the range of oid's type. */
int tflt_to_int(double v, uint32_t oid, int64_t *out, DbError *err);

/* numeric.c: values are canonical decimal text (datum.h). */
int tnum_input(const char *s, int32_t typmod, MemContext *cx, DatumBytes *out, DbError *err);
int tnum_apply_typmod(DatumBytes in, int32_t typmod, MemContext *cx, DatumBytes *out, DbError *err);
int tnum_cmp(DatumBytes a, DatumBytes b);
/* Appends numeric_out's text (a copy unless the datum is not canonical). */
void tnum_output(DatumBytes d, StrBuf *out);
int tnum_arith(char op, DatumBytes a, DatumBytes b, MemContext *cx, DatumBytes *out, DbError *err);
int tnum_negate(DatumBytes a, MemContext *cx, DatumBytes *out, DbError *err);
/* Rounds to an integer; errors name oid's type as PostgreSQL's casts do. */
int tnum_to_int(DatumBytes a, uint32_t oid, int64_t *out, DbError *err);
double tnum_to_double(DatumBytes a);
/* float → numeric with digits significant digits, as float8_numeric. */
int tnum_from_double(double v, int digits, MemContext *cx, DatumBytes *out, DbError *err);
void tnum_from_int(int64_t v, MemContext *cx, DatumBytes *out);

/* text.c: string family and UTF-8. */
int ttext_verify_utf8(const char *s, size_t len, DbError *err);
size_t ttext_char_count(const char *s, size_t len);
/* Bytes of the first n characters (or all of s). */
size_t ttext_prefix_bytes(const char *s, size_t len, size_t n);
/* Length without trailing spaces (bpchar semantics). */
size_t ttext_bpchar_len(const char *s, size_t len);
/* Applies varchar(n)/bpchar(n)/name rules to s of type oid; result in cx. */
int ttext_apply(uint32_t oid, int32_t typmod, bool explicit_cast, const char *s, size_t len,
                MemContext *cx, Datum *out, DbError *err);
int ttext_cmp(const Datum *a, const Datum *b);
bool ttext_is_string(uint32_t oid);
/* "char" input (charin) and output (charout). */
void ttext_char_input(const char *s, size_t len, MemContext *cx, Datum *out);
void ttext_char_output(const Datum *d, StrBuf *out);

/* datetime.c: date, time, timetz, timestamp, timestamptz, interval. */
bool tdt_is_datetime(uint32_t oid);
/* Casts among the date/time types (session zone UTC). */
int tdt_cast(const Datum *in, uint32_t target, Datum *out, DbError *err);
/* timestamp(p)/time(p) rounding and interval field restriction. */
int tdt_apply_typmod(Datum *d, int32_t typmod, DbError *err);

/* json.c: json is validated text; jsonb is PostgreSQL's normalised text. */
int tjson_cast(const Datum *in, uint32_t target, int32_t typmod, MemContext *cx, Datum *out,
               DbError *err);

/* dtarith.c: the date/time operators. */
bool tdt_arith_result(char op, uint32_t left, uint32_t right, uint32_t *result);
int tdt_arith(char op, const Datum *a, const Datum *b, uint32_t result_type, MemContext *cx,
              Datum *out, DbError *err);
int tdt_interval_negate(const DatumInterval *in, DatumInterval *out, DbError *err);

/* Calendar (datetime.c): proleptic Gregorian, year 0 = 1 BC, days counted
 * from 2000-01-01 as datum.h's date. */
#define TDT_USECS_PER_DAY INT64_C(86400000000)
#define TDT_USECS_PER_SEC INT64_C(1000000)
#define TDT_MIN_TIMESTAMP INT64_C(-211813488000000000) /* 4714-11-24 BC */
#define TDT_END_TIMESTAMP INT64_C(9223371331200000000) /* 294277-01-01 */
#define TDT_DATE_MIN (-2451545)                        /* 4714-11-24 BC */
#define TDT_DATE_END (2147483494 - 2451545)            /* 5874898-01-01 */
#define TDT_DATE_NOBEGIN INT32_MIN
#define TDT_DATE_NOEND INT32_MAX
#define TDT_TS_NOBEGIN INT64_MIN
#define TDT_TS_NOEND INT64_MAX
int64_t tdt_days_from_ymd(int64_t y, int m, int d);
void tdt_ymd_from_days(int64_t days, int64_t *y, int *m, int *d);
int tdt_days_in_month(int64_t y, int m);
bool tdt_ts_valid(int64_t ts);

/* uuid.c, bytea.c */
int tuuid_parse(const char *s, uint8_t out[16], DbError *err);
void tuuid_format(const uint8_t u[16], StrBuf *out);
int tbytea_parse(const char *s, size_t len, MemContext *cx, DatumBytes *out, DbError *err);
void tbytea_format(DatumBytes b, StrBuf *out);

/* datetime_io.c, interval.c */
int tdt_parse(uint32_t oid, int32_t typmod, const char *s, Datum *out, DbError *err);
void tdt_format(const Datum *d, StrBuf *out);
void tdt_append_seconds(StrBuf *out, int64_t sec, int64_t fsec);
int tinterval_parse(const char *s, int32_t typmod, DatumInterval *out, DbError *err);
int tinterval_apply_typmod(DatumInterval *iv, int32_t typmod, DbError *err);
void tinterval_format(const DatumInterval *iv, StrBuf *out);
int tjson_parse(uint32_t oid, const char *s, size_t len, MemContext *cx, DatumBytes *out,
                DbError *err);
/* jsonb ordering (PostgreSQL's: object > array > boolean > number > string
 * > null). */
int tjson_cmp(DatumBytes a, DatumBytes b);
