#!/usr/bin/env bash
# Benchmark (outside CI; loopback only): Glossary.LookupTerm over HTTP/1.1 + JSON (GET /v1/terms:lookup,
# keep-alive) against the same method over gRPC (h2c), both driven by h2load with CONNECTIONS connections
# and one request in flight per connection, in ROUNDS alternating rounds of DURATION seconds. Prints each
# round's rate and the p50/p99 latency from h2load's per-request log, and the server's CPU time per request
# (user + system from /proc/PID/stat over the round): on a shared machine the rates move with the load, the
# CPU per request much less, so it is the figure to compare two builds by (it includes the 1 s warm-up's requests, which are not
# logged: it overstates both faces alike by up to 1/DURATION).
# usage: tests/load/http_vs_grpc_bench.sh BUILD_DIR [DURATION] [CONNECTIONS] [ROUNDS]   (needs nghttp2-client)
set -euo pipefail
BUILD=$1
DURATION=${2:-10}
CONNECTIONS=${3:-16}
ROUNDS=${4:-3}
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
"$BUILD/heluo-server" --data-dir "$WORK/data" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.1; done
GRPC=$(grep -o '127\.0\.0\.1:[0-9]*' "$WORK/server.log" | head -1)
HTTP=$(grep -o 'HTTP on http://127\.0\.0\.1:[0-9]*' "$WORK/server.log" | sed 's/^HTTP on //')
/usr/bin/python3 - "$WORK" <<'PY'
import struct, sys
text = "六稳".encode()
msg = bytes([1 << 3 | 2, len(text)]) + text  # LookupTermRequest.text
open(sys.argv[1] + "/lookup_term.bin", "wb").write(b"\0" + struct.pack(">I", len(msg)) + msg)
PY
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }  # utime + stime of the server, in clock ticks
summary() {  # summary NAME H2LOAD_OUTPUT LOG CPU_TICKS: rate, p50, p99 (ms) of the 200/OK requests, CPU µs each
  local rate
  rate=$(grep -o 'finished in [^,]*, [0-9.]* req/s' "$2" | grep -o '[0-9.]* req/s')
  /usr/bin/python3 - "$1" "$rate" "$3" "$4" "$(getconf CLK_TCK)" <<'PY'
import sys
name, rate, log, ticks, hz = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
lat = sorted(int(l.split("\t")[2]) for l in open(log) if l.split("\t")[1] == "200")
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
print("%-5s %12s  p50 %.2f ms  p99 %.2f ms  server CPU %.0f us/request  (%d requests)" %
      (name, rate, p(0.5), p(0.99), ticks * 1e6 / hz / max(1, len(lat)), len(lat)))
PY
}
COMMON=(-D "$DURATION" -c "$CONNECTIONS" -m 1 -t 1 --warm-up-time=1)
for round in $(seq "$ROUNDS"); do
  echo "== round $round"
  rm -f "$WORK/http.log" "$WORK/grpc.log"  # h2load appends to its log file.
  before=$(cpu_ticks)
  h2load "${COMMON[@]}" --h1 --log-file="$WORK/http.log" \
    "$HTTP/v1/terms:lookup?text=%E5%85%AD%E7%A8%B3" >"$WORK/http.txt" 2>&1
  summary http "$WORK/http.txt" "$WORK/http.log" $(($(cpu_ticks) - before))
  before=$(cpu_ticks)
  h2load "${COMMON[@]}" -H 'content-type: application/grpc' -H 'te: trailers' -d "$WORK/lookup_term.bin" \
    --log-file="$WORK/grpc.log" "http://$GRPC/heluo.v1.Glossary/LookupTerm" >"$WORK/grpc.txt" 2>&1
  summary grpc "$WORK/grpc.txt" "$WORK/grpc.log" $(($(cpu_ticks) - before))
done
echo "== status codes (last round)"
grep "status codes" "$WORK/http.txt" "$WORK/grpc.txt"
