#!/usr/bin/python3
"""Isolation specs: several sessions stepped in a fixed order.

A spec file (*.spec) has a `setup` block run first in its own connection,
then `step <session>: <sql>` lines run in file order, each on the named
session's connection (opened on first use, autocommit mode so BEGIN/COMMIT
are the spec's own).  The transcript — every step, and its rows or its
error as `ERROR <sqlstate>: <message>` — must equal the *.expected file
beside it, written from DSQL's documented behaviour (Hermitage results).

usage: run.py "<libpq conninfo without password>" <token-command> spec...
The token command is run for every connection (tokens are per connection).
"""
import subprocess
import sys

import psycopg2


def run_spec(conninfo, token_cmd, path):
    out = []
    conns = {}

    def connect():
        token = subprocess.check_output(token_cmd, shell=True, text=True).strip()
        c = psycopg2.connect(conninfo, password=token)
        c.autocommit = True
        return c

    def execute(conn, sql):
        cur = conn.cursor()
        try:
            cur.execute(sql)
            if cur.description is not None:
                rows = cur.fetchall()
                return ["  " + "|".join("" if v is None else str(v) for v in r) for r in rows] or ["  (no rows)"]
            return ["  " + (cur.statusmessage or "")]
        except psycopg2.Error as e:
            msg = (e.pgerror or str(e)).strip().splitlines()[0]
            if msg.startswith("ERROR:"):
                msg = msg[len("ERROR:"):].strip()
            return ["  ERROR %s: %s" % (e.pgcode, msg)]

    setup = []
    steps = []
    with open(path) as f:
        mode = None
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("setup:"):
                mode = "setup"
                continue
            if line.startswith("step "):
                mode = "steps"
                who, sql = line[5:].split(":", 1)
                steps.append((who.strip(), sql.strip()))
                continue
            if mode == "setup":
                setup.append(line.strip())
    admin = connect()
    for sql in setup:
        res = execute(admin, sql)
        if res and res[0].startswith("  ERROR"):
            out.append("setup failed: %s%s" % (sql, res[0]))
    for who, sql in steps:
        if who not in conns:
            conns[who] = connect()
        out.append("%s: %s" % (who, sql))
        out.extend(execute(conns[who], sql))
    for c in list(conns.values()) + [admin]:
        c.close()
    return out


def main():
    conninfo, token_cmd = sys.argv[1], sys.argv[2]
    failures = 0
    for path in sys.argv[3:]:
        got = run_spec(conninfo, token_cmd, path)
        expected_path = path[: -len(".spec")] + ".expected"
        with open(expected_path) as f:
            want = [l.rstrip("\n") for l in f if l.strip()]
        name = path.rsplit("/", 1)[-1]
        if got == want:
            print("ok - %s" % name)
        else:
            failures += 1
            print("not ok - %s" % name)
            import difflib
            for l in difflib.unified_diff(want, got, "expected", "actual", lineterm=""):
                print("  " + l)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
