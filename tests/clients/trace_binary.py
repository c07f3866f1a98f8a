# Binary result and parameter formats for every supported type (run by
# wire_trace.py; expected output: trace_binary.expected, from PostgreSQL 15).
VALUES = [
    ("bool", "true"), ("int2", "-2"), ("int4", "-123456"), ("int8", "9223372036854775807"),
    ("float4", "1.5"), ("float8", "-0.1"), ("numeric", "12345.678"), ("numeric", "-0.00012"),
    ("numeric", "NaN"), ("text", "héllo"), ("varchar", "abc"), ("bpchar", "ab"),
    ("name", "nm"), ("bytea", "\\x00ff"), ("date", "2024-02-29"), ("time", "13:45:06.789"),
    ("timestamp", "2024-02-29 13:45:06.789"), ("timestamptz", "1999-12-31 23:59:59+00"),
    ("interval", "1 year 2 mons 3 days 04:05:06.5"),
    ("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), ("json", '{"b":1}'),
    ("jsonb", '{"b": 1, "a": [true, null]}'),
]
query("set timezone = 'UTC'")
wait()
comment("binary results of text literals")
binary(True)
for typ, val in VALUES:
    parse("", "select '%s'::%s as v" % (val.replace("'", "''"), typ))
    bind("", "", [], [], [1])
    execute("")
sync()
wait()
comment("text parameter in, binary out; then the binary value back in, text out")
import struct
for typ, val in VALUES:
    parse("", "select $1::%s as v" % typ)
    bind("", "", [val], [0], [1])
    execute("")
sync()
wait()
binary(False)
for typ, val in VALUES:
    # Round trip: ask for binary, feed the bytes back as a binary parameter.
    parse("rt", "select $1::%s as v" % typ)
    bind("", "rt", [val], [0], [1])
    execute("")
    sync()
    CONN.sock.sendall(CONN.pending)
    CONN.pending = b""
    data = None
    while True:
        t, b = CONN.read()
        if t == "D":
            ln = struct.unpack("!i", b[2:6])[0]
            data = b[6:6 + ln]
        if t == "Z":
            break
    bind("", "rt", [data], [1], [0])
    execute("")
    close("S", "rt")
    sync()
    wait()
comment("binary parameter errors")
parse("", "select $1::int4")
bind("", "", [b"\x00\x00\x00\x01\x02"], [1])
sync()
parse("", "select $1::numeric")
bind("", "", [b"\x00\x01\x00\x00\x00\x00\x00\x00\x27\x10"], [1])
sync()
parse("", "select $1::date")
bind("", "", [b"\x7f\xff\xff\xfe"], [1])
sync()
parse("", "select $1::int4")
bind("", "", [b"\x00\x00\x00\x01"], [2])
sync()
wait(4)
