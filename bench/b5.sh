#!/usr/bin/env bash
# Workload B5 of BENCHMARKS-SPEC.md: logistic regression on 1,000,000 synthetic rows x 32 features, SGD
# lr 0.1, batch 1024, seeded shuffle, 2 threads, 5 epochs. Alternates ../shared/bench/pytorch/logreg_torch.py
# and omomi's LogregBenchmark REPEATS times (default 3) and prints the medians as a Markdown table.
# PyTorch runs with OMP_WAIT_POLICY=PASSIVE (B5_OMP_WAIT_POLICY= keeps OpenMP's default): on a machine
# shared with other builds its OpenMP threads otherwise spin-wait for descheduled partners and run
# many times slower. Needs Debian's python3-torch and libopenblas0-openmp.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
shared="${OMOMI_SHARED:-../shared}"
peer_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
out="bench/results/b5-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
./mvnw -q -B -o -pl omomi-bench -am package -DskipTests
for rep in $(seq 1 "$repeats"); do
  echo "b5: repeat $rep/$repeats" >&2
  (cd "$shared/bench/pytorch" && OMP_WAIT_POLICY="${B5_OMP_WAIT_POLICY-PASSIVE}" LD_LIBRARY_PATH="$peer_blas" \
    /usr/bin/python3 logreg_torch.py 2) >> "$out/runs.jsonl"
  java --add-modules jdk.incubator.vector -Domomi.gemm=vector ${B5_JAVA_OPTS:-} -cp omomi-bench/target/benchmarks.jar \
    org.omomi.bench.LogregBenchmark 2 5 2> >(grep -v '^WARNING: Using incubator' >&2) >> "$out/runs.jsonl"
done
python3 - "$out/runs.jsonl" <<'PY' | tee "$out/table.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in runs:
    by.setdefault(r["lib"], []).append(r)
torch = statistics.median(r["epoch_s_median"] for r in by["torch"])
print("| implementation | s/epoch (median of runs' medians) | rows/s | vs PyTorch | training accuracy | peak RSS MiB | runs' medians |")
print("|---|---|---|---|---|---|---|")
for lib in ("torch", "omomi"):
    rs = by[lib]
    s = statistics.median(r["epoch_s_median"] for r in rs)
    acc = statistics.median(r["train_acc"] for r in rs)
    rss = [r.get("peak_rss_mib") for r in rs if r.get("peak_rss_mib") is not None]
    each = ", ".join(f"{r['epoch_s_median']:.3f}" for r in rs)
    print(f"| {lib} | {s:.3f} | {1e6 / s:,.0f} | {torch / s:.2f}× | {acc:.1%} | {statistics.median(rss) if rss else float('nan'):.0f} | {each} |")
kernel = {r.get("openblas_corename") for r in by["torch"]}
load = [r.get("loadavg1") for r in by["torch"]]
print(f"\nmedians over {len(by['torch'])} alternating runs; PyTorch's OpenBLAS kernel {kernel}; load average at its runs {load}")
PY
