/*
 * Reading the subcommands' input: a named file or standard input, whole, into
 * a MemContext, with a size limit.  SQL text is handled as C strings, so a
 * NUL byte in the input is refused here rather than silently cutting it.
 */
#include <errno.h>
#include <string.h>

#include "tools/tools_int.h"

int tools_read_input(const char *path, FILE *in, size_t max_bytes, MemContext *cx, char **text,
                     DbError *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? in : fopen(path, "rb");
    if (!f)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not open \"%s\": %s", path,
                            strerror(errno));
    StrBuf sb;
    strbuf_init(&sb);
    char chunk[65536];
    int rc = 0;
    for (;;) {
        size_t n = fread(chunk, 1, sizeof chunk, f);
        if (n > 0) {
            if (sb.len + n > max_bytes) {
                rc = db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
                                  "\"%s\" is larger than %zu bytes", path, max_bytes);
                break;
            }
            strbuf_append(&sb, chunk, n);
        }
        if (n < sizeof chunk) {
            if (ferror(f))
                rc = db_error_set(err, SQLSTATE_IO_ERROR, "could not read \"%s\": %s", path,
                                  strerror(errno));
            break;
        }
    }
    if (!is_stdin) fclose(f);
    if (rc == 0 && memchr(sb.data ? sb.data : "", '\0', sb.len))
        rc = db_error_set(err, SQLSTATE_CHARACTER_NOT_IN_REPERTOIRE,
                          "\"%s\" contains a NUL byte at offset %zu", path,
                          (size_t)((char *)memchr(sb.data, '\0', sb.len) - sb.data));
    if (rc == 0) *text = mem_strndup(cx, sb.data ? sb.data : "", sb.len);
    strbuf_fini(&sb);
    return rc;
}
