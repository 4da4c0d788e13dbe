#!/usr/bin/env python3
"""Rebuilds data/report/yanshi-2021.zh.txt from data/report/seed.zh.txt and data/report/repairs.tsv.

The seed is the report as extracted from the published PDF, kept untouched so that every repair can be
traced back. Run from the repository root:  python3 tools/clean_report.py
Prints the number of repairs applied; fails loudly if a repair no longer matches its line.
"""
import re
import sys

SEED = "data/report/seed.zh.txt"
REPAIRS = "data/report/repairs.tsv"
OUT = "data/report/yanshi-2021.zh.txt"

CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u201c\u201d]"
CJK_PUNCT_END = r"[。，、；：！？）”]"
ASCII_RUN = r"[A-Za-z0-9%.+]"


def main() -> int:
    lines = open(SEED, encoding="utf-8").read().split("\n")
    joins = set()
    applied = 0
    for row in open(REPAIRS, encoding="utf-8"):
        row = row.rstrip("\n")
        if not row or row.startswith("#"):
            continue
        kind, line_no, original, repaired, _reason = row.split("\t")
        i = int(line_no) - 1
        if original not in lines[i]:
            sys.exit(f"repair does not match seed line {line_no}: {original!r}")
        if kind == "join":
            if not lines[i].endswith(original):
                sys.exit(f"join at line {line_no} is not at the end of the line")
            joins.add(i)
        elif kind == "replace":
            lines[i] = lines[i].replace(original, repaired, 1)
        else:
            sys.exit(f"unknown repair kind {kind!r}")
        applied += 1

    paragraphs = []
    carry = ""
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        text = carry + line.strip()
        if i in joins:
            carry = text
            continue
        carry = ""
        paragraphs.append(text)
    if carry:
        sys.exit("a join runs past the end of the seed")

    spaces = 0
    cleaned = []
    for p in paragraphs:
        p2 = re.sub(rf"(?<={CJK})\s+(?={ASCII_RUN})|(?<={ASCII_RUN})\s+(?={CJK})", "", p)
        # A space after CJK sentence punctuation is never meant ("收官。 剩余").
        p2 = re.sub(rf"(?<={CJK_PUNCT_END})\s+", "", p2)
        spaces += len(p) - len(p2)
        cleaned.append(p2)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(cleaned) + "\n")
    print(f"{applied} listed repairs, {spaces} padding spaces removed (beside numbers and after CJK punctuation), {len(cleaned)} paragraphs -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
