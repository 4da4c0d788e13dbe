#!/usr/bin/env python3
"""Assembles data/tm/yanshi-2021.jsonl from the segment skeleton and the translated parts.

Usage: python3 tools/assemble_tm.py PART.jsonl...   (each line: {"id", "zh", "en"})
The skeleton comes from tools/segment_report.py; a part's zh must equal the skeleton's zh for its id.
Segments with no translation yet are left out and counted.
"""
import json
import subprocess
import sys


def main():
    skeleton = [json.loads(l) for l in subprocess.run(
        [sys.executable, "tools/segment_report.py"], capture_output=True, text=True, check=True).stdout.splitlines()]
    english = {}
    for path in sys.argv[1:]:
        for line in open(path, encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                english[d["id"]] = (d["zh"], d["en"])
    missing = 0
    with open("data/tm/yanshi-2021.jsonl", "w", encoding="utf-8") as out:
        for s in skeleton:
            if s["id"] not in english:
                missing += 1
                continue
            zh, en = english[s["id"]]
            if zh != s["zh"]:
                sys.exit(f"{s['id']}: translated zh differs from the report")
            out.write(json.dumps({"id": s["id"], "section": s["section"], "paragraph": s["paragraph"],
                                  "zh": s["zh"], "en": en}, ensure_ascii=False) + "\n")
    print(f"{len(skeleton) - missing} segments written, {missing} without translation")


if __name__ == "__main__":
    main()
