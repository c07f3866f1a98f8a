"""psycopg2 (Debian python3-psycopg2) against a server: parameters (psycopg2
binds them client side and sends simple queries; it has no extended-protocol
mode), executemany, types, errors with their diagnostics, transactions, and
copy_from/copy_to/copy_expert.  Prints a transcript compared with
PostgreSQL 15's (psycopg2_test.expected).  Connection: the DSN in argv[1]."""
import io
import sys

import psycopg2

conn = psycopg2.connect(sys.argv[1])
cur = conn.cursor()
conn.autocommit = True
cur.execute("create table psy_t (id int primary key, name text, score numeric(10,2), at timestamp)")
conn.autocommit = False
cur.executemany("insert into psy_t (id, name, score, at) values (%s, %s, %s, %s)",
                [(1, "one", "1.5", "2024-01-02 03:04:05"), (2, None, 2, None),
                 (3, "it's", None, "2000-01-01")])
conn.commit()
cur.execute("select id, name, score, at from psy_t where id >= %s order by id", (1,))
print("rows", cur.fetchall())
print("description", [(d.name, d.type_code) for d in cur.description])
try:
    cur.execute("insert into psy_t (id) values (%s)", (1,))
except psycopg2.Error as e:
    print("error", e.pgcode, e.pgerror.splitlines()[0], e.diag.message_detail)
conn.rollback()
print("status after rollback", conn.status)
cur.copy_from(io.StringIO("4\tfour\t4.25\t\\N\n5\t\\N\t\\N\t2020-02-29 12:00:00\n"), "psy_t")
print("copy_from rowcount", cur.rowcount)
conn.commit()
buf = io.StringIO()
cur.copy_expert("copy (select * from psy_t order by id) to stdout with csv header", buf)
print("copy_expert out", repr(buf.getvalue()))
buf = io.StringIO()
cur.copy_to(buf, "psy_t", columns=("id", "name"))
print("copy_to", repr(buf.getvalue()))
conn.commit()
try:
    cur.copy_expert("copy psy_t from stdin with csv", io.StringIO("6,six,1,2020-01-01\n6,dup,1,\n"))
except psycopg2.Error as e:
    print("copy error", e.pgcode, e.pgerror.splitlines()[0])
conn.rollback()
cur.execute("select count(*) from psy_t")
print("count", cur.fetchone())
conn.commit()
conn.autocommit = True
cur.execute("drop table psy_t")
conn.close()
