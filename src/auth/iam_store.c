/*
 * The IAM user store (format in iam_store.h): a small text file read whole
 * on every lookup (lookups happen once per connection) and rewritten whole
 * through a temporary file and rename(2) on every change.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/iam_store.h"

#define IAM_LINE_MAX (AUTH_ACCESS_KEY_ID_MAX + AUTH_SECRET_ACCESS_KEY_MAX + AUTH_IAM_ARN_MAX + 8)

static char iam_registered_dir[DATADIR_PATH_MAX];

static void iam_store_path(const char *data_dir, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", data_dir, AUTH_IAM_STORE_FILE);
}

typedef struct IamEntry {
    char akid[AUTH_ACCESS_KEY_ID_MAX + 1];
    char secret[AUTH_SECRET_ACCESS_KEY_MAX + 1];
    char arn[AUTH_IAM_ARN_MAX + 1];
} IamEntry;

/* Splits one line into an entry; false for comments and malformed lines. */
static bool iam_line_parse(char *line, IamEntry *e)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || !line[0]) return false;
    char *save = NULL;
    const char *a = strtok_r(line, " ", &save);
    const char *s = strtok_r(NULL, " ", &save);
    const char *r = strtok_r(NULL, " ", &save);
    if (!a || !s || !r || strlen(a) > AUTH_ACCESS_KEY_ID_MAX ||
        strlen(s) > AUTH_SECRET_ACCESS_KEY_MAX || strlen(r) > AUTH_IAM_ARN_MAX)
        return false;
    snprintf(e->akid, sizeof e->akid, "%s", a);
    snprintf(e->secret, sizeof e->secret, "%s", s);
    snprintf(e->arn, sizeof e->arn, "%s", r);
    return true;
}

/* Reads every entry; a missing file is an empty store. */
typedef bool (*IamEntryVisit)(void *arg, const IamEntry *e); /* false: stop */
static int iam_store_read(const char *data_dir, IamEntryVisit visit, void *arg, DbError *err)
{
    char path[DATADIR_PATH_MAX + 32], line[IAM_LINE_MAX];
    iam_store_path(data_dir, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) return 0;
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not open \"%s\": %s", path,
                            strerror(errno));
    }
    IamEntry e;
    while (fgets(line, sizeof line, f))
        if (iam_line_parse(line, &e) && !visit(arg, &e)) break;
    fclose(f);
    return 0;
}

typedef struct IamRewrite {
    StrBuf out;
    const char *drop_arn; /* entries of this ARN are left out */
    size_t dropped;
} IamRewrite;

static bool iam_rewrite_visit(void *arg, const IamEntry *e)
{
    IamRewrite *rw = arg;
    if (rw->drop_arn && strcmp(rw->drop_arn, e->arn) == 0) {
        rw->dropped++;
        return true;
    }
    strbuf_appendf(&rw->out, "%s %s %s\n", e->akid, e->secret, e->arn);
    return true;
}

static int iam_store_write(const char *data_dir, const StrBuf *body, DbError *err)
{
    char path[DATADIR_PATH_MAX + 32], tmp[DATADIR_PATH_MAX + 40];
    iam_store_path(data_dir, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not create \"%s\": %s", tmp,
                            strerror(errno));
    static const char header[] = "# borealis IAM users: access key id, secret, principal ARN\n";
    bool ok = write(fd, header, sizeof header - 1) == (ssize_t)(sizeof header - 1) &&
              write(fd, body->data, body->len) == (ssize_t)body->len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not write \"%s\": %s", path,
                            strerror(errno));
    }
    return 0;
}

int auth_iam_store_add(const char *data_dir, const char *arn, AuthCredential *out, DbError *err)
{
    if (!arn[0] || strlen(arn) > AUTH_IAM_ARN_MAX || strpbrk(arn, " \t\r\n"))
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid principal ARN");
    memset(out, 0, sizeof *out);
    /* As the admin credential: BKIA + 16 uppercase base32, 40-char secret. */
    memcpy(out->access_key_id, "BKIA", 4);
    random_base32(out->access_key_id + 4, 16);
    random_base32(out->secret_access_key, 40);
    for (char *p = out->access_key_id; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    for (size_t i = 0; i < 40; i += 3)
        if (out->secret_access_key[i] >= 'a' && out->secret_access_key[i] <= 'z')
            out->secret_access_key[i] = (char)(out->secret_access_key[i] - 'a' + 'A');
    IamRewrite rw = {.drop_arn = NULL};
    strbuf_init(&rw.out);
    int rc = iam_store_read(data_dir, iam_rewrite_visit, &rw, err);
    if (rc == 0) {
        strbuf_appendf(&rw.out, "%s %s %s\n", out->access_key_id, out->secret_access_key, arn);
        rc = iam_store_write(data_dir, &rw.out, err);
    }
    strbuf_fini(&rw.out);
    return rc;
}

int auth_iam_store_remove(const char *data_dir, const char *arn, size_t *removed, DbError *err)
{
    IamRewrite rw = {.drop_arn = arn};
    strbuf_init(&rw.out);
    int rc = iam_store_read(data_dir, iam_rewrite_visit, &rw, err);
    *removed = rw.dropped;
    if (rc == 0 && rw.dropped) rc = iam_store_write(data_dir, &rw.out, err);
    strbuf_fini(&rw.out);
    return rc;
}

typedef struct IamFind {
    const char *akid;
    IamEntry found;
    bool hit;
} IamFind;

static bool iam_find_visit(void *arg, const IamEntry *e)
{
    IamFind *f = arg;
    if (strcmp(f->akid, e->akid) != 0) return true;
    f->found = *e;
    f->hit = true;
    return false;
}

int auth_iam_store_find(const char *data_dir, const char *access_key_id, char *secret,
                        size_t secret_size, char *arn, size_t arn_size)
{
    IamFind f = {.akid = access_key_id};
    DbError err;
    if (!data_dir || !data_dir[0] || iam_store_read(data_dir, iam_find_visit, &f, &err) != 0 ||
        !f.hit)
        return -1;
    if (secret) snprintf(secret, secret_size, "%s", f.found.secret);
    if (arn) snprintf(arn, arn_size, "%s", f.found.arn);
    return 0;
}

typedef struct IamList {
    AuthIamVisit visit;
    void *arg;
} IamList;

static bool iam_list_visit(void *arg, const IamEntry *e)
{
    IamList *l = arg;
    l->visit(l->arg, e->akid, e->arn);
    return true;
}

int auth_iam_store_list(const char *data_dir, AuthIamVisit visit, void *arg, DbError *err)
{
    IamList l = {visit, arg};
    return iam_store_read(data_dir, iam_list_visit, &l, err);
}

void auth_iam_store_register(const char *data_dir)
{
    snprintf(iam_registered_dir, sizeof iam_registered_dir, "%s", data_dir ? data_dir : "");
}

int auth_iam_principal_find(const char *access_key_id, char *arn, size_t arn_size)
{
    return auth_iam_store_find(iam_registered_dir, access_key_id, NULL, 0, arn, arn_size);
}

int auth_iam_secret_lookup(void *arg, const char *access_key_id, char *secret_out,
                           size_t secret_size)
{
    (void)arg;
    return auth_iam_store_find(iam_registered_dir, access_key_id, secret_out, secret_size, NULL, 0);
}
