#!/usr/bin/env python3
"""Writes a TMX of N distinct pairs to stdout for the import benchmark: each pair joins two sentences of the
bundled report (and their translations) chosen by a fixed-seed generator and numbers them, so lengths and
characters are those of real government-report text and every source is different.
usage: make_tmx.py N data/tm/yanshi-2021.jsonl > tm.tmx"""
import json
import random
import sys
from xml.sax.saxutils import escape

n, corpus = int(sys.argv[1]), sys.argv[2]
pairs = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
rng = random.Random(18)
out = sys.stdout
out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="make_tmx.py" '
          'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en-US" srclang="zh-CN" '
          'datatype="plaintext"/><body>\n')
for i in range(n):
    a, b = rng.choice(pairs), rng.choice(pairs)
    zh = f"{a['zh']}（第{i}条）{b['zh']}"
    en = f"{a['en']} (item {i}) {b['en']}"
    out.write(f'<tu tuid="b{i}"><tuv xml:lang="zh-CN"><seg>{escape(zh)}</seg></tuv>'
              f'<tuv xml:lang="en-US"><seg>{escape(en)}</seg></tuv></tu>\n')
out.write("</body></tmx>\n")
