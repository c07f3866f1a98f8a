/*
 * Text input and output of the step-1 types against PostgreSQL's own
 * answers.  The table below was produced by calling PostgreSQL 15's input
 * functions directly (int4in, numeric_in(s, 1700, typmod), varcharin, ...)
 * and recording the output text or the error's SQLSTATE, message and
 * detail; the PostgreSQL 16 additions (0x/0o/0b and '_' in integers and
 * numeric) are checked separately against PostgreSQL 16's documented rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "types/types.h"

typedef struct IoCase {
    uint32_t oid;
    int32_t typmod;
    const char *input;
    const char *output; /* NULL: an error is expected */
    const char *sqlstate;
    const char *message;
    const char *detail;
} IoCase;

static const IoCase io_cases[] = {
    /* generated from PostgreSQL 15 by calling the input functions directly */
    {TYPE_BOOL, -1, "t", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "TRUE", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, " true ", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "tr", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "yes", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "y", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "on", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "of", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "off", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "o", NULL, "22P02", "invalid input syntax for type boolean: \"o\"", NULL},
    {TYPE_BOOL, -1, "1", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "0", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "f", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "no", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "n", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "false", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "fal", "f", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "2", NULL, "22P02", "invalid input syntax for type boolean: \"2\"", NULL},
    {TYPE_BOOL, -1, "", NULL, "22P02", "invalid input syntax for type boolean: \"\"", NULL},
    {TYPE_BOOL, -1, "  ", NULL, "22P02", "invalid input syntax for type boolean: \"  \"", NULL},
    {TYPE_BOOL, -1, "truex", NULL, "22P02", "invalid input syntax for type boolean: \"truex\"",
     NULL},
    {TYPE_BOOL, -1, "  yes  ", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "ON", "t", NULL, NULL, NULL},
    {TYPE_BOOL, -1, "Off", "f", NULL, NULL, NULL},
    {TYPE_INT2, -1, "0", "0", NULL, NULL, NULL},
    {TYPE_INT2, -1, "1", "1", NULL, NULL, NULL},
    {TYPE_INT2, -1, "-1", "-1", NULL, NULL, NULL},
    {TYPE_INT2, -1, "+1", "1", NULL, NULL, NULL},
    {TYPE_INT2, -1, "  42  ", "42", NULL, NULL, NULL},
    {TYPE_INT2, -1, "\0117\012", "7", NULL, NULL, NULL},
    {TYPE_INT2, -1, "2147483647", NULL, "22003",
     "value \"2147483647\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "-2147483648", NULL, "22003",
     "value \"-2147483648\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "2147483648", NULL, "22003",
     "value \"2147483648\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "-2147483649", NULL, "22003",
     "value \"-2147483649\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "32767", "32767", NULL, NULL, NULL},
    {TYPE_INT2, -1, "-32768", "-32768", NULL, NULL, NULL},
    {TYPE_INT2, -1, "32768", NULL, "22003", "value \"32768\" is out of range for type smallint",
     NULL},
    {TYPE_INT2, -1, "-32769", NULL, "22003", "value \"-32769\" is out of range for type smallint",
     NULL},
    {TYPE_INT2, -1, "9223372036854775807", NULL, "22003",
     "value \"9223372036854775807\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "-9223372036854775808", NULL, "22003",
     "value \"-9223372036854775808\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "9223372036854775808", NULL, "22003",
     "value \"9223372036854775808\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "-9223372036854775809", NULL, "22003",
     "value \"-9223372036854775809\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "abc", NULL, "22P02", "invalid input syntax for type smallint: \"abc\"", NULL},
    {TYPE_INT2, -1, "", NULL, "22P02", "invalid input syntax for type smallint: \"\"", NULL},
    {TYPE_INT2, -1, "  ", NULL, "22P02", "invalid input syntax for type smallint: \"  \"", NULL},
    {TYPE_INT2, -1, "1 2", NULL, "22P02", "invalid input syntax for type smallint: \"1 2\"", NULL},
    {TYPE_INT2, -1, "12abc", NULL, "22P02", "invalid input syntax for type smallint: \"12abc\"",
     NULL},
    {TYPE_INT2, -1, "- 1", NULL, "22P02", "invalid input syntax for type smallint: \"- 1\"", NULL},
    {TYPE_INT2, -1, "--1", NULL, "22P02", "invalid input syntax for type smallint: \"--1\"", NULL},
    {TYPE_INT2, -1, "+-1", NULL, "22P02", "invalid input syntax for type smallint: \"+-1\"", NULL},
    {TYPE_INT2, -1, "1.0", NULL, "22P02", "invalid input syntax for type smallint: \"1.0\"", NULL},
    {TYPE_INT2, -1, "1e3", NULL, "22P02", "invalid input syntax for type smallint: \"1e3\"", NULL},
    {TYPE_INT2, -1, "99999999999999999999999", NULL, "22003",
     "value \"99999999999999999999999\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "99999999999x", NULL, "22003",
     "value \"99999999999x\" is out of range for type smallint", NULL},
    {TYPE_INT2, -1, "007", "7", NULL, NULL, NULL},
    {TYPE_INT2, -1, "-0", "0", NULL, NULL, NULL},
    {TYPE_INT4, -1, "0", "0", NULL, NULL, NULL},
    {TYPE_INT4, -1, "1", "1", NULL, NULL, NULL},
    {TYPE_INT4, -1, "-1", "-1", NULL, NULL, NULL},
    {TYPE_INT4, -1, "+1", "1", NULL, NULL, NULL},
    {TYPE_INT4, -1, "  42  ", "42", NULL, NULL, NULL},
    {TYPE_INT4, -1, "\0117\012", "7", NULL, NULL, NULL},
    {TYPE_INT4, -1, "2147483647", "2147483647", NULL, NULL, NULL},
    {TYPE_INT4, -1, "-2147483648", "-2147483648", NULL, NULL, NULL},
    {TYPE_INT4, -1, "2147483648", NULL, "22003",
     "value \"2147483648\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "-2147483649", NULL, "22003",
     "value \"-2147483649\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "32767", "32767", NULL, NULL, NULL},
    {TYPE_INT4, -1, "-32768", "-32768", NULL, NULL, NULL},
    {TYPE_INT4, -1, "32768", "32768", NULL, NULL, NULL},
    {TYPE_INT4, -1, "-32769", "-32769", NULL, NULL, NULL},
    {TYPE_INT4, -1, "9223372036854775807", NULL, "22003",
     "value \"9223372036854775807\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "-9223372036854775808", NULL, "22003",
     "value \"-9223372036854775808\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "9223372036854775808", NULL, "22003",
     "value \"9223372036854775808\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "-9223372036854775809", NULL, "22003",
     "value \"-9223372036854775809\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "abc", NULL, "22P02", "invalid input syntax for type integer: \"abc\"", NULL},
    {TYPE_INT4, -1, "", NULL, "22P02", "invalid input syntax for type integer: \"\"", NULL},
    {TYPE_INT4, -1, "  ", NULL, "22P02", "invalid input syntax for type integer: \"  \"", NULL},
    {TYPE_INT4, -1, "1 2", NULL, "22P02", "invalid input syntax for type integer: \"1 2\"", NULL},
    {TYPE_INT4, -1, "12abc", NULL, "22P02", "invalid input syntax for type integer: \"12abc\"",
     NULL},
    {TYPE_INT4, -1, "- 1", NULL, "22P02", "invalid input syntax for type integer: \"- 1\"", NULL},
    {TYPE_INT4, -1, "--1", NULL, "22P02", "invalid input syntax for type integer: \"--1\"", NULL},
    {TYPE_INT4, -1, "+-1", NULL, "22P02", "invalid input syntax for type integer: \"+-1\"", NULL},
    {TYPE_INT4, -1, "1.0", NULL, "22P02", "invalid input syntax for type integer: \"1.0\"", NULL},
    {TYPE_INT4, -1, "1e3", NULL, "22P02", "invalid input syntax for type integer: \"1e3\"", NULL},
    {TYPE_INT4, -1, "99999999999999999999999", NULL, "22003",
     "value \"99999999999999999999999\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "99999999999x", NULL, "22003",
     "value \"99999999999x\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "007", "7", NULL, NULL, NULL},
    {TYPE_INT4, -1, "-0", "0", NULL, NULL, NULL},
    {TYPE_INT8, -1, "0", "0", NULL, NULL, NULL},
    {TYPE_INT8, -1, "1", "1", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-1", "-1", NULL, NULL, NULL},
    {TYPE_INT8, -1, "+1", "1", NULL, NULL, NULL},
    {TYPE_INT8, -1, "  42  ", "42", NULL, NULL, NULL},
    {TYPE_INT8, -1, "\0117\012", "7", NULL, NULL, NULL},
    {TYPE_INT8, -1, "2147483647", "2147483647", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-2147483648", "-2147483648", NULL, NULL, NULL},
    {TYPE_INT8, -1, "2147483648", "2147483648", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-2147483649", "-2147483649", NULL, NULL, NULL},
    {TYPE_INT8, -1, "32767", "32767", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-32768", "-32768", NULL, NULL, NULL},
    {TYPE_INT8, -1, "32768", "32768", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-32769", "-32769", NULL, NULL, NULL},
    {TYPE_INT8, -1, "9223372036854775807", "9223372036854775807", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-9223372036854775808", "-9223372036854775808", NULL, NULL, NULL},
    {TYPE_INT8, -1, "9223372036854775808", NULL, "22003",
     "value \"9223372036854775808\" is out of range for type bigint", NULL},
    {TYPE_INT8, -1, "-9223372036854775809", NULL, "22003",
     "value \"-9223372036854775809\" is out of range for type bigint", NULL},
    {TYPE_INT8, -1, "abc", NULL, "22P02", "invalid input syntax for type bigint: \"abc\"", NULL},
    {TYPE_INT8, -1, "", NULL, "22P02", "invalid input syntax for type bigint: \"\"", NULL},
    {TYPE_INT8, -1, "  ", NULL, "22P02", "invalid input syntax for type bigint: \"  \"", NULL},
    {TYPE_INT8, -1, "1 2", NULL, "22P02", "invalid input syntax for type bigint: \"1 2\"", NULL},
    {TYPE_INT8, -1, "12abc", NULL, "22P02", "invalid input syntax for type bigint: \"12abc\"",
     NULL},
    {TYPE_INT8, -1, "- 1", NULL, "22P02", "invalid input syntax for type bigint: \"- 1\"", NULL},
    {TYPE_INT8, -1, "--1", NULL, "22P02", "invalid input syntax for type bigint: \"--1\"", NULL},
    {TYPE_INT8, -1, "+-1", NULL, "22P02", "invalid input syntax for type bigint: \"+-1\"", NULL},
    {TYPE_INT8, -1, "1.0", NULL, "22P02", "invalid input syntax for type bigint: \"1.0\"", NULL},
    {TYPE_INT8, -1, "1e3", NULL, "22P02", "invalid input syntax for type bigint: \"1e3\"", NULL},
    {TYPE_INT8, -1, "99999999999999999999999", NULL, "22003",
     "value \"99999999999999999999999\" is out of range for type bigint", NULL},
    {TYPE_INT8, -1, "99999999999x", NULL, "22P02",
     "invalid input syntax for type bigint: \"99999999999x\"", NULL},
    {TYPE_INT8, -1, "007", "7", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-0", "0", NULL, NULL, NULL},
    {TYPE_OID, -1, "0", "0", NULL, NULL, NULL},
    {TYPE_OID, -1, "1", "1", NULL, NULL, NULL},
    {TYPE_OID, -1, "4294967295", "4294967295", NULL, NULL, NULL},
    {TYPE_OID, -1, "4294967296", NULL, "22003", "value \"4294967296\" is out of range for type oid",
     NULL},
    {TYPE_OID, -1, "-1", "4294967295", NULL, NULL, NULL},
    {TYPE_OID, -1, "-2147483648", "2147483648", NULL, NULL, NULL},
    {TYPE_OID, -1, "-2147483649", NULL, "22003",
     "value \"-2147483649\" is out of range for type oid", NULL},
    {TYPE_OID, -1, " 12 ", "12", NULL, NULL, NULL},
    {TYPE_OID, -1, "abc", NULL, "22P02", "invalid input syntax for type oid: \"abc\"", NULL},
    {TYPE_OID, -1, "", NULL, "22P02", "invalid input syntax for type oid: \"\"", NULL},
    {TYPE_OID, -1, "12x", NULL, "22P02", "invalid input syntax for type oid: \"12x\"", NULL},
    {TYPE_OID, -1, "0x10", NULL, "22P02", "invalid input syntax for type oid: \"0x10\"", NULL},
    {TYPE_OID, -1, "010", "10", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "0", "0", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "-0", "-0", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1", "1", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "0.1", "0.1", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1.5", "1.5", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "-1.5", "-1.5", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e10", "1e+10", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e15", "1e+15", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e16", "1e+16", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e-4", "0.0001", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e-5", "1e-05", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1.5e-5", "1.5e-05", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "123456789012345", "1.2345679e+14", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1234567890123456", "1.234568e+15", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "0.30000000000000004", "0.3", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "3.141592653589793", "3.1415927", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e308", NULL, "22003", "\"1e308\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "1e309", NULL, "22003", "\"1e309\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "-1e309", NULL, "22003", "\"-1e309\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "1e-323", NULL, "22003", "\"1e-323\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "1e-400", NULL, "22003", "\"1e-400\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "2.2250738585072014e-308", NULL, "22003",
     "\"2.2250738585072014e-308\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "4.9e-324", NULL, "22003", "\"4.9e-324\" is out of range for type real",
     NULL},
    {TYPE_FLOAT4, -1, "NaN", "NaN", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "nan", "NaN", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "Infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "-Infinity", "-Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "inf", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "-inf", "-Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "+inf", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "+Infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "abc", NULL, "22P02", "invalid input syntax for type real: \"abc\"", NULL},
    {TYPE_FLOAT4, -1, "", NULL, "22P02", "invalid input syntax for type real: \"\"", NULL},
    {TYPE_FLOAT4, -1, " ", NULL, "22P02", "invalid input syntax for type real: \" \"", NULL},
    {TYPE_FLOAT4, -1, "1.5 ", "1.5", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, " 1.5", "1.5", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1.5x", NULL, "22P02", "invalid input syntax for type real: \"1.5x\"", NULL},
    {TYPE_FLOAT4, -1, "0x10", "16", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e", NULL, "22P02", "invalid input syntax for type real: \"1e\"", NULL},
    {TYPE_FLOAT4, -1, "e5", NULL, "22P02", "invalid input syntax for type real: \"e5\"", NULL},
    {TYPE_FLOAT4, -1, ".5", "0.5", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "5.", "5", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "100", "100", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1234567", "1.234567e+06", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "123456", "123456", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "12345678", "1.2345678e+07", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "0.000123", "0.000123", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "9007199254740993", "9.007199e+15", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1.7976931348623157e308", NULL, "22003",
     "\"1.7976931348623157e308\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "3.4028235e38", "3.4028235e+38", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "3.4028236e38", NULL, "22003",
     "\"3.4028236e38\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "1e39", NULL, "22003", "\"1e39\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "1e-45", "1e-45", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e-46", NULL, "22003", "\"1e-46\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "1.17549435e-38", "1.1754944e-38", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "16777217", "1.6777216e+07", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "0.1", "0.1", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "2.5", "2.5", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e22", "1e+22", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "1e21", "1e+21", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "123e18", "1.23e+20", NULL, NULL, NULL},
    {TYPE_FLOAT4, -1, "5e-324", NULL, "22003", "\"5e-324\" is out of range for type real", NULL},
    {TYPE_FLOAT4, -1, "2e-323", NULL, "22003", "\"2e-323\" is out of range for type real", NULL},
    {TYPE_FLOAT8, -1, "0", "0", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "-0", "-0", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1", "1", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "0.1", "0.1", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1.5", "1.5", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "-1.5", "-1.5", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e10", "10000000000", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e15", "1e+15", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e16", "1e+16", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e-4", "0.0001", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e-5", "1e-05", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1.5e-5", "1.5e-05", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "123456789012345", "123456789012345", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1234567890123456", "1.234567890123456e+15", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "0.30000000000000004", "0.30000000000000004", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "3.141592653589793", "3.141592653589793", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e308", "1e+308", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e309", NULL, "22003", "\"1e309\" is out of range for type double precision",
     NULL},
    {TYPE_FLOAT8, -1, "-1e309", NULL, "22003",
     "\"-1e309\" is out of range for type double precision", NULL},
    {TYPE_FLOAT8, -1, "1e-323", "1e-323", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e-400", NULL, "22003",
     "\"1e-400\" is out of range for type double precision", NULL},
    {TYPE_FLOAT8, -1, "2.2250738585072014e-308", "2.2250738585072014e-308", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "4.9e-324", "5e-324", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "NaN", "NaN", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "nan", "NaN", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "Infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "-Infinity", "-Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "inf", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "-inf", "-Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "+inf", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "+Infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "abc", NULL, "22P02",
     "invalid input syntax for type double precision: \"abc\"", NULL},
    {TYPE_FLOAT8, -1, "", NULL, "22P02", "invalid input syntax for type double precision: \"\"",
     NULL},
    {TYPE_FLOAT8, -1, " ", NULL, "22P02", "invalid input syntax for type double precision: \" \"",
     NULL},
    {TYPE_FLOAT8, -1, "1.5 ", "1.5", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, " 1.5", "1.5", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1.5x", NULL, "22P02",
     "invalid input syntax for type double precision: \"1.5x\"", NULL},
    {TYPE_FLOAT8, -1, "0x10", "16", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e", NULL, "22P02", "invalid input syntax for type double precision: \"1e\"",
     NULL},
    {TYPE_FLOAT8, -1, "e5", NULL, "22P02", "invalid input syntax for type double precision: \"e5\"",
     NULL},
    {TYPE_FLOAT8, -1, ".5", "0.5", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "5.", "5", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "100", "100", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1234567", "1234567", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "123456", "123456", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "12345678", "12345678", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "0.000123", "0.000123", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "9007199254740993", "9.007199254740992e+15", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1.7976931348623157e308", "1.7976931348623157e+308", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "3.4028235e38", "3.4028235e+38", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "3.4028236e38", "3.4028236e+38", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e39", "1e+39", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e-45", "1e-45", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e-46", "1e-46", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1.17549435e-38", "1.17549435e-38", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "16777217", "16777217", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "0.1", "0.1", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "2.5", "2.5", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e22", "1e+22", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "1e21", "1e+21", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "123e18", "1.23e+20", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "5e-324", "5e-324", NULL, NULL, NULL},
    {TYPE_FLOAT8, -1, "2e-323", "2e-323", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "0", "0", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-0", "0", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "0.00", "0.00", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-0.00", "0.00", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1", "1", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-1", "-1", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1.50", "1.50", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "+1.50", "1.50", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, " 12.3 ", "12.3", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "0001.2300", "1.2300", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, ".5", "0.5", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "5.", "5", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-.5", "-0.5", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1e3", "1000", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1.5e-3", "0.0015", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1.50e5", "150000", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1E+2", "100", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "12345678901234567890.123456789", "12345678901234567890.123456789", NULL,
     NULL, NULL},
    {TYPE_NUMERIC, -1, "0.000000001", "0.000000001", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "NaN", "NaN", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "nan", "NaN", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, " NaN ", "NaN", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-NaN", NULL, "22P02", "invalid input syntax for type numeric: \"-NaN\"",
     NULL},
    {TYPE_NUMERIC, -1, "Infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-Infinity", "-Infinity", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "inf", "Infinity", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-inf", "-Infinity", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "+inf", "Infinity", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "infinity", "Infinity", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "abc", NULL, "22P02", "invalid input syntax for type numeric: \"abc\"",
     NULL},
    {TYPE_NUMERIC, -1, "", NULL, "22P02", "invalid input syntax for type numeric: \"\"", NULL},
    {TYPE_NUMERIC, -1, ".", NULL, "22P02", "invalid input syntax for type numeric: \".\"", NULL},
    {TYPE_NUMERIC, -1, "1.2.3", NULL, "22P02", "invalid input syntax for type numeric: \"1.2.3\"",
     NULL},
    {TYPE_NUMERIC, -1, "1e", NULL, "22P02", "invalid input syntax for type numeric: \"1e\"", NULL},
    {TYPE_NUMERIC, -1, "1e+", NULL, "22P02", "invalid input syntax for type numeric: \"1e+\"",
     NULL},
    {TYPE_NUMERIC, -1, "e1", NULL, "22P02", "invalid input syntax for type numeric: \"e1\"", NULL},
    {TYPE_NUMERIC, -1, "1 2", NULL, "22P02", "invalid input syntax for type numeric: \"1 2\"",
     NULL},
    {TYPE_NUMERIC, -1, "- 1", NULL, "22P02", "invalid input syntax for type numeric: \"- 1\"",
     NULL},
    {TYPE_NUMERIC, -1, "0x", NULL, "22P02", "invalid input syntax for type numeric: \"0x\"", NULL},
    {TYPE_NUMERIC, -1, "1e-20", "0.00000000000000000001", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1e20", "100000000000000000000", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "123456789e-3", "123456.789", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1e-16384", NULL, "22003", "value overflows numeric format", NULL},
    {TYPE_NUMERIC, -1, "1e131072", NULL, "22003", "value overflows numeric format", NULL},
    {TYPE_NUMERIC, -1, "9.9999e4", "99999", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "00000", "0", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "0.0e10", "0", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1e2147483647", NULL, "22003", "value overflows numeric format", NULL},
    {TYPE_NUMERIC, 327686, "1.234", "1.23", NULL, NULL, NULL},
    {TYPE_NUMERIC, 327686, "1.235", "1.24", NULL, NULL, NULL},
    {TYPE_NUMERIC, 327686, "-1.235", "-1.24", NULL, NULL, NULL},
    {TYPE_NUMERIC, 327686, "999.994", "999.99", NULL, NULL, NULL},
    {TYPE_NUMERIC, 327686, "999.995", NULL, "22003", "numeric field overflow",
     "A field with precision 5, scale 2 must round to an absolute value less than 10^3."},
    {TYPE_NUMERIC, 327686, "-999.995", NULL, "22003", "numeric field overflow",
     "A field with precision 5, scale 2 must round to an absolute value less than 10^3."},
    {TYPE_NUMERIC, 327686, "NaN", "NaN", NULL, NULL, NULL},
    {TYPE_NUMERIC, 327686, "Infinity", NULL, "22003", "numeric field overflow",
     "A field with precision 5, scale 2 cannot hold an infinite value."},
    {TYPE_NUMERIC, 327686, "0.001", "0.00", NULL, NULL, NULL},
    {TYPE_NUMERIC, 327686, "12345", NULL, "22003", "numeric field overflow",
     "A field with precision 5, scale 2 must round to an absolute value less than 10^3."},
    {TYPE_NUMERIC, 196612, "999.4", "999", NULL, NULL, NULL},
    {TYPE_NUMERIC, 196612, "999.5", NULL, "22003", "numeric field overflow",
     "A field with precision 3, scale 0 must round to an absolute value less than 10^3."},
    {TYPE_NUMERIC, 196612, "0.5", "1", NULL, NULL, NULL},
    {TYPE_NUMERIC, 196612, "-0.5", "-1", NULL, NULL, NULL},
    {TYPE_NUMERIC, 198658, "12345", "12300", NULL, NULL, NULL},
    {TYPE_NUMERIC, 198658, "12349", "12300", NULL, NULL, NULL},
    {TYPE_NUMERIC, 198658, "99949", "99900", NULL, NULL, NULL},
    {TYPE_NUMERIC, 198658, "99950", NULL, "22003", "numeric field overflow",
     "A field with precision 3, scale -2 must round to an absolute value less than 10^5."},
    {TYPE_NUMERIC, 198658, "-150", "-200", NULL, NULL, NULL},
    {TYPE_NUMERIC, 196617, "0.001", "0.00100", NULL, NULL, NULL},
    {TYPE_NUMERIC, 196617, "0.0099999", NULL, "22003", "numeric field overflow",
     "A field with precision 3, scale 5 must round to an absolute value less than 10^-2."},
    {TYPE_NUMERIC, 196617, "0.01", NULL, "22003", "numeric field overflow",
     "A field with precision 3, scale 5 must round to an absolute value less than 10^-2."},
    {TYPE_NUMERIC, 196617, "-Infinity", NULL, "22003", "numeric field overflow",
     "A field with precision 3, scale 5 cannot hold an infinite value."},
    {TYPE_NUMERIC, 65540, "9.4", "9", NULL, NULL, NULL},
    {TYPE_NUMERIC, 65540, "9.5", NULL, "22003", "numeric field overflow",
     "A field with precision 1, scale 0 must round to an absolute value less than 10^1."},
    {TYPE_NUMERIC, 65540, "10", NULL, "22003", "numeric field overflow",
     "A field with precision 1, scale 0 must round to an absolute value less than 10^1."},
    {TYPE_NUMERIC, 65537004, "1", NULL, "22003", "numeric field overflow",
     "A field with precision 1000, scale 1000 must round to an absolute value less than 1."},
    {TYPE_NUMERIC, 65537004, "0.5",
     "0."
     "500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000000000",
     NULL, NULL, NULL},
    {TYPE_TEXT, -1, "", "", NULL, NULL, NULL},
    {TYPE_TEXT, -1, "abc", "abc", NULL, NULL, NULL},
    {TYPE_TEXT, -1, " a b ", " a b ", NULL, NULL, NULL},
    {TYPE_TEXT, -1, "h\303\251llo", "h\303\251llo", NULL, NULL, NULL},
    {TYPE_TEXT, -1, "\346\227\245\346\234\254\350\252\236", "\346\227\245\346\234\254\350\252\236",
     NULL, NULL, NULL},
    {TYPE_VARCHAR, 7, "ab", "ab", NULL, NULL, NULL},
    {TYPE_VARCHAR, 7, "abc", "abc", NULL, NULL, NULL},
    {TYPE_VARCHAR, 7, "abcd", NULL, "22001", "value too long for type character varying(3)", NULL},
    {TYPE_VARCHAR, 7, "abc   ", "abc", NULL, NULL, NULL},
    {TYPE_VARCHAR, 7, "ab  x", NULL, "22001", "value too long for type character varying(3)", NULL},
    {TYPE_VARCHAR, 7, "\346\227\245\346\234\254\350\252\236x", NULL, "22001",
     "value too long for type character varying(3)", NULL},
    {TYPE_VARCHAR, 7, "\346\227\245\346\234\254\350\252\236 ",
     "\346\227\245\346\234\254\350\252\236", NULL, NULL, NULL},
    {TYPE_VARCHAR, -1, "abcdef", "abcdef", NULL, NULL, NULL},
    {TYPE_VARCHAR, -1, " ", " ", NULL, NULL, NULL},
    {TYPE_BPCHAR, 7, "ab", "ab ", NULL, NULL, NULL},
    {TYPE_BPCHAR, 7, "abc", "abc", NULL, NULL, NULL},
    {TYPE_BPCHAR, 7, "abcd", NULL, "22001", "value too long for type character(3)", NULL},
    {TYPE_BPCHAR, 7, "abc   ", "abc", NULL, NULL, NULL},
    {TYPE_BPCHAR, 7, "", "   ", NULL, NULL, NULL},
    {TYPE_BPCHAR, 7, "\346\227\245\346\234\254", "\346\227\245\346\234\254 ", NULL, NULL, NULL},
    {TYPE_BPCHAR, 7, "\346\227\245\346\234\254\350\252\236 ",
     "\346\227\245\346\234\254\350\252\236", NULL, NULL, NULL},
    {TYPE_BPCHAR, 7, "a  x", NULL, "22001", "value too long for type character(3)", NULL},
    {TYPE_BPCHAR, -1, "ab  ", "ab  ", NULL, NULL, NULL},
    {TYPE_BPCHAR, -1, "", "", NULL, NULL, NULL},
    {TYPE_NAME, -1, "abc", "abc", NULL, NULL, NULL},
    {TYPE_NAME, -1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, NULL, NULL},
    {TYPE_NAME, -1,
     "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303"
     "\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251"
     "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303"
     "\251\303\251\303\251\303\251\303\251\303\251",
     "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303"
     "\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251"
     "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251",
     NULL, NULL, NULL},
    {TYPE_CHAR, -1, "a", "a", NULL, NULL, NULL},
    {TYPE_CHAR, -1, "ab", "a", NULL, NULL, NULL},
    {TYPE_CHAR, -1, "", "", NULL, NULL, NULL},
    {TYPE_CHAR, -1, "\\101", "A", NULL, NULL, NULL},
    {TYPE_CHAR, -1, "\\377", "\\377", NULL, NULL, NULL},
    {TYPE_CHAR, -1, "\303\251", "\\303", NULL, NULL, NULL},
};

/* PostgreSQL 16's integer and numeric input additions (numutils.c and
 * numeric.c in 16): prefixes, and single underscores between digits. */
static const IoCase pg16_cases[] = {
    {TYPE_INT4, -1, "0x1F", "31", NULL, NULL, NULL},
    {TYPE_INT4, -1, "-0X80000000", "-2147483648", NULL, NULL, NULL},
    {TYPE_INT4, -1, "0x80000000", NULL, "22003",
     "value \"0x80000000\" is out of range for type integer", NULL},
    {TYPE_INT4, -1, "0o17", "15", NULL, NULL, NULL},
    {TYPE_INT4, -1, "0b101", "5", NULL, NULL, NULL},
    {TYPE_INT4, -1, "1_000_000", "1000000", NULL, NULL, NULL},
    {TYPE_INT4, -1, "0x_1F", "31", NULL, NULL, NULL},
    {TYPE_INT4, -1, "_100", NULL, "22P02", "invalid input syntax for type integer: \"_100\"", NULL},
    {TYPE_INT4, -1, "100_", NULL, "22P02", "invalid input syntax for type integer: \"100_\"", NULL},
    {TYPE_INT4, -1, "1__0", NULL, "22P02", "invalid input syntax for type integer: \"1__0\"", NULL},
    {TYPE_INT4, -1, "0x", NULL, "22P02", "invalid input syntax for type integer: \"0x\"", NULL},
    {TYPE_INT4, -1, "0b2", NULL, "22P02", "invalid input syntax for type integer: \"0b2\"", NULL},
    {TYPE_INT2, -1, "0x7FFF", "32767", NULL, NULL, NULL},
    {TYPE_INT2, -1, "0x8000", NULL, "22003", "value \"0x8000\" is out of range for type smallint",
     NULL},
    {TYPE_INT8, -1, "0x7FFFFFFFFFFFFFFF", "9223372036854775807", NULL, NULL, NULL},
    {TYPE_INT8, -1, "-0x8000000000000000", "-9223372036854775808", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "0x1F", "31", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "-0x1F", "-31", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "0xFFFFFFFFFFFFFFFFFFFF", "1208925819614629174706175", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "0b1_1", "3", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "12_345", "12345", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1_000.000_1", "1000.0001", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1e1_0", "10000000000", NULL, NULL, NULL},
    {TYPE_NUMERIC, -1, "1._5", NULL, "22P02", "invalid input syntax for type numeric: \"1._5\"",
     NULL},
    {TYPE_NUMERIC, -1, "1_.5", NULL, "22P02", "invalid input syntax for type numeric: \"1_.5\"",
     NULL},
    {TYPE_NUMERIC, -1, "0x1.5", NULL, "22P02", "invalid input syntax for type numeric: \"0x1.5\"",
     NULL},
};

static void check_case(const IoCase *c, MemContext *cx)
{
    Datum d;
    DbError err;
    db_error_clear(&err);
    int rc = type_input(c->oid, c->typmod, c->input, strlen(c->input), cx, &d, &err);
    if (c->output) {
        if (rc != 0)
            fail_msg("type %u input \"%s\": unexpected error %s %s", c->oid, c->input, err.sqlstate,
                     err.message);
        StrBuf sb;
        strbuf_init(&sb);
        type_output(&d, &sb);
        if (strcmp(sb.data ? sb.data : "", c->output) != 0)
            fail_msg("type %u input \"%s\": got \"%s\", want \"%s\"", c->oid, c->input,
                     sb.data ? sb.data : "", c->output);
        /* Output reads back as the same value. */
        Datum again;
        if (type_input(c->oid, c->typmod, sb.data ? sb.data : "", sb.len, cx, &again, &err) != 0)
            fail_msg("type %u output \"%s\" does not read back: %s", c->oid, sb.data, err.message);
        StrBuf sb2;
        strbuf_init(&sb2);
        type_output(&again, &sb2);
        assert_string_equal(sb2.data ? sb2.data : "", sb.data ? sb.data : "");
        strbuf_fini(&sb);
        strbuf_fini(&sb2);
    } else {
        if (rc == 0)
            fail_msg("type %u input \"%s\": expected error %s", c->oid, c->input, c->message);
        if (strcmp(err.sqlstate, c->sqlstate) != 0 || strcmp(err.message, c->message) != 0)
            fail_msg("type %u input \"%s\": got %s \"%s\", want %s \"%s\"", c->oid, c->input,
                     err.sqlstate, err.message, c->sqlstate, c->message);
        assert_string_equal(err.detail, c->detail ? c->detail : "");
    }
}

static void test_pg15_table(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    for (size_t i = 0; i < sizeof io_cases / sizeof io_cases[0]; i++)
        check_case(&io_cases[i], cx);
    mem_context_destroy(cx);
}

static void test_pg16_additions(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    for (size_t i = 0; i < sizeof pg16_cases / sizeof pg16_cases[0]; i++)
        check_case(&pg16_cases[i], cx);
    mem_context_destroy(cx);
}

/* Numerics too long for a table: lengths as PostgreSQL prints them
 * (length(1e100000::numeric::text) = 100001, and so on). */
static void test_numeric_extremes(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    static const struct {
        const char *in;
        size_t len;
    } big[] = {{"1e100000", 100001}, {"1e-16383", 16385}, {"1e131071", 131072}};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        Datum d;
        DbError err;
        assert_int_equal(type_input(TYPE_NUMERIC, -1, big[i].in, strlen(big[i].in), cx, &d, &err),
                         0);
        assert_int_equal(d.v.s.len, big[i].len);
    }
    mem_context_destroy(cx);
}

/* Bytes that are not UTF-8 are refused before any input function. */
static void test_bad_encoding(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    Datum d;
    DbError err;
    assert_int_equal(type_input(TYPE_TEXT, -1, "a\xc3(", 3, cx, &d, &err), -1);
    assert_string_equal(err.sqlstate, "22021");
    assert_string_equal(err.message, "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28");
    assert_int_equal(type_input(TYPE_INT4, -1, "1\0", 2, cx, &d, &err), -1);
    assert_string_equal(err.message, "invalid byte sequence for encoding \"UTF8\": 0x00");
    assert_int_equal(type_input(TYPE_TEXT, -1, "\xe6\x97", 2, cx, &d, &err), -1);
    assert_string_equal(err.message, "invalid byte sequence for encoding \"UTF8\": 0xe6 0x97");
    mem_context_destroy(cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg15_table),
        cmocka_unit_test(test_pg16_additions),
        cmocka_unit_test(test_numeric_extremes),
        cmocka_unit_test(test_bad_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
