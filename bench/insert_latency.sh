#!/usr/bin/env bash
# Single-row autocommit INSERT: latency and throughput at 1, 4 and 16
# clients, Borealis (release build) against PostgreSQL 15 (fsync on,
# synchronous_commit on) on the same machine, with pgbench and the same
# script (bench/insert.sql).  Prints a table of ratios; asserts nothing.
#   bench/insert_latency.sh [SECONDS_PER_RUN]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
make -s release >/dev/null
tmp=$(mktemp -d /tmp/borealis-bench.XXXXXX)
chmod 755 "$tmp"
cleanup() {
  [ -n "${bpid:-}" ] && kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null
  [ -d "$tmp/pg" ] && su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $tmp/pg -m fast stop" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

# Borealis
build/borealis start --data "$tmp/borealis" --listen 127.0.0.1:0 >"$tmp/b.out" 2>"$tmp/b.err" &
bpid=$!
for _ in $(seq 100); do [ -f "$tmp/borealis/endpoint" ] && break; sleep 0.1; done
bport=$(sed -n 's/^port=//p' "$tmp/borealis/endpoint")
btoken=$(build/borealis token --admin --data "$tmp/borealis" --expires-in 3600)
bconn="host=127.0.0.1 port=$bport user=admin dbname=postgres sslmode=require"
PGPASSWORD=$btoken psql -X -q "$bconn" -c "CREATE TABLE bench_insert (id bigint PRIMARY KEY, v text)"

# PostgreSQL 15, defaults (fsync on, synchronous_commit on), TLS as well.
mkdir -p "$tmp/pg" && chown postgres "$tmp/pg"
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $tmp/pg -U postgres -A trust" >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=localhost -keyout "$tmp/pg/server.key" -out "$tmp/pg/server.crt" 2>/dev/null
chown postgres "$tmp/pg/server.key" "$tmp/pg/server.crt"; chmod 600 "$tmp/pg/server.key"
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $tmp/pg -o '-p 55499 -k $tmp/pg -c ssl=on -c max_connections=50' -l $tmp/pg/server.log start" >/dev/null
pconn="host=127.0.0.1 port=55499 user=postgres dbname=postgres sslmode=require"
psql -X -q "$pconn" -c "CREATE TABLE bench_insert (id bigint PRIMARY KEY, v text)"

run() { # conn password clients → "tps latency_ms"
  local out
  out=$(PGPASSWORD=$2 pgbench -n -M simple -c "$3" -j "$(( $3 < 2 ? 1 : 2 ))" -T "$secs" \
        -f bench/insert.sql "$1" 2>&1) || { echo "pgbench failed: $out" >&2; echo "0 0"; return; }
  local tps lat
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
  lat=$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
  echo "$tps $lat"
}

printf '| clients | Borealis tps | PostgreSQL tps | tps ratio | Borealis latency ms | PostgreSQL latency ms | latency ratio |\n'
printf '|---|---|---|---|---|---|---|\n'
for c in 1 4 16; do
  read -r btps blat < <(run "$bconn" "$btoken" "$c")
  read -r ptps plat < <(run "$pconn" "" "$c")
  awk -v c="$c" -v bt="$btps" -v pt="$ptps" -v bl="$blat" -v pl="$plat" 'BEGIN {
    printf "| %d | %.0f | %.0f | %.2f | %.3f | %.3f | %.2f |\n", c, bt, pt, (pt > 0 ? bt / pt : 0), bl, pl, (pl > 0 ? bl / pl : 0) }'
done
