/*
 * libFuzzer target: arbitrary bytes through the MySQL tokenizer and the
 * MySQL-to-DSQL converter, and the converter's output through the linter.
 * Neither may crash, hang or read out of bounds on any input; the output of
 * the converter must be a NUL-terminated string.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tools/tools.h"
#include "tools/tools_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) return 0;
    MemContext *cx = mem_context_create(NULL, "fuzz");
    char *text = mem_alloc(cx, size + 1);
    memcpy(text, data, size);
    text[size] = '\0'; /* the converter reads C strings, as its callers give */

    /* The tokenizer alone, over the whole buffer (NUL bytes included). */
    MyLexer lx;
    mysql_lex_init(&lx, (const char *)data, (int)size);
    MyToken t;
    do {
        while (mysql_lex_delimiter(&lx))
            ;
        mysql_lex_next(&lx, &t);
    } while (t.kind != MY_EOF);

    ConvertResult r;
    DbError err;
    if (tools_convert_mysql(text, cx, &r, &err) == 0) {
        LintResult lr;
        (void)tools_lint_sql(r.sql, false, cx, &lr, &err);
    }
    mem_context_destroy(cx);
    return 0;
}
