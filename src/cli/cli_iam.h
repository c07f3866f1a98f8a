/*
 * `borealis iam …`: manages the node's IAM principals and access keys
 * (auth/iam_store.h).  Kept apart from cli.h so the subcommand lands
 * without touching the other client commands.
 */
#pragma once

int cli_iam_main(int argc, char **argv);
