/*
 * borealis convert mysql FILE|-
 *
 * The DSQL DDL on stdout, warnings and errors on stderr as
 * "FILE:LINE: warning|error: message".  Exit codes: 0 converted (warnings
 * may have been printed), 1 some statements were not converted, 2 usage or
 * I/O error.
 */
#include <string.h>

#include "tools/tools_int.h"

static void convert_usage(FILE *f)
{
    fprintf(f, "usage: borealis convert mysql FILE|-\n\n"
               "Converts MySQL DDL (CREATE TABLE, CREATE INDEX, ALTER TABLE, DROP, RENAME)\n"
               "to Aurora DSQL DDL on standard output; warnings and errors go to standard\n"
               "error with their line numbers.\n\n"
               "exit codes: 0 converted, 1 some statements not converted, 2 usage or I/O error\n");
}

int tools_convert_run(int argc, char **argv, FILE *in, FILE *out, FILE *errout)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        convert_usage(out);
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "mysql") != 0) {
        if (argc >= 2 && strcmp(argv[1], "mysql") != 0)
            fprintf(errout, "borealis convert: unknown source \"%s\" (only mysql)\n", argv[1]);
        convert_usage(errout);
        return 2;
    }
    const char *path = argv[2];
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    MemContext *cx = mem_context_create(NULL, "convert");
    DbError err;
    db_error_clear(&err);
    char *text;
    ConvertResult r;
    int rc;
    if (tools_read_input(path, in, TOOLS_CONVERT_MAX_INPUT_BYTES, cx, &text, &err) != 0 ||
        tools_convert_mysql(text, cx, &r, &err) != 0) {
        fprintf(errout, "borealis convert: %s\n", err.message);
        rc = 2;
    } else {
        fputs(r.sql, out);
        for (size_t i = 0; i < r.n_notes; i++)
            fprintf(errout, "%s:%d: %s: %s\n", name, r.notes[i].line,
                    r.notes[i].error ? "error" : "warning", r.notes[i].message);
        rc = r.n_errors > 0 ? 1 : 0;
    }
    fflush(out);
    mem_context_destroy(cx);
    return rc;
}

int tools_convert_main(int argc, char **argv)
{
    return tools_convert_run(argc, argv, stdin, stdout, stderr);
}
