#!/usr/bin/env python3
"""Message-level protocol trace: runs a script of frontend messages against a
server and prints every backend message after startup, one per line, so the
trace of Borealis can be compared with the trace of PostgreSQL 15 byte for
byte (RowDescription's table oid and column number are left out: Borealis has
no pg_class oids yet).

Usage: wire_trace.py SCRIPT --unix DIR --port N --user U       (PostgreSQL, trust)
       wire_trace.py SCRIPT --host H --port N --user U --password P   (TLS)

A script is Python calling parse(), bind(), describe(), execute(), close(),
sync(), flush(), query(), copy_data(), copy_done(), copy_fail() to queue
messages and wait() to send them and print answers until ReadyForQuery.
"""
import argparse
import socket
import ssl
import struct
import sys


class Conn:
    def __init__(self, args):
        if args.unix:
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.connect(f"{args.unix}/.s.PGSQL.{args.port}")
        else:
            raw = socket.create_connection((args.host, args.port))
            raw.sendall(struct.pack("!ii", 8, 80877103))
            if raw.recv(1) != b"S":
                sys.exit("server refused TLS")
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            self.sock = ctx.wrap_socket(raw)
        self.buf = b""
        self.pending = b""
        params = b"user\0" + args.user.encode() + b"\0database\0postgres\0\0"
        body = struct.pack("!i", 196608) + params
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        while True:
            t, b = self.read()
            if t == "R":
                code = struct.unpack("!i", b[:4])[0]
                if code == 3:
                    self.send_now("p", args.password.encode() + b"\0")
                elif code != 0:
                    sys.exit(f"unsupported auth {code}")
            elif t == "E":
                sys.exit("startup error: " + repr(b))
            elif t == "Z":
                break

    def send_now(self, t, body):
        self.sock.sendall(t.encode() + struct.pack("!i", len(body) + 4) + body)

    def queue(self, t, body):
        self.pending += t.encode() + struct.pack("!i", len(body) + 4) + body

    def read(self):
        while len(self.buf) < 5 or len(self.buf) < 1 + struct.unpack("!i", self.buf[1:5])[0]:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None, None
            self.buf += chunk
        n = struct.unpack("!i", self.buf[1:5])[0]
        t, body = chr(self.buf[0]), self.buf[5 : 1 + n]
        self.buf = self.buf[1 + n :]
        return t, body


def cstr(s):
    return s.encode() + b"\0"


def fields(body):
    out = {}
    pos = 0
    while body[pos] != 0:
        end = body.index(b"\0", pos + 1)
        out[chr(body[pos])] = body[pos + 1 : end].decode()
        pos = end + 1
    return out


def show(t, b):
    if t in ("E", "N"):
        f = fields(b)
        kind = "ErrorResponse" if t == "E" else "NoticeResponse"
        extra = "".join(f" {k}={f[k]!r}" for k in "DHP" if k in f)
        return f"{kind} {f.get('V')} {f.get('C')} {f.get('M')!r}{extra}"
    if t == "T":
        n = struct.unpack("!h", b[:2])[0]
        pos, cols = 2, []
        for _ in range(n):
            end = b.index(b"\0", pos)
            name = b[pos:end].decode()
            _, _, typ, typlen, typmod, fmt = struct.unpack("!ihihih", b[end + 1 : end + 19])
            cols.append(f"{name}:{typ}:{typlen}:{typmod}:{fmt}")
            pos = end + 19
        return "RowDescription " + " ".join(cols)
    if t == "D":
        n = struct.unpack("!h", b[:2])[0]
        pos, vals = 2, []
        for _ in range(n):
            ln = struct.unpack("!i", b[pos : pos + 4])[0]
            pos += 4
            if ln < 0:
                vals.append("NULL")
            else:
                v = b[pos : pos + ln]
                pos += ln
                vals.append(v.hex() if BINARY else repr(v.decode(errors="replace")))
        return "DataRow " + " | ".join(vals)
    if t == "t":
        n = struct.unpack("!h", b[:2])[0]
        return "ParameterDescription " + " ".join(
            str(x) for x in struct.unpack(f"!{n}I", b[2 : 2 + 4 * n])
        )
    if t == "C":
        return "CommandComplete " + b[:-1].decode()
    if t == "Z":
        return "ReadyForQuery " + b.decode()
    if t in ("G", "H"):
        fmt, n = struct.unpack("!bh", b[:3])
        kind = "CopyInResponse" if t == "G" else "CopyOutResponse"
        return f"{kind} {fmt} " + " ".join(str(x) for x in struct.unpack(f"!{n}h", b[3 : 3 + 2 * n]))
    if t == "d":
        return "CopyData " + repr(b.decode(errors="replace"))
    if t == "S":
        return "ParameterStatus " + " ".join(x.decode() for x in b.split(b"\0")[:2])
    names = {"1": "ParseComplete", "2": "BindComplete", "3": "CloseComplete", "n": "NoData",
             "s": "PortalSuspended", "I": "EmptyQueryResponse", "c": "CopyDone"}
    return names.get(t, f"message {t!r} {b!r}")


BINARY = False
CONN = None


def parse(name, sql, types=()):
    CONN.queue("P", cstr(name) + cstr(sql) + struct.pack("!h", len(types))
               + b"".join(struct.pack("!I", x) for x in types))


def bind(portal, stmt, params=(), param_formats=(), result_formats=()):
    body = cstr(portal) + cstr(stmt) + struct.pack("!h", len(param_formats))
    body += b"".join(struct.pack("!h", f) for f in param_formats)
    body += struct.pack("!h", len(params))
    for p in params:
        if p is None:
            body += struct.pack("!i", -1)
        else:
            if isinstance(p, str):
                p = p.encode()
            body += struct.pack("!i", len(p)) + p
    body += struct.pack("!h", len(result_formats))
    body += b"".join(struct.pack("!h", f) for f in result_formats)
    CONN.queue("B", body)


def describe(kind, name):
    CONN.queue("D", kind.encode() + cstr(name))


def execute(portal, max_rows=0):
    CONN.queue("E", cstr(portal) + struct.pack("!i", max_rows))


def close(kind, name):
    CONN.queue("C", kind.encode() + cstr(name))


def sync():
    CONN.queue("S", b"")


def flush():
    CONN.queue("H", b"")


def query(sql):
    CONN.queue("Q", cstr(sql))


def copy_data(data):
    CONN.queue("d", data.encode() if isinstance(data, str) else data)


def copy_done():
    CONN.queue("c", b"")


def copy_fail(msg):
    CONN.queue("f", cstr(msg))


def raw(t, body):
    CONN.queue(t, body)


def binary(on=True):
    global BINARY
    BINARY = on


def wait(count=1, until="Z"):
    """Sends what is queued; prints answers until `count` messages of type
    `until` (ReadyForQuery by default) have arrived."""
    CONN.sock.sendall(CONN.pending)
    CONN.pending = b""
    seen = 0
    while seen < count:
        t, b = CONN.read()
        if t is None:
            print("(connection closed)")
            return
        if t == "S":
            continue  # ParameterStatus differs between servers in value
        print(show(t, b))
        if t == until:
            seen += 1


def comment(text):
    print("--", text)


def main():
    global CONN
    ap = argparse.ArgumentParser()
    ap.add_argument("script")
    ap.add_argument("--unix")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--password", default="")
    args = ap.parse_args()
    CONN = Conn(args)
    code = open(args.script).read()
    exec(compile(code, args.script, "exec"), globals())
    CONN.queue("X", b"")
    CONN.sock.sendall(CONN.pending)


if __name__ == "__main__":
    main()
