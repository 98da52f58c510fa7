#!/usr/bin/env bash
# k-means (omomi-segment), 1,000,000 × 16 float32 points, seconds per Lloyd iteration: omomi's
# KMeansBenchmark beside scikit-learn's KMeans (bench/kmeans_sklearn.py) on the same data, the same
# initial centres (the first K rows) and the same iteration count, alternating REPEATS times
# (default 3) for each K (default "8 64") and thread count (default "1 2"). Prints the medians as
# a Markdown table; raw results stay in bench/results/. Needs Debian's python3-sklearn.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
ks="${2:-8 64}"
thread_counts="${3:-1 2}"
n=1000000
d=16
iterations=20
out="bench/results/kmeans-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
data="bench/results/kmeans-${n}x${d}.f32"
./mvnw -q -B -pl omomi-bench -am package -DskipTests
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | grep -m1 'Model name' | cut -d: -f2- | xargs), $(nproc) cores"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "sklearn: $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/environment.txt"
for rep in $(seq 1 "$repeats"); do
  for k in $ks; do
    for t in $thread_counts; do
      echo "kmeans: repeat $rep/$repeats, k=$k, $t thread(s)" >&2
      OMP_NUM_THREADS="$t" /usr/bin/python3 bench/kmeans_sklearn.py "$t" "$n" "$d" "$k" "$iterations" "$data" >> "$out/runs.jsonl"
      java --add-modules jdk.incubator.vector -Xmx2g -cp omomi-bench/target/benchmarks.jar \
        org.omomi.bench.KMeansBenchmark "$t" "$n" "$d" "$k" "$iterations" "$data" \
        2> >(grep -v '^WARNING: Using incubator' >&2) >> "$out/runs.jsonl"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/environment.txt"
python3 - "$out/runs.jsonl" <<'PY' | tee "$out/table.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
keys = sorted({(r["k"], r["threads"]) for r in runs})
print("| k | threads | iterations | scikit-learn s/iteration | omomi s/iteration | omomi vs scikit-learn | scikit-learn CPU s/iteration | omomi CPU s/iteration |")
print("|---|---|---|---|---|---|---|---|")
for k, t in keys:
    sk = [r for r in runs if r["lib"] == "sklearn" and r["k"] == k and r["threads"] == t]
    om = [r for r in runs if r["lib"] == "omomi" and r["k"] == k and r["threads"] == t]
    a = statistics.median(r["s_per_iteration"] for r in sk)
    b = statistics.median(r["s_per_iteration"] for r in om)
    ca = statistics.median(r["cpu_s_per_iteration"] for r in sk)
    cb = statistics.median(r["cpu_s_per_iteration"] for r in om)
    its = sorted({r["iterations"] for r in sk + om})
    print(f"| {k} | {t} | {'/'.join(map(str, its))} | {a:.4f} | {b:.4f} | {a / b:.2f}× | {ca:.4f} | {cb:.4f} |")
print(f"\nmedians over {len(runs) // (2 * len(keys))} alternating runs each")
PY
