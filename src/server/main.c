/*
 * The borealis binary: dispatches to the subcommands (start, token, sql, ...).
 * Each subcommand lives in its room; this file only routes argv.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "borealis: no subcommand yet\n");
    return 2;
}
