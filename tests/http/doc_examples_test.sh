#!/usr/bin/env bash
# Runs every `sh` block of docs/http-api.md, in order, with curl against a real heluo-server, so the HTTP
# documentation cannot go stale: each block must exit 0 (its curl calls use -f: any HTTP error fails it).
# usage: doc_examples_test.sh HELUO_SERVER      (run by ctest; ends with "N passed, M failed")
set -uo pipefail
SERVER=$1
HERE=$(cd "$(dirname "$0")" && pwd)
DOC="$HERE/../../docs/http-api.md"
source "$HERE/../acceptance/common.sh"
source "$HERE/http_common.sh"

TOKEN=editor-$RANDOM$RANDOM
ADMIN_TOKEN=admin-$RANDOM$RANDOM
{
  echo "editor $("$SERVER" --hash-token "$TOKEN") docs-editor"
  echo "admin $("$SERVER" --hash-token "$ADMIN_TOKEN") docs-admin"
} >"$WORK/tokens"
start_server ADDR "$WORK/server.log" --data-dir "$WORK/data" --token-file "$WORK/tokens"
HELUO=$(http_base "$WORK/server.log")
export HELUO TOKEN ADMIN_TOKEN

# Split the document's sh blocks into block-N.sh files.
awk -v dir="$WORK" '/^```sh$/ {n++; f=sprintf("%s/block-%02d.sh", dir, n); inblock=1; next}
                    /^```$/ {inblock=0; next}
                    inblock {print > f}' "$DOC"
blocks=("$WORK"/block-*.sh)
check "the document has at least 8 sh blocks (found ${#blocks[@]})" test "${#blocks[@]}" -ge 8
mkdir -p "$WORK/run"
for b in "${blocks[@]}"; do
  check "docs/http-api.md $(basename "$b" .sh): $(grep -v '^#' "$b" | head -1 | cut -c1-70)" \
    bash -c "cd '$WORK/run' && set -euo pipefail && source '$b'"
done
# What the examples downloaded is what they claim.
check "the glossary export example saved a TBX file" grep -q "<martif" "$WORK/run/heluo-glossary.tbx"
check "the TM export example saved a TMX file" grep -q "<tmx version=\"1.4\">" "$WORK/run/heluo-tm.tmx"
check "the backup example saved an LMDB file" test -s "$WORK/run/backup-data.mdb"
check "the audit example's last line is the summary of a clean TM" \
  bash -c "tail -n 1 '$WORK/run/audit.ndjson' | grep -q '^{\"summary\":{\"pairs\":\"[1-9][0-9]*\",\"pairsWithIssues\":\"0\",\"issues\":\"0\"'"
finish
