# Sourced by the acceptance scripts (after they set SERVER): a work directory, PASS/FAIL checks, and the
# heluo-servers they start, stopped on exit. KEEP_WORK=1 keeps the work directory for a look afterwards.
WORK=$(mktemp -d)
PY=/usr/bin/python3
passed=0
failed=0
SERVER_PIDS=()

check() {  # check NAME COMMAND...
  local name=$1
  shift
  if "$@" >"$WORK/last.log" 2>&1; then
    passed=$((passed + 1))
    echo "PASS $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    sed 's/^/    /' "$WORK/last.log" | tail -25
  fi
}

# start_server VAR LOG ARGS...: heluo-server on a free loopback port with ARGS; sets VAR to its address and
# VAR_PID to its process id. A server that does not start ends the script as one failure.
start_server() {
  local var=$1 log=$2
  shift 2
  "$SERVER" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  for _ in $(seq 100); do grep -q "listening on" "$log" 2>/dev/null && break; sleep 0.1; done
  local addr
  addr=$(grep -o '127\.0\.0\.1:[0-9]*' "$log" | head -1)
  [ -n "$addr" ] || { cat "$log"; echo "0 passed, 1 failed"; exit 1; }
  printf -v "$var" '%s' "$addr"
  printf -v "${var}_PID" '%s' "$pid"
}

cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# omegat_project DIR: an empty zh-CN → en-US OmegaT 3.6 project in DIR, with every folder OmegaT needs.
omegat_project() {
  local P=$1
  mkdir -p "$P/source" "$P/tm" "$P/glossary" "$P/omegat" "$P/target" "$P/dictionary"
  cat >"$P/omegat.project" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes><mask>**/.git/**</mask></source_dir_excludes>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>zh-CN</source_lang>
        <target_lang>en-US</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
XML
}

finish() {  # The summary line ctest shows, and the exit status.
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
