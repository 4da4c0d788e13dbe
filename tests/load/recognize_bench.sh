#!/usr/bin/env bash
# Benchmark (outside CI; loopback only): Glossary.RecognizeTerms through gRPC against a separate
# heluo-server process, so that the server's CPU per MB of text is measured apart from the client's. For
# each server binary directory given (e.g. a build of main and a build of this branch, in the same
# sitting) starts heluo-server on the bundled data, then in ROUNDS alternating rounds runs CLIENT's
# matching_bench GrpcRecognize benchmarks (FILTER, a --benchmark_filter regex; default: the compact and
# packed forms, whole document and one segment per call, 1 to 4 calls in flight) against it with
# --recognize_server_pid, which adds server_cpu_us_per_mb. Client and server share this machine's cores.
# A server that does not know `packed` ignores it and answers in the message form: give such a build
# FILTER without "packed" (FILTER_<n>, n its position among the directories, overrides FILTER).
# usage: [FILTER=regex] [FILTER_0=regex] [REPS=3] tests/load/recognize_bench.sh CLIENT_BUILD ROUNDS SERVER_DIR...
set -euo pipefail
CLIENT=$1
ROUNDS=$2
shift 2
FILTER=${FILTER:-'GrpcRecognize/(whole_report|document|segment)/(compact|packed)'}
REPS=${REPS:-3}
WORK=$(mktemp -d)
source "$(dirname "$0")/servers.sh"
start_servers "$@"
for round in $(seq "$ROUNDS"); do
  for n in "${!PIDS[@]}"; do
    filter_var="FILTER_$n"
    echo "== round $round: ${*:$((n + 1)):1} (pid ${PIDS[$n]}, ${ADDRS[$n]})"
    "$CLIENT/matching_bench" --segments= --recognize_server="${ADDRS[$n]}" --recognize_server_pid="${PIDS[$n]}" \
      --benchmark_filter="${!filter_var:-$FILTER}" --benchmark_repetitions="$REPS" --benchmark_report_aggregates_only=true 2>&1 |
      grep -E '_median|_mean' | grep -v '_mean' || true
  done
done
