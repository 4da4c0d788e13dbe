# Sourced by the load benchmarks: starts one heluo-server (gRPC only, loopback, bundled data in a fresh data
# directory under $WORK) per build directory given, waits until each listens, and fills PIDS and ADDRS;
# stops them and removes $WORK on exit. Needs WORK set.
PIDS=()
ADDRS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$WORK"' EXIT
start_servers() {
  local n=0 dir
  for dir in "$@"; do
    "$dir/heluo-server" --data-dir "$WORK/data$n" --listen 127.0.0.1:0 --http-listen off >"$WORK/server$n.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 600); do grep -qs "listening on" "$WORK/server$n.log" && break; sleep 0.1; done
    ADDRS+=("$(grep -o '127\.0\.0\.1:[0-9]*' "$WORK/server$n.log" | head -1)")
    n=$((n + 1))
  done
}
