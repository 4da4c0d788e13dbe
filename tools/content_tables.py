#!/usr/bin/env python3
"""Regenerates the glossary tables of docs/content.md from data/glossary/yanshi-2021.jsonl.

The blocks between <!-- counts:begin/end --> (entries by kind and status, and the admitted, deprecated and
forbidden forms) and <!-- project:begin/end --> (every `project` entry with the reason in its note) are
written here, never by hand; ContentTest.DocsTablesMatchTheGlossary fails when they are stale.

Usage: tools/content_tables.py [--check]
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
KINDS = ["report-glossary", "report-slogan", "national-term", "recurring-term", "proper-name"]


def counts_table(glossary):
    rows = ["| kind | established | project | total | admitted forms | deprecated forms | forbidden forms |",
            "|---|---|---|---|---|---|---|"]
    kinds = KINDS + sorted({e["kind"] for e in glossary} - set(KINDS))
    total = [0] * 6
    for kind in kinds:
        es = [e for e in glossary if e["kind"] == kind]
        row = [sum(e["rendering_status"] == "established" for e in es),
               sum(e["rendering_status"] == "project" for e in es), len(es),
               sum(len(e.get("en_variants") or []) for e in es),
               sum(len(e.get("en_deprecated") or []) for e in es),
               sum(len(e.get("en_forbidden") or []) for e in es)]
        total = [a + b for a, b in zip(total, row)]
        rows.append("| %s | %s |" % (kind, " | ".join(map(str, row))))
    rows.append("| **total** | %s |" % " | ".join("**%d**" % n for n in total))
    return rows


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def project_table(glossary):
    rows = ["| id | Chinese | English | reason it is `project` |", "|---|---|---|---|"]
    for e in glossary:
        if e["rendering_status"] == "project":
            rows.append("| %s | %s | %s | %s |" % (e["id"], cell(e["zh"]), cell(e["en"]), cell(e.get("note") or "")))
    return rows


def replace_block(text, name, rows):
    begin, end = "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + "\n" + "\n".join(rows) + "\n" + end + tail


def main():
    glossary = [json.loads(l) for l in (ROOT / "data/glossary/yanshi-2021.jsonl").read_text().splitlines() if l]
    doc_path = ROOT / "docs/content.md"
    doc = doc_path.read_text()
    new = replace_block(replace_block(doc, "counts", counts_table(glossary)), "project", project_table(glossary))
    if "--check" in sys.argv:
        if new != doc:
            sys.exit("docs/content.md tables are stale: run tools/content_tables.py")
        return
    doc_path.write_text(new)


if __name__ == "__main__":
    main()
