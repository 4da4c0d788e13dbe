#!/usr/bin/env bash
# Checks heluo's exports with software we did not write, as translators and localization engineers use it:
#   - xmllint: the TMX against the TMX 1.4 DTD and XSD, the TBX 2008 against OmegaT's martif XSD (both ship
#     inside Debian's OmegaT jar), the TBX v3 for well-formedness;
#   - translate-toolkit (Debian's python3): parses the TMX and the TBX 2008 with the right counts and languages;
#   - OmegaT 3.6 console mode: the exported TMX in tm/auto gives 100% matches in the translated output, and
#     OmegaT's own readers load the exported TSV (.utf8) and TBX 2008 glossaries;
#   - the TMX that OmegaT itself writes imports back into heluo.
# usage: third_party_test.sh HELUO_SERVER HELUO_CLI       (run by ctest; ends with "N passed, M failed")
set -uo pipefail
SERVER=$1
CLI=$2
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=/usr/share/omegat/OmegaT.jar
source "$HERE/common.sh"

for tool in xmllint unzip java "$PY"; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run tools/build.sh --test-deps"; echo "0 passed, 1 failed"; exit 1; }
done
[ -f "$JAR" ] || { echo "missing $JAR: run tools/build.sh --test-deps"; echo "0 passed, 1 failed"; exit 1; }

TOKEN=acceptance-$RANDOM$RANDOM
echo "editor $("$SERVER" --hash-token "$TOKEN") acceptance" >"$WORK/tokens"
start_server ADDR "$WORK/server.log" --data-dir "$WORK/data" --token-file "$WORK/tokens"
H=("$CLI" --server "$ADDR")
"${H[@]}" export --format tmx -o "$WORK/heluo.tmx" 2>/dev/null
"${H[@]}" export --format tbx2008 -o "$WORK/heluo.tbx" 2>/dev/null
"${H[@]}" export --format tbx -o "$WORK/heluo-v3.tbx" 2>/dev/null
"${H[@]}" export --format tsv -o "$WORK/heluo.utf8" 2>/dev/null
SEGMENTS=$(grep -c '<tu ' "$WORK/heluo.tmx")
TERMS=$(grep -c '<termEntry ' "$WORK/heluo.tbx")

(cd "$WORK" && unzip -o -q "$JAR" 'schemas/*')  # The XSDs import their neighbours (xml.xsd).
check "xmllint: TMX valid against the TMX 1.4 DTD" xmllint --noout --nonet --dtdvalid "$WORK/schemas/tmx14.dtd" "$WORK/heluo.tmx"
check "xmllint: TMX valid against the TMX 1.4 XSD" xmllint --noout --nonet --schema "$WORK/schemas/tmx14.xsd" "$WORK/heluo.tmx"
check "xmllint: TBX 2008 valid against OmegaT's martif XSD" xmllint --noout --nonet --schema "$WORK/schemas/tbx.xsd" "$WORK/heluo.tbx"
check "xmllint: TBX v3 well-formed" xmllint --noout --nonet "$WORK/heluo-v3.tbx"

check "translate-toolkit: TMX has $SEGMENTS zh-CN/en-US units" "$PY" - "$WORK/heluo.tmx" "$SEGMENTS" <<'PYEOF'
import sys
from translate.storage import tmx
store = tmx.tmxfile.parsefile(sys.argv[1])
units = [u for u in store.units if u.source and u.target]
assert len(units) == int(sys.argv[2]), (len(units), sys.argv[2])
langs = {t.get("{http://www.w3.org/XML/1998/namespace}lang").lower() for t in store.document.getroot().iter("tuv")}
assert langs == {"zh-cn", "en-us"}, langs
assert store.document.getroot().find("header").get("srclang") == "zh-CN"
print(len(units), "units", sorted(langs))
PYEOF
check "translate-toolkit: TBX 2008 has $TERMS entries" "$PY" - "$WORK/heluo.tbx" "$TERMS" <<'PYEOF'
import sys
from translate.storage import tbx
store = tbx.tbxfile.parsefile(sys.argv[1])
units = [u for u in store.units if u.source]
assert len(units) == int(sys.argv[2]), (len(units), sys.argv[2])
print(len(units), "entries; first:", units[0].source)
PYEOF

# OmegaT: a project whose source repeats three report sentences, the TMX in tm/auto, both glossaries.
P="$WORK/omegat-project"
omegat_project "$P"
mkdir -p "$P/tm/auto" "$P/.config"
printf '政府工作报告\n\n各位代表：\n\n新增专利227件，增长57.8%%。\n' >"$P/source/report.txt"
cp "$WORK/heluo.tmx" "$P/tm/auto/heluo.tmx"
cp "$WORK/heluo.utf8" "$WORK/heluo.tbx" "$P/glossary/"
( cd "$P" && timeout 300 java -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Dheluo.report="$P/glossary-report.txt" \
    -jar "$JAR" "$P" --mode=console-translate --config-dir="$P/.config" --no-team --disable-project-locking \
    --script="$HERE/glossary_probe.groovy" >"$WORK/omegat.out" 2>&1 ) || { echo "OmegaT failed:"; tail -20 "$WORK/omegat.out"; }
check "OmegaT: 100% matches from the exported TMX fill the target" grep -qx "We obtained 227 new patents, up 57.8 percent." "$P/target/report.txt"
check "OmegaT: the TMX loaded without errors" bash -c "! grep -q TF_TM_LOAD_ERROR '$WORK/omegat.out' && grep -qx 'Report on the Work of the Government' '$P/target/report.txt'"
check "OmegaT: reads the TSV glossary ($TERMS entries)" grep -qx "heluo.utf8 $TERMS" "$P/glossary-report.txt"
check "OmegaT: reads the TBX 2008 glossary" grep -Eq "^heluo.tbx [1-9][0-9]*$" "$P/glossary-report.txt"
LEVEL2=$(ls "$P"/*-level2.tmx 2>/dev/null | head -1)
check "heluo imports the TMX OmegaT wrote" bash -c "[ -n '$LEVEL2' ] && '$CLI' --server '$ADDR' --token '$TOKEN' import --dry-run '$LEVEL2' | grep -Eq 'created 3, updated 0, unchanged 0, skipped 0'"

finish
