#!/usr/bin/env python3
"""Splits data/report/yanshi-2021.zh.txt into TM segments and prints them as JSON Lines.

Used once to create the skeleton of data/tm/yanshi-2021.jsonl (the English was added by translators);
the C++ test tests/content_test.cc re-splits the report with the product's own segmenter and checks that
the TM holds every sentence exactly once, in order.
Section paths: "0" front matter, "1".."4" the four parts, "1.3" the third （三） of part 1, "G" the glossary.
"""
import json
import re
import sys

TOP = re.compile(r"^([一二三四五六七八九十]+)、")
SUB = re.compile(r"^（([一二三四五六七八九十]+)）")
NUM = "一二三四五六七八九十"
SPLIT = re.compile(r"(.*?[。！？][”’」』）]*)")


def sentences(paragraph):
    out = []
    pos = 0
    for m in SPLIT.finditer(paragraph):
        out.append(m.group(1))
        pos = m.end()
    if pos < len(paragraph):
        out.append(paragraph[pos:])
    return [s for s in out if s.strip()]


def main():
    top, sub = "0", None
    n = 0
    for para_no, p in enumerate(open("data/report/yanshi-2021.zh.txt", encoding="utf-8").read().split("\n"), 1):
        if not p:
            continue
        if p == "名词解释":
            top, sub = "G", None
        elif m := TOP.match(p):
            top, sub = str(NUM.index(m.group(1)) + 1), None
        elif (m := SUB.match(p)) and top != "G":
            sub = str(NUM.index(m.group(1)) + 1)
        elif p.startswith("各位代表") and top == "1":
            sub = None  # the five-year review after （五） belongs to part 1 itself
        section = top if sub is None else f"{top}.{sub}"
        for s in sentences(p):
            n += 1
            print(json.dumps({"id": f"yanshi-2021-{n:04d}", "section": section, "paragraph": para_no,
                              "zh": s, "en": ""}, ensure_ascii=False))
    print(f"{n} segments", file=sys.stderr)


if __name__ == "__main__":
    main()
