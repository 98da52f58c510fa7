#!/usr/bin/env bash
# Workload B3 of BENCHMARKS-SPEC.md: the CNN (conv 32, pool, conv 64, pool, dense 128, dense 10) on
# Fashion-MNIST, Adam 1e-3, batch 128, 2 threads, one epoch of IMAGES (default 60,000). Alternates
# ../shared/bench/pytorch/cnn_torch.py and omomi's CnnBenchmark REPEATS times (default 3) and prints
# the medians as a Markdown table. Needs Debian's python3-torch, libopenblas0-openmp and
# dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
images="${2:-60000}"
shared="${OMOMI_SHARED:-../shared}"
peer_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
out="bench/results/b3-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
./mvnw -q -B -pl omomi-bench -am package -DskipTests
for rep in $(seq 1 "$repeats"); do
  echo "b3: repeat $rep/$repeats" >&2
  (cd "$shared/bench/pytorch" && LD_LIBRARY_PATH="$peer_blas" /usr/bin/python3 cnn_torch.py 2 "$images") >> "$out/runs.jsonl"
  java --add-modules jdk.incubator.vector -Domomi.gemm=vector -cp omomi-bench/target/benchmarks.jar \
    org.omomi.bench.CnnBenchmark 2 "$images" cnn 2> >(grep -v '^WARNING: Using incubator' >&2) >> "$out/runs.jsonl"
done
python3 - "$out/runs.jsonl" <<'PY' | tee "$out/table.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in runs:
    by.setdefault(r["lib"], []).append(r)
torch = statistics.median(r["images_per_s"] for r in by["torch"])
print("| implementation | images/s (epoch) | vs PyTorch | images/s (first 10,000) | test accuracy after 1 epoch | peak RSS MiB |")
print("|---|---|---|---|---|---|")
for lib in ("torch", "omomi"):
    rs = by[lib]
    ips = statistics.median(r["images_per_s"] for r in rs)
    first = statistics.median(r["images_per_s_first10k"] for r in rs)
    acc = statistics.median(r["test_acc"] for r in rs)
    rss = statistics.median(r["peak_rss_mib"] for r in rs)
    print(f"| {lib} | {ips:,.0f} | {ips / torch:.2f}× | {first:,.0f} | {acc:.1%} | {rss:.0f} |")
print(f"\nmedians over {len(by['torch'])} runs of {runs[0]['images']} images each")
PY
