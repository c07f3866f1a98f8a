/*
 * key=value files (see conf.h).
 */
#include "common/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void conf_init(Conf *c)
{
    c->n = 0;
}

int conf_load(Conf *c, const char *path, DbError *err)
{
    conf_init(c);
    FILE *f = fopen(path, "r");
    if (!f) {
        return db_error_set(err, errno == ENOENT ? SQLSTATE_UNDEFINED_FILE : SQLSTATE_IO_ERROR,
                            "could not open file \"%s\": %s", path, strerror(errno));
    }
    char line[CONF_MAX_KEY + CONF_MAX_VALUE + 2];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') continue;
        char *eq = strchr(line, '=');
        if (!eq) continue;
        *eq = '\0';
        conf_set(c, line, eq + 1);
    }
    fclose(f);
    return 0;
}

int conf_save(const Conf *c, const char *path, mode_t mode, DbError *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not create file \"%s\": %s", tmp,
                            strerror(errno));
    FILE *f = fdopen(fd, "w");
    for (size_t i = 0; i < c->n; i++)
        fprintf(f, "%s=%s\n", c->keys[i], c->values[i]);
    fflush(f);
    fsync(fd);
    fclose(f);
    if (rename(tmp, path) != 0)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not rename \"%s\": %s", tmp,
                            strerror(errno));
    return 0;
}

const char *conf_get(const Conf *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->keys[i], key) == 0) return c->values[i];
    return NULL;
}

/* Copies src into dst, truncated to cap - 1 bytes. */
static void conf_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void conf_set(Conf *c, const char *key, const char *value)
{
    size_t i = 0;
    while (i < c->n && strcmp(c->keys[i], key) != 0)
        i++;
    if (i == c->n) {
        if (c->n == CONF_MAX_ENTRIES) return;
        c->n++;
    }
    conf_copy(c->keys[i], CONF_MAX_KEY, key);
    conf_copy(c->values[i], CONF_MAX_VALUE, value);
}
