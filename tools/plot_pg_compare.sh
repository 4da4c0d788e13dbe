#!/bin/sh
# Plots of heluo against PostgreSQL 15 pg_trgm from tests/bench/pg_compare.sh's results (after
# `pg_compare.py summarize RESULTS`, which writes lookup.dat and import.dat there):
#   pg_lookup_<corpus>.png  fuzzy-lookup p50 and p99 against corpus size for heluo (in-process and gRPC), the
#                           in-memory brute-force scan and pg_trgm at thresholds 0.3 and 0.7, pg_trgm's
#                           recall against the brute-force answer written at each point;
#   pg_import.png           import rate and on-disk size against the number of pairs, heluo import against
#                           PostgreSQL COPY + GIN.
# Needs gnuplot (Debian: gnuplot-nox) and python3.
#
#   tools/plot_pg_compare.sh docs/images /tmp/pgc
set -eu
out=$1
results=$2
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" "$results" <<'EOF'
import os, sys
tmp, results = sys.argv[1], sys.argv[2]
titles = {"heluo": "heluo (in-process)", "heluo_grpc": "heluo (gRPC loopback)",
          "brute_force": "brute force (in-memory scan)",
          "pg_trgm_0.3": "pg_trgm GIN, % at 0.3", "pg_trgm_0.7": "pg_trgm GIN, % at 0.7"}
rows = {}
lookup = os.path.join(results, "lookup.dat")
for line in open(lookup) if os.path.exists(lookup) else []:
    corpus, n, engine, p50, p99, recall = line.split()
    rows.setdefault(corpus, {}).setdefault(engine, []).append((int(n), float(p50), float(p99), float(recall)))
for corpus, engines in rows.items():
    plots, labels = [], []
    for k, engine in enumerate(e for e in titles if e in engines):
        dat = f"{tmp}/{corpus}_{engine}.dat"
        with open(dat, "w") as f:
            for n, p50, p99, recall in sorted(engines[engine]):
                f.write(f"{n} {p50} {p99}\n")
                if engine.startswith("pg"):
                    text = f"recall {100 * recall:.0f}%" if recall >= 0 else "recall not measured"
                    labels.append(f'set label "{text}" at {n},{p99} offset 0.6,0.4 '
                                  f'textcolor lt {k + 1} font ",9"')
        plots.append(f'"{dat}" using 1:2 with linespoints lt {k + 1} pt 7 dt 1 title "{titles[engine]} p50"')
        plots.append(f'"{dat}" using 1:3 with linespoints lt {k + 1} pt 6 dt 2 title "{titles[engine]} p99"')
    with open(f"{tmp}/pg_lookup_{corpus}.gp", "w") as f:
        f.write(f'set title "fuzzy lookup vs corpus size ({corpus}), one query at a time;\\n'
                f'pg_trgm recall against the brute-force answer at min_score 70"\n')
        f.write('set xlabel "segments"\nset ylabel "wall latency per query (ms), shared 2-core machine"\n')
        f.write("set logscale xy\nset key outside below\nset grid\nset xrange [*:*] noextend\n")
        f.write("set offsets graph 0.05, graph 0.25, 0, 0\n")
        f.write("\n".join(labels) + "\n")
        f.write("plot " + ", \\\n     ".join(plots) + "\n")
imports = {}
path = os.path.join(results, "import.dat")
for line in open(path) if os.path.exists(path) else []:
    system, n, rate, mb, *shape = line.split()  # The shape column came in the fifth session.
    imports.setdefault((system, shape[0] if shape else "sentences"), []).append((int(n), float(rate), float(mb)))
if imports:
    names = {"heluo": "heluo import (TMX, gRPC)", "pg": "PostgreSQL COPY + CREATE INDEX gin_trgm_ops"}
    shapes = {"sentences": "heavy pairs, ~820 B TMX", "clauses": "issue-shaped pairs, ~250 B TMX"}
    for (system, shape), points in imports.items():
        with open(f"{tmp}/import_{system}_{shape}.dat", "w") as f:
            for n, rate, mb in sorted(points):
                f.write(f"{n} {rate} {mb}\n")
    with open(f"{tmp}/pg_import.gp", "w") as f:
        f.write("set multiplot layout 1,2\nset logscale x\nset key outside below\nset grid\n")
        f.write('set xlabel "pairs in the file"\n')
        f.write('set title "import rate (pairs/s), shared 2-core machine"\nset ylabel "pairs/s"\nset yrange [0:*]\n')
        f.write("plot " + ", ".join(f'"{tmp}/import_{s}_{h}.dat" using 1:2 with linespoints lt {i + 1} pt 7 '
                                    f'dt {1 if h == "sentences" else 2} title "{names[s]}, {shapes[h]}"'
                                    for i, (s, h) in enumerate(sorted(imports))) + "\n")
        f.write('set title "size on disk after import (MB)"\nset ylabel "MB"\nset logscale y\nset yrange [*:*]\n')
        f.write("plot " + ", ".join(f'"{tmp}/import_{s}_{h}.dat" using 1:3 with linespoints lt {i + 1} pt 7 '
                                    f'dt {1 if h == "sentences" else 2} title "{names[s]}, {shapes[h]}' +
                                    (' (heap + GIN)"' if s == "pg" else ' (data.mdb)"')
                                    for i, (s, h) in enumerate(sorted(imports))) + "\n")
        f.write("unset multiplot\n")
EOF

found=0
for gp in "$tmp"/*.gp; do
  [ -f "$gp" ] || continue
  name=$(basename "$gp" .gp)
  size="900,600"
  [ "$name" = pg_import ] && size="1100,480"
  { echo "set terminal pngcairo size $size noenhanced"; echo "set output \"$out/$name.png\""; cat "$gp"; } | gnuplot
  echo "$out/$name.png"
  found=1
done
[ "$found" = 1 ] || { echo "no lookup.dat or import.dat in $results (run pg_compare.py summarize first)" >&2; exit 1; }
