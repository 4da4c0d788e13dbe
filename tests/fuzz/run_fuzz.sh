#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS seconds, seeded with the
# files in tests/fuzz/seeds/. A crash leaves its input in the work directory and fails the run; add such an
# input to tests/fuzz/seeds/ (a regression seed) when fixing the bug.
# usage: run_fuzz.sh [SECONDS]     (ctest runs it with 20; docs/reliability.md has the long runs)
#        HELUO_FUZZ_RUNS=N run_fuzz.sh   (N executions per target instead of a time limit)
#        HELUO_FUZZ_TARGETS="tmx tbx" run_fuzz.sh   (only these targets)
set -euo pipefail
SECONDS_EACH=${1:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${HELUO_FUZZ_WORK:-$(mktemp -d)}
CXX=${CXX_FUZZ:-clang++-14}
command -v "$CXX" >/dev/null || { echo "missing $CXX: run tools/build.sh --test-deps"; echo "0 passed, 1 failed"; exit 1; }
CORE=(server/core/status.cc server/core/text/normalizer.cc server/core/text/tokenizer.cc server/core/tm/edit_distance.cc
      server/core/store/lmdb.cc server/core/store/store.cc server/core/store/dir_lock.cc
      server/core/store/data_file_check.cc server/core/store/change_log.cc server/core/collections.cc server/core/page_token.cc
      server/core/glossary.cc server/core/record_id.cc server/core/term_cache.cc server/core/term_recognizer.cc server/core/formats/xml_reader.cc
      server/core/formats/tmx.cc server/core/formats/tbx.cc server/core/formats/delimited.cc)
FLAGS=(-std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -I"$ROOT")
LIBS=($(pkg-config --libs icu-uc icu-i18n lmdb libxxhash expat))
# The core is compiled once (instrumented for coverage), then linked into each target.
mkdir -p "$WORK/obj"
printf '%s\n' "${CORE[@]}" | (cd "$ROOT" && xargs -P "$(nproc)" -I{} sh -c \
  'o="$1/obj/$(echo {} | tr / _).o"; [ -f "$o" ] || '"$CXX"' '"${FLAGS[*]}"' -fsanitize=fuzzer-no-link -c {} -o "$o"' _ "$WORK")
OBJS=("$WORK"/obj/*.o)
passed=0
failed=0
LIMIT=(-max_total_time="$SECONDS_EACH")
[ -n "${HELUO_FUZZ_RUNS:-}" ] && LIMIT=(-runs="$HELUO_FUZZ_RUNS")
for t in 1:tmx 2:tbx 3:delimited 4:normalize_recognize; do
  id=${t%%:*}
  name=${t#*:}
  [[ " ${HELUO_FUZZ_TARGETS:-tmx tbx delimited normalize_recognize} " == *" $name "* ]] || continue
  # Files are fuzzed up to 64 KiB; text up to 1 KiB (a long paragraph: the matcher's work is quadratic in the
  # length, and longer inputs only cost executions without reaching new code).
  max_len=65536
  [ "$name" = normalize_recognize ] && max_len=1024
  bin="$WORK/fuzz_$name"
  if [ ! -x "$bin" ]; then
    (cd "$ROOT" && "$CXX" "${FLAGS[@]}" -fsanitize=fuzzer -DHELUO_FUZZ_TARGET="$id" tests/fuzz/fuzz_targets.cc "${OBJS[@]}" "${LIBS[@]}" -o "$bin")
  fi
  mkdir -p "$WORK/corpus_$name"
  seeds="$ROOT/tests/fuzz/seeds"
  if (cd "$WORK" && ASAN_OPTIONS=detect_leaks=0 "$bin" "${LIMIT[@]}" -max_len="$max_len" -timeout=10 \
        -print_final_stats=1 "$WORK/corpus_$name" "$seeds" >"$WORK/$name.log" 2>&1); then
    passed=$((passed + 1))
    echo "PASS fuzz $name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$WORK/$name.log" | awk '{print $2}') executions"
  else
    failed=$((failed + 1))
    echo "FAIL fuzz $name (log and crash input in $WORK)"
    tail -30 "$WORK/$name.log"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
