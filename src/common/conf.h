/*
 * Small key=value files (node.conf, credentials, endpoint): one "key=value"
 * per line, '#' comments, no quoting; values run to the end of the line.
 * Written atomically (temp file + rename) with the given mode.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

#define CONF_MAX_ENTRIES 64
#define CONF_MAX_KEY 64
#define CONF_MAX_VALUE 512

typedef struct Conf {
    size_t n;
    char keys[CONF_MAX_ENTRIES][CONF_MAX_KEY];
    char values[CONF_MAX_ENTRIES][CONF_MAX_VALUE];
} Conf;

void conf_init(Conf *c);
/* Missing file → -1 with 58P01 (undefined_file). */
int conf_load(Conf *c, const char *path, DbError *err);
int conf_save(const Conf *c, const char *path, mode_t mode, DbError *err);
const char *conf_get(const Conf *c, const char *key); /* NULL if absent */
void conf_set(Conf *c, const char *key, const char *value);
