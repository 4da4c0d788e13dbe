#!/usr/bin/env bash
# Load test (outside CI; loopback only): DURATION seconds of Lookup and RecognizeTerms at the highest rate
# h2load can drive (gRPC over h2c), while a TMX import of IMPORT_FILE runs. Prints h2load's rates and
# failures, and the server's own per-method p50/p99 from Admin.Stats.
# usage: tests/load/load_test.sh BUILD_DIR IMPORT_FILE [DURATION]     (needs: apt-get install nghttp2-client)
set -euo pipefail
BUILD=$1
IMPORT=$2
DURATION=${3:-60}
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
TOKEN=load-$RANDOM
echo "editor $("$BUILD/heluo-server" --hash-token "$TOKEN") load" >"$WORK/tokens"
"$BUILD/heluo-server" --data-dir "$WORK/data" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 --token-file "$WORK/tokens" \
  --max-import-mib 4096 >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.1; done
ADDR=$(grep -o '127\.0\.0\.1:[0-9]*' "$WORK/server.log" | head -1)
# gRPC frames: 1 byte compression flag, 4 bytes big-endian length, then the protobuf message.
/usr/bin/python3 - "$WORK" <<'PY'
import struct, sys
def frame(msg): return b"\0" + struct.pack(">I", len(msg)) + msg
def string_field(num, s):
    b = s.encode()
    return bytes([num << 3 | 2, len(b)]) + b if len(b) < 128 else bytes([num << 3 | 2, len(b) & 0x7F | 0x80, len(b) >> 7]) + b
lookup = string_field(1, "新增专利230件，增长60.5%，扎实做好“六稳”工作。") + bytes([2 << 3, 5])
recognize = string_field(1, "深化提升“9+2”工作布局，扎实做好“六稳”工作，全面落实“六保”任务，推动高质量发展。")
open(sys.argv[1] + "/lookup.bin", "wb").write(frame(lookup))
open(sys.argv[1] + "/recognize.bin", "wb").write(frame(recognize))
PY
H=(-H 'content-type: application/grpc' -H 'te: trailers')
"$BUILD/heluo" --server "$ADDR" --token "$TOKEN" --timeout-ms 3600000 import "$IMPORT" >"$WORK/import.log" 2>&1 &
IMPORT_PID=$!
h2load -D "$DURATION" -c 4 -m 10 -t 1 "${H[@]}" -d "$WORK/lookup.bin" "http://$ADDR/heluo.v1.TranslationMemory/Lookup" >"$WORK/h2-lookup.txt" 2>&1 &
h2load -D "$DURATION" -c 4 -m 10 -t 1 "${H[@]}" -d "$WORK/recognize.bin" "http://$ADDR/heluo.v1.Glossary/RecognizeTerms" >"$WORK/h2-recognize.txt" 2>&1
wait %2 2>/dev/null || true
for f in lookup recognize; do
  echo "== $f"
  grep -E "finished in|requests:|status codes:" "$WORK/h2-$f.txt"
done
wait $IMPORT_PID || true
echo "== import (ran concurrently)"
tail -2 "$WORK/import.log"
echo "== server's own latency figures (Admin.Stats)"
"$BUILD/heluo" --server "$ADDR" stats | sed -n '/calls/,$p'
echo "== server errors by method and code (from its warn lines; 1 = CANCELLED, e.g. calls h2load abandoned at the end)"
grep -o 'call method=[^ ]* code=[A-Z_]*' "$WORK/server.log" | sort | uniq -c || echo "  none"
