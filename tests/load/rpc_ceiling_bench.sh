#!/usr/bin/env bash
# Benchmark (outside CI; loopback only): the unary RPC ceiling against the hot read methods. For each server
# binary directory given (e.g. a build of main and a build of this branch, measured in the same sitting),
# starts heluo-server on the bundled data and drives, with h2load (h2c, CONNECTIONS connections × STREAMS
# concurrent streams, one h2load thread), in ROUNDS alternating rounds of DURATION seconds:
#   empty    grpc.health.v1.Health/Check (gRPC's own callback-API service: the empty-RPC ceiling of this
#            server, with heluo's interceptor on it like every call)
#   lookup   Glossary.LookupTerm 六稳
#   recog    Glossary.RecognizeTerms on one report sentence
#   tm       TranslationMemory.Lookup (min_score 70 on one report sentence)
# and prints req/s, the share of the empty-RPC rate, and the server's CPU time per call (user+system from
# /proc/PID/stat over the run, all threads, divided by the calls h2load completed).
# usage: [KINDS="empty lookup"] [CONNECTIONS=4] [STREAMS=16] tests/load/rpc_ceiling_bench.sh DURATION ROUNDS SERVER_DIR...
# (needs: apt-get install nghttp2-client)
set -euo pipefail
DURATION=$1
ROUNDS=$2
shift 2
DIRS=("$@")
CONNECTIONS=${CONNECTIONS:-4}
STREAMS=${STREAMS:-16}
WORK=$(mktemp -d)
source "$(dirname "$0")/servers.sh"
start_servers "$@"
/usr/bin/python3 - "$WORK" <<'PY'
import struct, sys
def frame(msg): return b"\0" + struct.pack(">I", len(msg)) + msg
def string_field(num, s):
    b = s.encode()
    return bytes([num << 3 | 2, len(b)]) + b if len(b) < 128 else bytes([num << 3 | 2, len(b) & 0x7F | 0x80, len(b) >> 7]) + b
sentence = "深化提升“9+2”工作布局，扎实做好“六稳”工作，全面落实“六保”任务，推动高质量发展。"
open(sys.argv[1] + "/empty.bin", "wb").write(frame(b""))
open(sys.argv[1] + "/lookup.bin", "wb").write(frame(string_field(1, "六稳")))
open(sys.argv[1] + "/recog.bin", "wb").write(frame(string_field(1, sentence)))
open(sys.argv[1] + "/tm.bin", "wb").write(frame(string_field(1, sentence) + bytes([2 << 3, 5, 6 << 3, 70])))  # max_results 5, min_score 70
PY
declare -A URL=([empty]=grpc.health.v1.Health/Check [lookup]=heluo.v1.Glossary/LookupTerm
                [recog]=heluo.v1.Glossary/RecognizeTerms [tm]=heluo.v1.TranslationMemory/Lookup)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
for round in $(seq "$ROUNDS"); do
  for n in "${!PIDS[@]}"; do
    empty_rate=""
    for kind in ${KINDS:-empty lookup recog tm}; do
      before=$(cpu_ticks "${PIDS[$n]}")
      h2load -D "$DURATION" --warm-up-time=1 -c "$CONNECTIONS" -m "$STREAMS" -t 1 -H 'content-type: application/grpc' \
        -H 'te: trailers' -d "$WORK/$kind.bin" "http://${ADDRS[$n]}/${URL[$kind]}" >"$WORK/h2.txt" 2>&1
      after=$(cpu_ticks "${PIDS[$n]}")
      rate=$(grep -o 'finished in [^,]*, [0-9.]* req/s' "$WORK/h2.txt" | grep -o '[0-9.]* req/s' | cut -d' ' -f1)
      done_calls=$(grep -o '[0-9]* succeeded' "$WORK/h2.txt" | head -1 | cut -d' ' -f1)
      [ "$kind" = empty ] && empty_rate=$rate
      /usr/bin/python3 -c "
import sys
r, e, c, t = float('$rate'), float('$empty_rate'), max(1, int('$done_calls')), ($after - $before) / $TICK
print('round $round  %-28s %-6s %9.0f req/s  %5.1f%% of empty  %6.1f us CPU/call  (%d calls)' % ('${DIRS[$n]}', '$kind', r, 100 * r / e, 1e6 * t / c, c))"
    done
  done
done
echo "== per-method errors seen by each server (Admin.Stats)"
for n in "${!PIDS[@]}"; do
  echo "-- ${DIRS[$n]}"
  "${DIRS[$n]}/heluo" --server "${ADDRS[$n]}" stats | sed -n '/calls/,$p' || true
done
