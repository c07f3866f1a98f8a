/*
 * The server room's public header: wiring a node together and running it.
 */
#pragma once

/* `borealis start`: runs a node in the foreground until SIGINT/SIGTERM. */
int server_start_main(int argc, char **argv);
