/*
 * Version strings: Borealis's own, and the PostgreSQL version it reports
 * (server_version, version()), which is DSQL's (PostgreSQL 16).
 */
#pragma once

#define BOREALIS_VERSION "0.1.0"
#define BOREALIS_SERVER_VERSION "16.15"
#define BOREALIS_SERVER_VERSION_NUM "160015"
