#!/bin/sh
# Plots of fuzzy-lookup latency (p50 and p99) from matching_bench's JSON output, heluo against the in-memory
# brute-force scan, for both corpora: against min_score (the Sweep benchmarks at one size) and against the
# corpus size (FuzzyLookup at min_score 70). Needs gnuplot (Debian: gnuplot-nox) and python3.
#
#   build/matching_bench --segments=1000000 --benchmark_out=1M.json --benchmark_out_format=json
#   build/matching_bench --segments=100000 --benchmark_out=100k.json --benchmark_out_format=json
#   tools/plot_matching.sh docs/images 100k.json 1M.json
set -eu
out=$1
shift
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" "$@" <<'EOF'
import json, re, sys
tmp = sys.argv[1]
runs = [b for path in sys.argv[2:] for b in json.load(open(path))["benchmarks"]]
sweep, sizes = {}, {}
for b in runs:
    name = b["name"]
    m = re.match(r"Sweep/(\w+)/(indexed|brute_force_memory)/min(\d+)/(\d+)", name)
    if m:
        sweep.setdefault((m[1], m[4]), {}).setdefault(int(m[3]), {})[m[2]] = (b["p50_us"], b["p99_us"])
    m = re.match(r"FuzzyLookup/(\w+)/(indexed|brute_force_memory)/(\d+)", name)
    if m:
        sizes.setdefault(m[1], {}).setdefault(int(m[3]), {})[m[2]] = (b["p50_us"], b["p99_us"])
# One .dat per plot (x, heluo p50/p99, brute force p50/p99 in ms) and one line in plots.txt saying how to draw
# it: name|title|x label|axes on a log scale.
def write(name, rows, title, xlabel, logscale):
    with open(f"{tmp}/{name}.dat", "w") as f:
        for x in sorted(rows):
            r = rows[x]
            if "indexed" in r and "brute_force_memory" in r:
                f.write(f"{x} {r['indexed'][0]/1000} {r['indexed'][1]/1000} "
                        f"{r['brute_force_memory'][0]/1000} {r['brute_force_memory'][1]/1000}\n")
    with open(f"{tmp}/plots.txt", "a") as f:
        f.write(f"{name}|{title}|{xlabel}|{logscale}\n")
for (corpus, n), rows in sweep.items():
    write(f"sweep_{corpus}_{n}", rows, f"fuzzy lookup vs min_score ({corpus}_{n})", "min_score", "y")
for corpus, rows in sizes.items():
    write(f"size_{corpus}", rows, f"fuzzy lookup (min_score 70) vs corpus size ({corpus})", "segments", "xy")
EOF

[ -f "$tmp/plots.txt" ] || { echo "no Sweep or FuzzyLookup results in $*" >&2; exit 1; }
while IFS='|' read -r name title xlabel logscale; do
  dat="$tmp/$name.dat"
  [ -s "$dat" ] || continue
  gnuplot <<EOF
set terminal pngcairo size 800,500 noenhanced
set output "$out/$name.png"
set title "$title"
set xlabel "$xlabel"
set ylabel "wall latency (ms), shared machine"
set logscale $logscale
set key outside
plot "$dat" using 1:2 with linespoints title "heluo p50", \
     "$dat" using 1:3 with linespoints title "heluo p99", \
     "$dat" using 1:4 with linespoints title "brute force p50", \
     "$dat" using 1:5 with linespoints title "brute force p99"
EOF
done <"$tmp/plots.txt"
ls "$out"
