#!/usr/bin/env bash
# The BPR workload (BENCHMARKS.md): one epoch of BPR over 1,000,000 generated interactions (50,000
# users x 20,000 items, 64 factors, batch 1024, one negative, SparseAdam lr 0.01, L2 1e-4 on the rows
# used). Generates the data once with `omomi recommend generate` (bench/results/bpr-1m.csv), then
# alternates bench/bpr_torch.py and omomi's BprBenchmark REPEATS times (default 3) with EPOCHS epochs
# each (default 3), at each of PEER_THREADS (default "1 2") for PyTorch and OMOMI_THREADS (default
# "1 2") for omomi, and prints the medians as a Markdown table. Needs Debian's python3-torch and
# libopenblas0-openmp; the peer runs with common.py's best OpenBLAS kernel for this CPU.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
epochs="${2:-3}"
peer_threads="${PEER_THREADS:-1 2}"
omomi_threads="${OMOMI_THREADS:-1 2}"
peer_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
out="bench/results/bpr-$(date -u +%Y%m%dT%H%M%SZ)"
data=bench/results/bpr-1m.csv
mkdir -p "$out"
./mvnw -q -B -pl omomi-bench,omomi-cli -am package -DskipTests
if [ ! -f "$data" ]; then
  ./omomi recommend generate --users 50000 --items 20000 --per-user 20 --seed 1 --out "$data" >&2
fi
jar=omomi-bench/target/benchmarks.jar
for rep in $(seq 1 "$repeats"); do
  echo "bpr: repeat $rep/$repeats" >&2
  for t in $peer_threads; do
    OMOMI_SHARED_BENCH="${OMOMI_SHARED:-../shared}/bench/pytorch" LD_LIBRARY_PATH="$peer_blas" \
      /usr/bin/python3 bench/bpr_torch.py "$data" "$t" "$epochs" >> "$out/runs.jsonl"
  done
  for t in $omomi_threads; do
    java --add-modules jdk.incubator.vector -Xmx4g ${BPR_JAVA_OPTS:-} -cp "$jar" org.omomi.bench.BprBenchmark "$data" "$t" "$epochs" \
      2> >(grep -v '^WARNING: Using incubator' >&2) >> "$out/runs.jsonl"
  done
done
python3 - "$out/runs.jsonl" <<'PY' | tee "$out/table.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in runs:
    by.setdefault((r["lib"], r["threads"]), []).append(r)
best_torch = max(statistics.median(r["samples_per_s"] for r in rs) for (lib, _), rs in by.items() if lib == "torch")
print("| implementation | threads | samples/s (median epoch) | vs PyTorch's best | epoch s (min–max over runs) | loss after the last epoch | peak RSS MiB | load avg |")
print("|---|---|---|---|---|---|---|---|")
for (lib, t), rs in sorted(by.items()):
    sps = statistics.median(r["samples_per_s"] for r in rs)
    lo = min(r["epoch_s_min"] for r in rs)
    hi = max(r["epoch_s_max"] for r in rs)
    loss = statistics.median(r["loss_last"] for r in rs)
    rss = statistics.median(r["peak_rss_mib"] for r in rs)
    load = statistics.median(r["loadavg1"] for r in rs)
    print(f"| {lib} | {t} | {sps:,.0f} | {sps / best_torch:.2f}× | {lo:.1f}–{hi:.1f} | {loss:.4f} | {rss:.0f} | {load:.1f} |")
k = [r for r in runs if r["lib"] == "torch"]
if k:
    print(f"\npeer kernel: {k[0].get('openblas_corename')} (OPENBLAS_CORETYPE={k[0].get('openblas_coretype')}), "
          f"{len(runs) // max(1, len(by))} runs of {runs[0]['epochs']} epochs per row")
PY
