#!/usr/bin/env bash
# A published LibreTranslate client pointed at heluo: the npm package `translate` (franciscop/translate,
# engine "libre"; pinned below) installed into this test's own node_modules from the npm registry, run by
# Node.js against a real heluo-server's /libretranslate with reads needing a token (the client's key).
# usage: libretranslate_client_test.sh HELUO_SERVER      (run by ctest; ends with "N passed, M failed")
set -uo pipefail
SERVER=$1
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../acceptance/common.sh"
source "$HERE/http_common.sh"
CLIENT=translate@3.1.0

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run tools/build.sh --test-deps"; echo "0 passed, 1 failed"; exit 1; }
done
mkdir -p "$WORK/client"
if ! (cd "$WORK/client" && npm install --no-audit --no-fund --loglevel=error "$CLIENT" >"$WORK/npm.log" 2>&1); then
  cat "$WORK/npm.log"
  echo "0 passed, 1 failed"
  exit 1
fi

TOKEN=reader-$RANDOM$RANDOM
echo "reader $("$SERVER" --hash-token "$TOKEN") lt-client" >"$WORK/tokens"
start_server ADDR "$WORK/server.log" --data-dir "$WORK/data" --token-file "$WORK/tokens" --require-token-for-reads
BASE=$(http_base "$WORK/server.log")

# translate.mjs KEY TEXT...: each text's translation on a line, or the client's error.
cat >"$WORK/client/translate.mjs" <<'JS'
import translate from "translate";
const [url, key, ...texts] = process.argv.slice(2);
translate.engine = "libre";
translate.url = url;
translate.key = key;
try {
  for (const text of texts) {
    console.log(JSON.stringify(await translate(text, { from: "zh", to: "en" })));
  }
} catch (e) {
  console.log("ERROR " + e.message);
}
JS

check "the client gets the TM's English for report sentences" bash -c "
  out=\$(cd '$WORK/client' && node translate.mjs '$BASE/libretranslate/translate' '$TOKEN' \
    '政府工作报告' '新增专利227件，增长57.8%。' '实施重点项目126个，完成投资178亿元，竣工33个。')
  echo \"\$out\"
  [ \"\$(echo \"\$out\" | sed -n 1p)\" = '\"Report on the Work of the Government\"' ] &&
  [ \"\$(echo \"\$out\" | sed -n 2p)\" = '\"We obtained 227 new patents, up 57.8 percent.\"' ] &&
  [ \"\$(echo \"\$out\" | sed -n 3p | cut -c1-40)\" = '\"We carried out 126 key projects, comple' ]"
check "a placeable comes back with the new numbers" bash -c "
  out=\$(cd '$WORK/client' && node translate.mjs '$BASE/libretranslate/translate' '$TOKEN' '新增专利230件，增长60.5%。')
  echo \"\$out\"; [ \"\$out\" = '\"We obtained 230 new patents, up 60.5 percent.\"' ]"
# heluo's no-match answer is translatedText "": this client reports an empty translation as its own error.
check "no match: the documented empty answer, which the client reports as no translation" bash -c "
  out=\$(cd '$WORK/client' && node translate.mjs '$BASE/libretranslate/translate' '$TOKEN' '完全不相干的内容')
  echo \"\$out\"; [ \"\$out\" = 'ERROR No response found' ]"
check "a wrong key is refused, and the client shows heluo's message" bash -c "
  out=\$(cd '$WORK/client' && node translate.mjs '$BASE/libretranslate/translate' wrong-key '政府工作报告')
  echo \"\$out\"; [ \"\$out\" = 'ERROR the token is not valid on this server' ]"
finish
