#!/usr/bin/env bash
# Import benchmark (outside CI; loopback only): for each size N, a generated TMX of N pairs is imported with
# `heluo import` into a fresh server. Prints pairs/s; the server's peak anonymous memory above idle (RssAnon
# sampled every 0.1 s: the heap, LMDB's dirty pages of a write transaction, the import's queues) and its
# peak RSS above idle (VmHWM: also counts the pages of the memory-mapped data file the process touched, which
# are page cache the kernel can drop); the data file size; and, with READERS=1, the server's own Lookup p50/p99 (Admin.Stats)
# under a steady h2load of lookups during the import next to the same load without an import.
# usage: tests/bench/import_bench.sh BUILD_DIR N [N ...]      e.g. build-release 100000 1000000
# SHAPE=sentences (default: make_tmx.py's heavy pairs, ~820 B of TMX each) or SHAPE=clauses (issue-shaped,
# ~250 B each: the issue's 25 MB per 100k pairs); the shape is printed in each row.
# VIA=http uploads the file as the HTTP face's clients do (curl --data-binary to POST /v1/tm:import) instead of
# `heluo import` over gRPC; the via is printed in each row.
# (READERS=1 needs nghttp2-client: apt-get install nghttp2-client)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
shift
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$(mktemp -d /tmp/heluo-import-bench.XXXXXX)}
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK/data"' EXIT
TOKEN=bench-$RANDOM
echo "editor $("$BUILD/heluo-server" --hash-token "$TOKEN") bench" >"$WORK/tokens"

start_server() {
  # The old log goes first: the background server truncates it only once it runs, and until then the wait
  # below would read the previous server's address.
  rm -rf "$WORK/data" "$WORK/server.log"
  "$BUILD/heluo-server" --data-dir "$WORK/data" --listen 127.0.0.1:0 --token-file "$WORK/tokens" \
    --max-import-mib 65536 --http-listen "$([ "$VIA" = http ] && echo 127.0.0.1:0 || echo off)" \
    >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 300); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.1; done
  ADDR=$(grep -o '127\.0\.0\.1:[0-9]*' "$WORK/server.log" | head -1)
  HTTP=$(grep -o 'HTTP on http://127\.0\.0\.1:[0-9]*' "$WORK/server.log" | head -1 | sed 's/HTTP on //' || true)
}
stop_server() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$PID/status"; }
lookup_p() {  # Lookup's p50 and p99 (µs) from Admin.Stats.
  "$BUILD/heluo" --server "$ADDR" --json stats |
    /usr/bin/python3 -c 'import json,sys
for m in json.load(sys.stdin).get("methods", []):
    if m["method"].endswith("/Lookup"): print(m.get("p50_us"), m.get("p99_us"), m.get("calls"))'
}
/usr/bin/python3 - "$WORK/lookup.bin" <<'PY'
import struct, sys
text = "新增专利230件，增长60.5%，扎实做好“六稳”工作。".encode()
msg = bytes([1 << 3 | 2, len(text)]) + text + bytes([2 << 3, 5])
open(sys.argv[1], "wb").write(b"\0" + struct.pack(">I", len(msg)) + msg)
PY
# Lookups at a steady 200/s over 2 connections for $1 seconds, in the background; H2 is its pid.
h2_lookups() {
  h2load -D "$1" -c 2 --rps 100 -H 'content-type: application/grpc' -H 'te: trailers' -d "$WORK/lookup.bin" \
    "http://$ADDR/heluo.v1.TranslationMemory/Lookup" >"$WORK/h2.txt" 2>&1 &
  H2=$!
}

SHAPE=${SHAPE:-sentences}
VIA=${VIA:-grpc}
SUFFIX=$([ "$SHAPE" = sentences ] || echo "-$SHAPE")  # The heavy shape keeps its old file names.
printf '%-9s %-14s %-6s %-8s %-9s %-7s %-10s %-10s %-8s %s\n' pairs shape MB seconds pairs/s "cpu s" "anon+MB" "RSS+MB" "data MB" "lookup p50/p99 µs (idle → importing)"
for N in "$@"; do
  TMX="$WORK/tm-$N$SUFFIX.tmx"
  [ -f "$TMX" ] ||
    /usr/bin/python3 "$HERE/make_tmx.py" --shape="$SHAPE" "$N" "$HERE/../../data/tm/yanshi-2021.jsonl" >"$TMX"
  start_server
  idle=$(kib VmRSS)
  latency=""
  if [ "${READERS:-0}" = 1 ]; then
    h2_lookups 15
    wait $H2 || true
    latency="$(lookup_p | awk '{print $1 "/" $2}') →"
    stop_server
    start_server
    idle=$(kib VmRSS)
    h2_lookups 100000
  fi
  idle_anon=$(kib RssAnon)
  (peak=0; while kill -0 "$PID" 2>/dev/null; do
     a=$(awk '$1 == "RssAnon:" {print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
     [ "${a:-0}" -gt "$peak" ] && peak=$a && echo "$peak" >"$WORK/anon_peak"
     sleep 0.1
   done) &
  SAMPLER=$!
  t0=$(date +%s.%N)
  if [ "$VIA" = http ]; then
    curl -fsS -H "Authorization: Bearer $TOKEN" --data-binary @"$TMX" "$HTTP/v1/tm:import?collection=bench" \
      >"$WORK/import.json"
  else
    "$BUILD/heluo" --server "$ADDR" --token "$TOKEN" --json import "$TMX" --collection bench >"$WORK/import.json"
  fi
  t1=$(date +%s.%N)
  if [ "${READERS:-0}" = 1 ]; then
    kill $H2 2>/dev/null || true
    wait $H2 2>/dev/null || true
    latency="$latency $(lookup_p | awk '{print $1 "/" $2 " (" $3 " calls)"}')"
  fi
  peak=$(kib VmHWM)
  # The server's CPU time (user + system, all threads) over its life: the import's cost, valid under load.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$PID/stat")
  stop_server
  wait $SAMPLER 2>/dev/null || true
  created=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("created", 0))' "$WORK/import.json")
  [ "$created" = "$N" ] || { echo "import of $N created $created"; cat "$WORK/import.json"; exit 1; }
  awk -v n="$N" -v t0="$t0" -v t1="$t1" -v peak="$peak" -v idle="$idle" -v mb="$(stat -c %s "$TMX")" \
      -v anon="$(cat "$WORK/anon_peak")" -v idle_anon="$idle_anon" \
      -v data="$(stat -c %s "$WORK/data/data.mdb")" -v lat="$latency" -v shape="$SHAPE/$VIA" -v cpu="$cpu" \
      'BEGIN { s = t1 - t0; printf "%-9d %-14s %-6.0f %-8.1f %-9.0f %-7.1f %-10.0f %-10.0f %-8.0f %s\n", n, shape, mb / 1048576, s, n / s, cpu, (anon - idle_anon) / 1024, (peak - idle) / 1024, data / 1048576, lat }'
done
