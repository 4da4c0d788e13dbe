#!/usr/bin/python3
"""The PostgreSQL side of tests/bench/pg_compare.sh (outside CI): loads a corpus into a scratch PostgreSQL 15
with a pg_trgm GIN index, times fuzzy lookups the way Weblate and Tolgee make them, measures their recall
against heluo's brute-force answer, times COPY + CREATE INDEX for the import comparison, and summarizes
the runs (with matching_bench's JSON output) into the tables of docs/performance.md and the data of
tools/plot_pg_compare.sh.

  pg_compare.py load    DSN TABLE CORPUS.tsv              -> one JSON line: rows, copy_s, index_s, sizes
  pg_compare.py lookup  DSN TABLE QUERIES.tsv IDS.tsv THRESHOLD PASS NAME  -> one JSON line; answers to IDS
  pg_compare.py drop    DSN TABLE
  pg_compare.py summarize RESULTS_DIR                     -> tables on stdout, lookup.dat/import.dat there

CORPUS.tsv is COPY text format "id, source, target" (matching_bench --dump or make_tmx.py --tsv);
QUERIES.tsv "number, text"; ANSWERS.tsv "query number, segment id, score" (matching_bench --answers), read
by summarize next to each pass's IDS.tsv ("query number, segment ids") to give pg_trgm's recall.
"""
import json
import os
import re
import statistics
import sys
import time

# Weblate's and Tolgee's query: the trigram operator under pg_trgm.similarity_threshold, best first.
LOOKUP_SQL = ("SELECT id FROM {table} WHERE source %% %(q)s "
              "ORDER BY similarity(source, %(q)s) DESC LIMIT 50")


def connect(dsn):
    import psycopg2  # Debian: python3-psycopg2; only the PostgreSQL steps need it.
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


def load(dsn, table, corpus, shape="sentences"):
    conn = connect(dsn)
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(f"CREATE TABLE {table} (id integer NOT NULL, source text NOT NULL, target text NOT NULL)")
    t0 = time.monotonic()
    with open(corpus, encoding="utf-8") as f:
        cur.copy_expert(f"COPY {table} (id, source, target) FROM STDIN", f)
    t1 = time.monotonic()
    cur.execute(f"CREATE INDEX {table}_trgm ON {table} USING gin (source gin_trgm_ops)")
    t2 = time.monotonic()
    cur.execute(f"VACUUM ANALYZE {table}")
    cur.execute(f"SELECT count(*), pg_table_size('{table}'), pg_relation_size('{table}_trgm') FROM {table}")
    rows, heap, gin = cur.fetchone()
    print(json.dumps({"table": table, "rows": rows, "copy_s": t1 - t0, "index_s": t2 - t1,
                      "rows_per_s": rows / (t2 - t0), "heap_bytes": heap, "gin_bytes": gin,
                      "tsv_bytes": os.path.getsize(corpus), "shape": shape}), flush=True)


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def unescape(field):
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), field)


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))]  # The same rule as matching_bench's ReportPercentiles.


def read_answers(answers_tsv):
    truth = {}
    for q, seg, _score in read_tsv(answers_tsv):
        truth.setdefault(int(q), set()).add(int(seg))
    return truth


def recall_of(ids_tsv, answers_tsv):
    """pg_trgm's answers (ids_tsv: "query number, segment ids") against heluo's brute-force answer."""
    truth = read_answers(answers_tsv)
    found = expected = full = 0
    for row in read_tsv(ids_tsv):
        got = {int(x) for x in row[1].split(",") if x} if len(row) > 1 else set()
        want = truth.get(int(row[0]), set())
        found += len(got & want)
        expected += len(want)
        full += len(want) == 50
    return {"recall": found / expected if expected else 1.0, "found": found, "expected": expected,
            "queries_with_50_answers": full}


def lookup(dsn, table, queries_tsv, ids_tsv, threshold, run_pass, name):
    """One timed pass over the queries; the answers go to ids_tsv (for recall_of)."""
    queries = [unescape(q[1]) for q in read_tsv(queries_tsv)]
    conn = connect(dsn)
    cur = conn.cursor()
    cur.execute("SET pg_trgm.similarity_threshold = %s", (threshold,))
    sql = LOOKUP_SQL.format(table=table)
    for q in queries[:20]:  # Warm-up, untimed: the first queries read the index from disk.
        cur.execute(sql, {"q": q})
        cur.fetchall()
    micros, returned = [], 0
    with open(ids_tsv, "w") as out:
        for i, q in enumerate(queries):
            t0 = time.perf_counter()
            cur.execute(sql, {"q": q})
            ids = [r[0] for r in cur.fetchall()]
            micros.append((time.perf_counter() - t0) * 1e6)
            returned += len(ids)
            out.write(f"{i}\t{','.join(map(str, ids))}\n")
    print(json.dumps({"name": name, "engine": f"pg_trgm_{threshold}", "pass": run_pass, "queries": len(queries),
                      "p50_us": percentile(micros, 0.5), "p99_us": percentile(micros, 0.99),
                      "returned_per_query": returned / len(queries)}), flush=True)


def summarize(results):
    # Lookups: pg_trgm lines from lookup.jsonl, heluo's from matching_bench JSON files (bench-*.json).
    runs = {}
    lookups = os.path.join(results, "lookup.jsonl")
    for line in open(lookups) if os.path.exists(lookups) else []:  # An import-only sitting has none.
        r = json.loads(line)
        runs.setdefault((r["name"], r["engine"]), []).append(r)
    recall = {}
    for path in sorted(os.listdir(results)):
        if not (path.startswith("bench-") and path.endswith(".json")):
            continue
        run_pass = int(re.search(r"pass(\d+)", path)[1])
        for b in json.load(open(os.path.join(results, path)))["benchmarks"]:
            m = re.match(r"(FuzzyLookup|GrpcLookup)/(\w+)/(indexed|brute_force_memory|loopback)/(\d+)(/|$)", b["name"])
            if m and "p50_us" in b:
                engine = {"indexed": "heluo", "loopback": "heluo_grpc", "brute_force_memory": "brute_force"}[m[3]]
                runs.setdefault((f"{m[2]}_{m[4]}", engine), []).append(
                    {"pass": run_pass, "p50_us": b["p50_us"], "p99_us": b["p99_us"]})
    for line in open(os.path.join(results, "answers.log")) if os.path.exists(os.path.join(results, "answers.log")) else []:
        m = re.match(r"(\w+) (\d+): (\d+) queries answered, indexed differs from brute force on (\d+)", line)
        if m:
            recall[f"{m[1]}_{m[2]}"] = (int(m[3]), int(m[4]))
    engines = ["heluo", "heluo_grpc", "brute_force", "pg_trgm_0.3", "pg_trgm_0.7"]
    print("| corpus | segments | engine | p50 ms | p99 ms | recall | passes |")
    print("|---|---:|---|---:|---:|---:|---:|")
    with open(os.path.join(results, "lookup.dat"), "w") as dat:
        names = sorted({k[0] for k in runs}, key=lambda n: (n.rsplit("_", 1)[0], int(n.rsplit("_", 1)[1])))
        for name in names:
            corpus, n = name.rsplit("_", 1)
            for engine in engines:
                rs = runs.get((name, engine))
                if not rs:
                    continue
                p50 = statistics.median(r["p50_us"] for r in rs) / 1000
                p99 = statistics.median(r["p99_us"] for r in rs) / 1000
                answers = os.path.join(results, f"{name}.answers.tsv")
                ids = os.path.join(results, f"{name}.{engine}.ids.tsv")
                if engine.startswith("pg") and os.path.exists(answers):
                    r = recall_of(ids, answers)
                    rec = r["recall"]
                    rec_text = f"{100 * rec:.1f}% ({r['found']}/{r['expected']})"
                elif engine.startswith("pg"):
                    rec, rec_text = None, "(no brute-force answer yet)"
                elif engine == "brute_force":
                    rec, rec_text = 1.0, "(the reference)"
                elif name in recall:
                    q, differ = recall[name]
                    rec = 1.0 if differ == 0 else None
                    rec_text = f"100% (= brute force on all {q} queries)" if differ == 0 else f"differs on {differ}/{q}"
                else:
                    rec, rec_text = 1.0, "reference" if engine == "brute_force" else "(not checked)"
                print(f"| {corpus} | {int(n):,} | {engine} | {p50:.2f} | {p99:.2f} | {rec_text} | {len(rs)} |")
                dat.write(f"{corpus} {n} {engine} {p50} {p99} {rec if rec is not None else -1}\n")
    # Imports: heluo's rows from import_bench.sh output (import-heluo.txt), PostgreSQL's from import-pg.jsonl.
    imports = {}
    if os.path.exists(os.path.join(results, "import-pg.jsonl")):
        for line in open(os.path.join(results, "import-pg.jsonl")):
            r = json.loads(line)
            imports.setdefault((r["rows"], "pg", r.get("shape", "sentences")), []).append(r)
    if os.path.exists(os.path.join(results, "import-heluo.txt")):
        for line in open(os.path.join(results, "import-heluo.txt")):
            f = line.split()
            if f and f[0].isdigit():
                # Since the fifth session: pairs, shape, MB, seconds, pairs/s, cpu s, anon, RSS, data MB.
                if f[1][0].isdigit():
                    f = [f[0], "sentences", f[1], f[2], f[3], "0", f[4], f[5], f[6]]
                imports.setdefault((int(f[0]), "heluo", f[1]), []).append(
                    {"rows_per_s": float(f[4]), "seconds": float(f[3]), "data_mb": float(f[8]),
                     "anon_mb": float(f[6]), "tmx_mb": float(f[2])})
    if imports:
        print()
        print("| pairs | shape | system | seconds | pairs/s | on disk MB | runs |")
        print("|---:|---|---|---:|---:|---:|---:|")
        with open(os.path.join(results, "import.dat"), "w") as dat:
            for (n, system, shape) in sorted(imports):
                rs = imports[(n, system, shape)]
                rate = statistics.median(r["rows_per_s"] for r in rs)
                if system == "pg":
                    secs = statistics.median(r["copy_s"] + r["index_s"] for r in rs)
                    mb = rs[-1]["heap_bytes"] / 2**20 + rs[-1]["gin_bytes"] / 2**20
                    detail = (f"{mb:.0f} (heap {rs[-1]['heap_bytes'] / 2**20:.0f} + GIN "
                              f"{rs[-1]['gin_bytes'] / 2**20:.0f}); COPY "
                              f"{statistics.median(r['copy_s'] for r in rs):.1f} s + index "
                              f"{statistics.median(r['index_s'] for r in rs):.1f} s")
                    label = "PostgreSQL COPY + GIN"
                else:
                    secs = statistics.median(r["seconds"] for r in rs)
                    mb = rs[-1]["data_mb"]
                    detail = f"{mb:.0f} (data.mdb)"
                    label = "heluo import"
                print(f"| {n:,} | {shape} | {label} | {secs:.1f} | {rate:,.0f} | {detail} | {len(rs)} |")
                dat.write(f"{system} {n} {rate} {mb} {shape}\n")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "load":
        load(*args)
    elif cmd == "lookup":
        dsn, table, queries, ids, threshold, run_pass, name = args
        lookup(dsn, table, queries, ids, float(threshold), int(run_pass), name)
    elif cmd == "drop":
        connect(args[0]).cursor().execute(f"DROP TABLE {args[1]}")
    elif cmd == "summarize":
        summarize(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
