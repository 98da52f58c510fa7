#!/usr/bin/env bash
# Workload B2 of BENCHMARKS-SPEC.md: MLP 784-512-256-10 on Fashion-MNIST, Adam 1e-3, batch 128,
# 2 threads. Alternates ../shared/bench/pytorch/mlp_torch.py and omomi's MlpBenchmark (pure-Java
# and OpenBLAS GEMM) REPEATS times (default 3) and prints the medians as a Markdown table.
# Needs Debian's python3-torch, libopenblas0-openmp and dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
epochs="${2:-5}"
shared="${OMOMI_SHARED:-../shared}"
peer_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
out="bench/results/b2-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
./mvnw -q -B -pl omomi-bench -am package -DskipTests
jar=omomi-bench/target/benchmarks.jar
for rep in $(seq 1 "$repeats"); do
  echo "b2: repeat $rep/$repeats" >&2
  (cd "$shared/bench/pytorch" && LD_LIBRARY_PATH="$peer_blas" /usr/bin/python3 mlp_torch.py 2 "$epochs") >> "$out/runs.jsonl"
  for gemm in vector openblas; do
    java --add-modules jdk.incubator.vector -Domomi.gemm=$gemm ${B2_JAVA_OPTS:-} -cp "$jar" org.omomi.bench.MlpBenchmark 2 "$epochs" \
      2> >(grep -v '^WARNING: Using incubator' >&2) | sed "s/\"lib\":\"omomi\"/\"lib\":\"omomi-$gemm\"/" >> "$out/runs.jsonl"
  done
done
python3 - "$out/runs.jsonl" <<'PY' | tee "$out/table.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
libs = {}
for r in runs:
    libs.setdefault(r["lib"], []).append(r)
torch = statistics.median(r["samples_per_s"] for r in libs["torch"])
print("| implementation | samples/s (median epoch) | vs PyTorch | test accuracy after 1 / last epoch | peak RSS MiB |")
print("|---|---|---|---|---|")
for lib in ("torch", "omomi-vector", "omomi-openblas"):
    rs = libs.get(lib, [])
    if not rs:
        continue
    sps = statistics.median(r["samples_per_s"] for r in rs)
    a1 = statistics.median(r["acc_ep1"] for r in rs)
    al = statistics.median(r["acc_last"] for r in rs)
    rss = statistics.median(r["peak_rss_mib"] for r in rs)
    print(f"| {lib} | {sps:,.0f} | {sps / torch:.2f}× | {a1:.1%} / {al:.1%} | {rss:.0f} |")
print(f"\nmedians over {len(libs['torch'])} runs of {runs[0]['epochs']} epochs each")
PY
