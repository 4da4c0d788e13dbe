#!/usr/bin/env python3
"""Writes a TMX of N distinct pairs to stdout for the import benchmark: each pair joins two sentences of the
bundled report (and their translations) chosen by a fixed-seed generator and numbers them, so lengths and
characters are those of real government-report text and every source is different. With --tsv, the same
pairs as PostgreSQL COPY text ("number, source, target"), for tests/bench/pg_compare.sh.
usage: make_tmx.py [--tsv] N data/tm/yanshi-2021.jsonl > tm.tmx"""
import json
import random
import sys
from xml.sax.saxutils import escape

args = sys.argv[1:]
tsv = args[0] == "--tsv"
if tsv:
    args = args[1:]
n, corpus = int(args[0]), args[1]
pairs = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
rng = random.Random(18)
out = sys.stdout


def copy_field(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


if not tsv:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="make_tmx.py" '
              'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en-US" srclang="zh-CN" '
              'datatype="plaintext"/><body>\n')
for i in range(n):
    a, b = rng.choice(pairs), rng.choice(pairs)
    zh = f"{a['zh']}（第{i}条）{b['zh']}"
    en = f"{a['en']} (item {i}) {b['en']}"
    if tsv:
        out.write(f"{i}\t{copy_field(zh)}\t{copy_field(en)}\n")
    else:
        out.write(f'<tu tuid="b{i}"><tuv xml:lang="zh-CN"><seg>{escape(zh)}</seg></tuv>'
                  f'<tuv xml:lang="en-US"><seg>{escape(en)}</seg></tuv></tu>\n')
if not tsv:
    out.write("</body></tmx>\n")
