/*
 * The cli room's public header: client subcommands of the borealis binary.
 * Client code reaches the database only through libpq / psql and the data
 * directory's descriptor files, never by calling into server rooms.
 */
#pragma once

int cli_token_main(int argc, char **argv);
int cli_sql_main(int argc, char **argv);
