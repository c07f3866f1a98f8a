/*
 * libpq against a server: PQexecParams with text and binary parameters and
 * results, PQprepare/PQdescribePrepared/PQexecPrepared, pipeline mode
 * (PQenterPipelineMode, an error aborting the rest of the pipeline up to
 * its sync), and COPY in and out.  Prints a transcript that
 * tests/e2e/protocol_clients.sh compares with PostgreSQL 15's
 * (libpq_client.expected).  Usage: libpq_client CONNINFO
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show(const char *label, PGresult *r)
{
    printf("%s: %s", label, PQresStatus(PQresultStatus(r)));
    if (PQresultStatus(r) == PGRES_FATAL_ERROR || PQresultStatus(r) == PGRES_NONFATAL_ERROR)
        printf(" %s %s", PQresultErrorField(r, PG_DIAG_SQLSTATE),
               PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
    if (PQcmdStatus(r)[0]) printf(" [%s]", PQcmdStatus(r));
    printf("\n");
    for (int i = 0; i < PQntuples(r); i++) {
        printf("  ");
        for (int j = 0; j < PQnfields(r); j++) {
            if (j) printf(" | ");
            if (PQgetisnull(r, i, j)) {
                printf("NULL");
            } else if (PQfformat(r, j) == 1) {
                const unsigned char *v = (const unsigned char *)PQgetvalue(r, i, j);
                for (int k = 0; k < PQgetlength(r, i, j); k++)
                    printf("%02x", v[k]);
            } else {
                printf("%s", PQgetvalue(r, i, j));
            }
        }
        printf("\n");
    }
    PQclear(r);
}

static void run(PGconn *c, const char *sql)
{
    show(sql, PQexec(c, sql));
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    PGconn *c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "%s", PQerrorMessage(c));
        return 1;
    }
    run(c, "create table pq_t (id int primary key, name text, v float8)");

    const char *vals[3] = {"1", "one", "1.5"};
    show("execParams text",
         PQexecParams(c, "insert into pq_t values ($1, $2, $3)", 3, NULL, vals, NULL, NULL, 0));
    /* Binary int4 and float8 parameters, declared types. */
    Oid types[3] = {23, 25, 701};
    unsigned char id[4] = {0, 0, 0, 2}, fl[8] = {0x40, 0x04, 0, 0, 0, 0, 0, 0}; /* 2.5 */
    const char *bvals[3] = {(const char *)id, "two", (const char *)fl};
    int lens[3] = {4, 3, 8}, fmts[3] = {1, 0, 1};
    show("execParams binary",
         PQexecParams(c, "insert into pq_t values ($1, $2, $3)", 3, types, bvals, lens, fmts, 0));
    show("binary results",
         PQexecParams(c, "select id, name, v from pq_t order by id", 0, NULL, NULL, NULL, NULL, 1));

    show("prepare", PQprepare(c, "q", "select name, v * $2 from pq_t where id = $1", 0, NULL));
    PGresult *d = PQdescribePrepared(c, "q");
    printf("describe: %d params (%u, %u), %d fields (%s %u, %s %u)\n", PQnparams(d),
           PQparamtype(d, 0), PQparamtype(d, 1), PQnfields(d), PQfname(d, 0), PQftype(d, 0),
           PQfname(d, 1), PQftype(d, 1));
    PQclear(d);
    const char *p1[2] = {"2", "10"};
    show("execPrepared", PQexecPrepared(c, "q", 2, p1, NULL, NULL, 0));
    const char *p2[2] = {"x", "10"};
    show("execPrepared bad", PQexecPrepared(c, "q", 2, p2, NULL, NULL, 0));
    show("prepare again", PQprepare(c, "q", "select 1", 0, NULL));

    /* Pipeline mode: the error aborts the rest of the pipeline up to its sync. */
    if (PQenterPipelineMode(c) != 1) return 1;
    const char *i3[2] = {"3", "three"}, *i1[2] = {"1", "dup"}, *i4[2] = {"4", "four"};
    PQsendQueryParams(c, "insert into pq_t (id, name) values ($1, $2)", 2, NULL, i3, NULL, NULL, 0);
    PQsendQueryParams(c, "insert into pq_t (id, name) values ($1, $2)", 2, NULL, i1, NULL, NULL, 0);
    PQsendQueryParams(c, "insert into pq_t (id, name) values ($1, $2)", 2, NULL, i4, NULL, NULL, 0);
    PQpipelineSync(c);
    PQsendQueryParams(c, "select count(*) from pq_t", 0, NULL, NULL, NULL, NULL, 0);
    PQsendPrepare(c, "p2", "select $1::int + 1", 0, NULL);
    const char *seven[1] = {"7"};
    PQsendQueryPrepared(c, "p2", 1, seven, NULL, NULL, 0);
    PQpipelineSync(c);
    for (int syncs = 0; syncs < 2;) {
        PGresult *r = PQgetResult(c);
        if (!r) continue; /* the end of one query's results */
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) syncs++;
        show("pipeline", r);
    }
    PQexitPipelineMode(c);

    /* COPY in and out. */
    show("copy in", PQexec(c, "copy pq_t from stdin with (format csv)"));
    const char *rows = "10,ten,10.25\n11,\"el,even\",\n";
    PQputCopyData(c, rows, (int)strlen(rows));
    PQputCopyEnd(c, NULL);
    show("copy in done", PQgetResult(c));
    show("copy out", PQexec(c, "copy pq_t to stdout"));
    char *buf;
    int n;
    while ((n = PQgetCopyData(c, &buf, 0)) > 0) {
        printf("  copy data: %.*s", n, buf);
        PQfreemem(buf);
    }
    show("copy out done", PQgetResult(c));
    show("copy in fail", PQexec(c, "copy pq_t from stdin"));
    PQputCopyData(c, "12\tx\t1\n", 7);
    PQputCopyEnd(c, "client gave up");
    show("copy in failed", PQgetResult(c));
    run(c, "select count(*) from pq_t");
    run(c, "drop table pq_t");
    PQfinish(c);
    return 0;
}
