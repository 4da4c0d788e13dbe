#!/usr/bin/env python3
"""Writes a TMX of N distinct pairs to stdout for the import benchmark, from the bundled report with a fixed
seed, streaming (nothing is held but the report), and numbered so that every source is different. Two shapes:

  --shape=sentences (the default, "heavy"): each pair joins two whole sentences of the report and their
      translations: ~820 bytes of TMX per pair, 3x the density of the issue's file.
  --shape=clauses ("issue-shaped"): each pair is one clause of a report sentence and the same clause of its
      translation (sentences whose Chinese and English split into the same number of clauses at ，；： and
      , ; :): ~250 bytes of TMX per pair, the issue's 25 MB per 100,000 pairs.

With --tsv, the same pairs as PostgreSQL COPY text ("number, source, target"), for tests/bench/pg_compare.sh.
usage: make_tmx.py [--tsv] [--shape=sentences|clauses] N data/tm/yanshi-2021.jsonl > tm.tmx"""
import json
import random
import re
import sys
from xml.sax.saxutils import escape

args = sys.argv[1:]
tsv = "--tsv" in args
shape = "sentences"
for a in args:
    if a.startswith("--shape="):
        shape = a.split("=", 1)[1]
args = [a for a in args if not a.startswith("--")]
if shape not in ("sentences", "clauses") or len(args) != 2:
    sys.exit(__doc__)
n, corpus = int(args[0]), args[1]
pairs = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
rng = random.Random(18)
out = sys.stdout


def clauses(pair):
    zh = [c for c in re.split(r"(?<=[，；：])", pair["zh"]) if c]
    en = [c for c in re.split(r"(?<=[,;:]) ", pair["en"]) if c]
    return list(zip(zh, en)) if len(zh) == len(en) else []


aligned = [c for p in pairs for c in clauses(p)]


def make_pair(i):
    if shape == "clauses":
        zh, en = rng.choice(aligned)
        return f"{zh.rstrip('，；：')}（第{i}条）", f"{en.rstrip(',;: ')} (item {i})"
    a, b = rng.choice(pairs), rng.choice(pairs)
    return f"{a['zh']}（第{i}条）{b['zh']}", f"{a['en']} (item {i}) {b['en']}"


def copy_field(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


if not tsv:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="make_tmx.py" '
              'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en-US" srclang="zh-CN" '
              'datatype="plaintext"/><body>\n')
for i in range(n):
    zh, en = make_pair(i)
    if tsv:
        out.write(f"{i}\t{copy_field(zh)}\t{copy_field(en)}\n")
    else:
        out.write(f'<tu tuid="b{i}"><tuv xml:lang="zh-CN"><seg>{escape(zh)}</seg></tuv>'
                  f'<tuv xml:lang="en-US"><seg>{escape(en)}</seg></tuv></tu>\n')
if not tsv:
    out.write("</body></tmx>\n")
