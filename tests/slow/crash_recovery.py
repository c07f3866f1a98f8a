#!/usr/bin/python3
"""Crash recovery: clients commit numbered rows while the node is killed
with SIGKILL at a random moment; after a restart every acknowledged commit
must be present and no transaction may be half-present.

Each commit inserts a pair of rows (n, n + 1_000_000_000) in one
transaction; a commit is "acknowledged" once COMMIT returned.  After the
restart, for every pair either both rows exist or neither does, and every
acknowledged pair exists.

usage: crash_recovery.py <borealis binary> <rounds> <clients>
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2

BIN, ROUNDS, CLIENTS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
OFFSET = 1_000_000_000


def start(data):
    proc = subprocess.Popen([BIN, "start", "--data", data, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.DEVNULL, stderr=open(data + ".log", "a"))
    ep = os.path.join(data, "endpoint")
    for _ in range(300):
        if os.path.exists(ep):
            try:
                conf = dict(l.strip().split("=", 1) for l in open(ep) if "=" in l)
                if int(conf.get("pid", 0)) == proc.pid:
                    return proc, int(conf["port"])
            except (OSError, ValueError):
                pass
        if proc.poll() is not None:
            raise SystemExit("node exited during startup; see %s.log" % data)
        time.sleep(0.1)
    raise SystemExit("node did not start")


def connect(data, port):
    token = subprocess.check_output([BIN, "token", "--admin", "--data", data], text=True).strip()
    c = psycopg2.connect(host="127.0.0.1", port=port, user="admin", dbname="postgres",
                         sslmode="require", password=token, connect_timeout=5)
    c.autocommit = True
    return c


def client(data, port, worker, rnd, acked, stop):
    try:
        conn = connect(data, port)
        cur = conn.cursor()
    except psycopg2.Error:
        return
    # Fresh ids every round: a commit in flight at the kill may have landed
    # without being acknowledged, and its ids must not be reused.
    n = worker * 10_000_000 + rnd * 100_000 + 1
    while not stop.is_set():
        try:
            cur.execute("BEGIN")
            cur.execute("INSERT INTO crash VALUES (%d, %d)" % (n, worker))
            cur.execute("INSERT INTO crash VALUES (%d, %d)" % (n + OFFSET, worker))
            cur.execute("COMMIT")
            acked.append(n)
        except psycopg2.Error:
            return  # the node is gone: whatever was in flight is unacknowledged
        n += 1


def main():
    tmp = tempfile.mkdtemp(prefix="borealis-crash.")
    data = os.path.join(tmp, "data")
    proc, port = start(data)
    c = connect(data, port)
    c.cursor().execute("CREATE TABLE crash (id bigint PRIMARY KEY, worker int)")
    c.close()
    acked = [[] for _ in range(CLIENTS)]
    total_acked = 0
    for rnd in range(1, ROUNDS + 1):
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(data, port, w, rnd, acked[w], stop))
                   for w in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.3, 2.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        stop.set()
        for t in threads:
            t.join()
        proc, port = start(data)
        conn = connect(data, port)
        cur = conn.cursor()
        cur.execute("SELECT id FROM crash")
        present = {r[0] for r in cur.fetchall()}
        conn.close()
        missing = [n for w in acked for n in w if n not in present or n + OFFSET not in present]
        half = [n for n in present if n < OFFSET and (n + OFFSET) not in present]
        half += [n - OFFSET for n in present if n >= OFFSET and (n - OFFSET) not in present]
        new = total_acked
        total_acked = sum(len(w) for w in acked)
        print("round %d: %d acknowledged commits (%d new), %d rows present, %d missing, "
              "%d half-present" % (rnd, total_acked, total_acked - new, len(present),
                                   len(missing), len(half)), flush=True)
        if total_acked == new:
            print("FAILED: no commit was acknowledged in round %d (see %s.log)" % (rnd, data))
            proc.kill()
            sys.exit(1)
        if missing or half:
            print("FAILED: missing %s half %s (data kept in %s)" % (missing[:5], half[:5], tmp))
            proc.kill()
            sys.exit(1)
    proc.terminate()
    proc.wait()
    subprocess.call(["rm", "-rf", tmp])
    print("all %d rounds passed (%d acknowledged commits)" % (ROUNDS, total_acked))


main()
