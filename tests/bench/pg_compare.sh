#!/usr/bin/env bash
# heluo against PostgreSQL 15 pg_trgm (issues 18 and 19; outside CI, loopback only). Starts its own scratch
# PostgreSQL cluster (initdb + pg_ctl in a temporary directory, as the `postgres` user because initdb refuses
# root, on a free 127.0.0.1 port), and removes it at the end.
#
#   lookup: for each size N and both corpora of matching_bench (the same segments and queries: written by
#     `matching_bench --dump`), loads them into a table with a GIN gin_trgm_ops index and runs every query
#     as Weblate and Tolgee do (`source % q ORDER BY similarity(source, q) DESC LIMIT 50` under
#     pg_trgm.similarity_threshold 0.3 and 0.7), one at a time over loopback TCP; recall against heluo's
#     brute-force answer at min_score 70 (`matching_bench --answers`, which also checks the index against
#     it). PASSES passes, alternating: PostgreSQL 0.3, PostgreSQL 0.7, then matching_bench's heluo, brute
#     force and gRPC lookups for the same size and corpus.
#   import: for each size N, PASSES passes alternating `tests/bench/import_bench.sh BUILD N` (heluo import of
#     make_tmx.py's TMX) and COPY + CREATE INDEX of the same pairs (make_tmx.py --tsv) into PostgreSQL.
#
# usage: tests/bench/pg_compare.sh BUILD_DIR RESULTS_DIR lookup|import N [N ...]
#   e.g. tests/bench/pg_compare.sh build /tmp/pgc lookup 10000 100000 1000000
#        tests/bench/pg_compare.sh build /tmp/pgc import 10000 100000 1000000
#        /usr/bin/python3 tests/bench/pg_compare.py summarize /tmp/pgc; tools/plot_pg_compare.sh docs/images /tmp/pgc
# Needs postgresql-15, postgresql-contrib (pg_trgm) and python3-psycopg2: tools/build.sh --bench-deps.
# Environment: SHAPE (import only: sentences, the default, or clauses: make_tmx.py's two shapes), PASSES (3), PG_SHARED_BUFFERS (1GB), PG_MAINTENANCE_WORK_MEM (1GB); PG_ONLY=1 runs only the
# PostgreSQL side of lookup (when heluo's store of that size is not built yet: its answers and timings are
# added later by `matching_bench --answers` and the same --benchmark_filter, and summarize joins them).
set -euo pipefail
BUILD=$(cd "$1" && pwd)
RESULTS=$(mkdir -p "$2" && cd "$2" && pwd)
MODE=$3
shift 3
HERE=$(cd "$(dirname "$0")" && pwd)
PASSES=${PASSES:-3}
SHAPE=${SHAPE:-sentences}
PY=/usr/bin/python3
PGBIN=/usr/lib/postgresql/15/bin
PGUSER_OS=postgres
SCRATCH=$(mktemp -d /tmp/compare-pg.XXXXXX)
chmod 755 "$SCRATCH"
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DSN="host=127.0.0.1 port=$PORT dbname=postgres user=postgres"

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi; }
stop_pg() {
  as_pg "$PGBIN/pg_ctl" -D "$SCRATCH/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$SCRATCH"
}
trap stop_pg EXIT

[ "$(id -u)" -eq 0 ] && chown "$PGUSER_OS" "$SCRATCH"
as_pg "$PGBIN/initdb" -D "$SCRATCH/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$SCRATCH/initdb.log"
# A scratch cluster tuned as an operator would for this job: the table and index in shared buffers, enough
# maintenance memory for the GIN build, no JIT for short lookups; durability left on (heluo's commits are).
cat >>"$SCRATCH/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SCRATCH'
shared_buffers = ${PG_SHARED_BUFFERS:-1GB}
maintenance_work_mem = ${PG_MAINTENANCE_WORK_MEM:-1GB}
max_wal_size = 8GB
jit = off
EOF
as_pg "$PGBIN/pg_ctl" -D "$SCRATCH/data" -l "$SCRATCH/server.log" -w start >/dev/null
echo "PostgreSQL $(as_pg "$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, data in $SCRATCH" >&2
{ echo "# $(date -u +%FT%TZ) $MODE $* passes=$PASSES heluo $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null)";
  echo "# $(uptime)"; } >>"$RESULTS/sittings.log"

case "$MODE" in
  lookup)
    for N in "$@"; do
      # The corpora, queries and brute-force answers are written once per size (kept in RESULTS).
      [ -f "$RESULTS/near_dup_$N.queries.tsv" ] || "$BUILD/matching_bench" --segments="$N" --dump="$RESULTS"
      if [ "${PG_ONLY:-0}" != 1 ] && [ ! -f "$RESULTS/near_dup_$N.answers.tsv" ]; then
        "$BUILD/matching_bench" --segments="$N" --answers="$RESULTS" 2>&1 | tee -a "$RESULTS/answers.log"
      fi
    done
    for N in "$@"; do
      for corpus in synthetic near_dup; do
        name=${corpus}_$N
        $PY "$HERE/pg_compare.py" load "$DSN" "tm_$name" "$RESULTS/$name.corpus.tsv" | tee -a "$RESULTS/load.jsonl"
        for pass in $(seq "$PASSES"); do
          for t in 0.3 0.7; do
            $PY "$HERE/pg_compare.py" lookup "$DSN" "tm_$name" "$RESULTS/$name.queries.tsv" \
              "$RESULTS/$name.pg_trgm_$t.ids.tsv" "$t" "$pass" "$name" | tee -a "$RESULTS/lookup.jsonl"
          done
          [ "${PG_ONLY:-0}" = 1 ] ||
          "$BUILD/matching_bench" --segments="$N" \
            --benchmark_filter="^(FuzzyLookup/$corpus/(indexed|brute_force_memory)|GrpcLookup/$corpus/loopback)/$N/" \
            --benchmark_out="$RESULTS/bench-$name-pass$pass.json" --benchmark_out_format=json >/dev/null
        done
        $PY "$HERE/pg_compare.py" drop "$DSN" "tm_$name"
      done
    done
    ;;
  import)
    SUFFIX=$([ "$SHAPE" = sentences ] || echo "-$SHAPE")
    for N in "$@"; do
      TSV="$RESULTS/tm-$N$SUFFIX.tsv"
      [ -f "$TSV" ] || $PY "$HERE/make_tmx.py" --tsv --shape="$SHAPE" "$N" "$HERE/../../data/tm/yanshi-2021.jsonl" >"$TSV"
      for pass in $(seq "$PASSES"); do
        SHAPE=$SHAPE WORK="$RESULTS" "$HERE/import_bench.sh" "$BUILD" "$N" | tail -1 | tee -a "$RESULTS/import-heluo.txt"
        $PY "$HERE/pg_compare.py" load "$DSN" "import_$N" "$TSV" "$SHAPE" | tee -a "$RESULTS/import-pg.jsonl"
        $PY "$HERE/pg_compare.py" drop "$DSN" "import_$N"
      done
    done
    ;;
  *) echo "unknown mode $MODE (lookup or import)" >&2; exit 2 ;;
esac
