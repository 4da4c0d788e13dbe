#!/usr/bin/env bash
# Benchmark (outside CI; loopback only): replication lag and read throughput (docs/replication.md, issue 16).
# Starts a real nats-server -js, a primary heluo-server (--nats) and one replica (--replica-of), each with its
# own scratch data directory, then measures over the servers' HTTP API (persistent connections):
#   steady   lag of term upserts written to the primary at RATE per second for SECONDS: from the primary's
#            answer to the term being readable on the replica (a poller asks the replica for the oldest
#            term not seen yet, in a tight loop; commits apply in order, so one answer covers the earlier);
#   import   the same writer and poller while a TMX of IMPORT_PAIRS pairs is imported on the primary, plus
#            the import's own lag (its answer on the primary → its last pair readable on the replica);
#   reads    Glossary.LookupTerm over gRPC with two h2load processes for DURATION s: both at the primary
#            alone, then one at the primary and one at the replica, ROUNDS times alternating.
# The machine is shared and has 2 cores: primary, replica, nats-server, h2load and the poller all run on
# them, so the read figures show what a second process on the same cores buys (not what a second machine
# would), and the lag figures include the load of everything else.
# usage: [RATE=20] [SECONDS=30] [IMPORT_PAIRS=100000] [DURATION=10] [ROUNDS=3] tests/load/replication_bench.sh BUILD_DIR
# (needs: nats-server, nghttp2-client for h2load)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
RATE=${RATE:-20}
SECONDS_STEADY=${SECONDS:-30}
IMPORT_PAIRS=${IMPORT_PAIRS:-100000}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d)
PIDS=()
# KEEP=1 keeps the scratch directory (servers' logs) for a look afterwards.
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"' EXIT

/usr/sbin/nats-server -js -a 127.0.0.1 -p -1 -sd "$WORK/nats" -l "$WORK/nats.log" &
PIDS+=($!)
for _ in $(seq 200); do grep -qs "Listening for client connections" "$WORK/nats.log" && break; sleep 0.1; done
NATS="nats://$(grep -o 'client connections on 127\.0\.0\.1:[0-9]*' "$WORK/nats.log" | grep -o '127.*')"
TOKEN=bench-editor-token
echo "editor $("$BUILD/heluo-server" --hash-token "$TOKEN") bench" >"$WORK/tokens"

start() {  # name, extra args...
  local name=$1
  shift
  "$BUILD/heluo-server" --data-dir "$WORK/$name" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --token-file "$WORK/tokens" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1200); do grep -qs "listening on" "$WORK/$name.log" && break; sleep 0.1; done
}
start primary --nats "$NATS"
start replica --replica-of "$NATS"
line() { grep -m1 "listening on" "$WORK/$1.log"; }
P_GRPC=$(line primary | grep -o 'listening on 127\.0\.0\.1:[0-9]*' | grep -o '127.*')
R_GRPC=$(line replica | grep -o 'listening on 127\.0\.0\.1:[0-9]*' | grep -o '127.*')
P_HTTP=$(line primary | grep -o 'http://127\.0\.0\.1:[0-9]*')
R_HTTP=$(line replica | grep -o 'http://127\.0\.0\.1:[0-9]*')
echo "nats $NATS; primary $P_GRPC $P_HTTP; replica $R_GRPC $R_HTTP; $(nproc) cores, shared"
/usr/bin/python3 "$SRC/tests/bench/make_tmx.py" "$IMPORT_PAIRS" "$SRC/data/tm/yanshi-2021.jsonl" >"$WORK/import.tmx"

/usr/bin/python3 - "$P_HTTP" "$R_HTTP" "$TOKEN" "$RATE" "$SECONDS_STEADY" "$WORK/import.tmx" "$IMPORT_PAIRS" <<'PY'
import http.client, json, statistics, sys, threading, time, urllib.parse
primary, replica, token, rate, seconds, tmx, pairs = sys.argv[1:8]
rate, seconds, pairs = float(rate), float(seconds), int(pairs)
def conn(url): return http.client.HTTPConnection(urllib.parse.urlparse(url).netloc, timeout=600)
def get(c, path):
    c.request("GET", path); r = c.getresponse(); r.read(); return r.status
def wait_until_readable(c, path, limit=600):
    end = time.time() + limit
    while get(c, path) != 200:
        if time.time() > end: raise SystemExit("replica never showed " + path)
wait_until_readable(conn(replica), "/v1/terms/liuwen")  # The bundle arrived.

def run(tag, until):
    """Writes at `rate` while until() is false; returns after the poller has seen every write."""
    acks, seen, stop = {}, {}, threading.Event()
    def writer():
        c, i, t0 = conn(primary), 0, time.time()
        while not until():
            due = t0 + i / rate
            if due > time.time(): time.sleep(due - time.time())
            body = json.dumps({"zh": f"滞后测试{tag}{i}", "en": f"lag test {tag} {i}", "collection": "lag"})
            c.request("PUT", f"/v1/terms/lag-{tag}-{i}", body, {"Authorization": "Bearer " + token,
                                                              "Content-Type": "application/json"})
            r = c.getresponse(); r.read()
            if r.status != 200: raise SystemExit(f"write failed: {r.status}")
            acks[i] = time.time(); i += 1
        stop.set()
    def poller():
        c, i = conn(replica), 0
        while not (stop.is_set() and i >= len(acks)):
            if i not in acks: time.sleep(0.0005); continue
            if get(c, f"/v1/terms/lag-{tag}-{i}") == 200:
                seen[i] = time.time(); i += 1
    threads = [threading.Thread(target=writer), threading.Thread(target=poller)]
    for t in threads: t.start()
    for t in threads: t.join()
    lags = sorted(max(0.0, seen[i] - acks[i]) * 1000 for i in acks)
    q = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))]
    print(f"{tag}: {len(lags)} term upserts at {rate:g}/s: lag p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, "
          f"max {lags[-1]:.1f} ms", flush=True)

t0 = time.time()
run("steady", lambda: time.time() - t0 > seconds)

imported = threading.Event()
def import_tmx():
    c = conn(primary); body = open(tmx, "rb").read()
    t0 = time.time()
    c.request("POST", "/v1/tm:import", body, {"Authorization": "Bearer " + token, "Content-Type": "application/xml"})
    r = c.getresponse(); text = r.read()
    done = time.time()
    if r.status != 200: raise SystemExit(f"import failed: {r.status} {text[:300]}")
    wait_until_readable(conn(replica), f"/v1/segments/b{pairs - 1}")
    print(f"import: {pairs} pairs answered by the primary in {done - t0:.1f} s; its last pair readable on the "
          f"replica {time.time() - done:.1f} s after that", flush=True)
    imported.set()
t = threading.Thread(target=import_tmx)
t.start()
run("during-import", imported.is_set)
t.join()
PY

echo "reads: Glossary.LookupTerm 六稳, h2load -c 4 -m 16 -t 1, ${DURATION} s, ${ROUNDS} rounds"
/usr/bin/python3 -c 'import struct,sys; m="六稳".encode(); sys.stdout.buffer.write(b"\0"+struct.pack(">I",len(m)+2)+bytes([10,len(m)])+m)' >"$WORK/lookup.bin"
h2() { h2load -D "$DURATION" --warm-up-time=1 -c 4 -m 16 -t 1 -H 'content-type: application/grpc' -H 'te: trailers' \
  -d "$WORK/lookup.bin" "http://$1/heluo.v1.Glossary/LookupTerm" 2>&1 | grep -o 'finished in [^,]*, [0-9.]* req/s' |
  grep -o '[0-9.]* req/s' | cut -d' ' -f1; }
# Two h2load processes in both cases (one h2load thread tops out near this machine's single-server rate, so
# one client against one server would understate the single server): both at the primary, then one at the
# primary and one at the replica.
pair() {
  h2 "$1" >"$WORK/a.txt" &
  local a=$!
  h2 "$2" >"$WORK/b.txt"
  wait $a
  echo "$(cat "$WORK/a.txt") $(cat "$WORK/b.txt")"
}
for round in $(seq "$ROUNDS"); do
  read -r a1 a2 <<<"$(pair "$P_GRPC" "$P_GRPC")"
  read -r b1 b2 <<<"$(pair "$P_GRPC" "$R_GRPC")"
  echo "round $round: primary alone $a1 + $a2 = $(echo "$a1 + $a2" | bc) req/s; primary + replica $b1 + $b2 = $(echo "$b1 + $b2" | bc) req/s"
done
