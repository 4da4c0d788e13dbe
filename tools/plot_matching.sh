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
for (corpus, n), rows in sweep.items():
    with open(f"{tmp}/sweep_{corpus}_{n}.dat", "w") as f:
        for score in sorted(rows):
            r = rows[score]
            if "indexed" in r and "brute_force_memory" in r:
                f.write(f"{score} {r['indexed'][0]/1000} {r['indexed'][1]/1000} "
                        f"{r['brute_force_memory'][0]/1000} {r['brute_force_memory'][1]/1000}\n")
for corpus, rows in sizes.items():
    with open(f"{tmp}/size_{corpus}.dat", "w") as f:
        for n in sorted(rows):
            r = rows[n]
            if "indexed" in r and "brute_force_memory" in r:
                f.write(f"{n} {r['indexed'][0]/1000} {r['indexed'][1]/1000} "
                        f"{r['brute_force_memory'][0]/1000} {r['brute_force_memory'][1]/1000}\n")
EOF

for dat in "$tmp"/sweep_*.dat; do
  [ -s "$dat" ] || continue
  base=$(basename "$dat" .dat)
  gnuplot <<EOF
set terminal pngcairo size 800,500 noenhanced
set output "$out/$base.png"
set title "fuzzy lookup vs min_score (${base#sweep_})"
set xlabel "min_score"
set ylabel "wall latency (ms), shared machine"
set logscale y
set key outside
plot "$dat" using 1:2 with linespoints title "heluo p50", \
     "$dat" using 1:3 with linespoints title "heluo p99", \
     "$dat" using 1:4 with linespoints title "brute force p50", \
     "$dat" using 1:5 with linespoints title "brute force p99"
EOF
done
for dat in "$tmp"/size_*.dat; do
  [ -s "$dat" ] || continue
  base=$(basename "$dat" .dat)
  gnuplot <<EOF
set terminal pngcairo size 800,500 noenhanced
set output "$out/$base.png"
set title "fuzzy lookup (min_score 70) vs corpus size (${base#size_})"
set xlabel "segments"
set ylabel "wall latency (ms), shared machine"
set logscale xy
set key outside
plot "$dat" using 1:2 with linespoints title "heluo p50", \
     "$dat" using 1:3 with linespoints title "heluo p99", \
     "$dat" using 1:4 with linespoints title "brute force p50", \
     "$dat" using 1:5 with linespoints title "brute force p99"
EOF
done
ls "$out"
