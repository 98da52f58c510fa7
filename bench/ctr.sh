#!/usr/bin/env bash
# One epoch of DeepFM over 1,000,000 generated Criteo-layout rows streamed from disk (13 + 26 fields,
# 2^20 hash buckets, field vectors of 16, MLP 256-128-64, Adam 1e-3, batch 1024, 2 threads): omomi's
# CtrBenchmark against bench/pytorch/ctr_torch.py on the same file, alternating, REPEATS times
# (default 3). PyTorch parses in its own process (CTR_TORCH_WORKERS="0"; "0 1" also runs it with a
# DataLoader worker, which on two shared cores was 7x slower) and runs with OMP_WAIT_POLICY=PASSIVE:
# on a machine shared with other builds its OpenMP threads otherwise spin-wait for descheduled
# partners and run 4-6x slower (CTR_OMP_WAIT_POLICY= keeps OpenMP's default). omomi runs with
# CTR_JAVA_OPTS (default -Xmx640m -XX:+UseParallelGC: the heap its tables need, no more). Prints the
# medians as a Markdown table. Needs Debian's python3-torch and libopenblas0-openmp; writes the log to
# CTR_LOG (default bench/results/criteo-1m.tsv) unless it exists.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
rows="${2:-1000000}"
export OMOMI_SHARED="$(cd "${OMOMI_SHARED:-../shared}" && pwd)"
peer_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
out="bench/results/ctr-$(date -u +%Y%m%dT%H%M%SZ)"
log="${CTR_LOG:-bench/results/criteo-1m.tsv}"
mkdir -p "$out" "$(dirname "$log")"
./mvnw -q -B -o -pl omomi-bench,omomi-cli -am package -DskipTests
[ -f "$log" ] || ./omomi ctr generate --rows "$rows" --seed 1 --format criteo --out "$log"
for rep in $(seq 1 "$repeats"); do
  echo "ctr: repeat $rep/$repeats" >&2
  for workers in ${CTR_TORCH_WORKERS:-0}; do
    OMP_WAIT_POLICY="${CTR_OMP_WAIT_POLICY-PASSIVE}" LD_LIBRARY_PATH="$peer_blas" \
      /usr/bin/python3 bench/pytorch/ctr_torch.py "$log" 2 1024 "$workers" >> "$out/runs.jsonl"
  done
  java --add-modules jdk.incubator.vector -Domomi.gemm=vector ${CTR_JAVA_OPTS:--Xmx640m -XX:+UseParallelGC} -cp omomi-bench/target/benchmarks.jar \
    org.omomi.bench.CtrBenchmark "$log" 2 1024 2> >(grep -v '^WARNING: Using incubator' >&2) >> "$out/runs.jsonl"
done
python3 - "$out/runs.jsonl" <<'PY' | tee "$out/table.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in runs:
    key = r["lib"] if r["lib"] != "torch" else f"torch (workers {r['workers']})"
    by.setdefault(key, []).append(r)
best = max(statistics.median(r["rows_per_s"] for r in rs) for k, rs in by.items() if k.startswith("torch"))
print("| implementation | rows/s, one epoch from disk | vs PyTorch's best | rows/s in the training steps | first pass s | peak RSS MiB | runs' rows/s |")
print("|---|---|---|---|---|---|---|")
for key, rs in by.items():
    rps = statistics.median(r["rows_per_s"] for r in rs)
    train = statistics.median(r["train_rows_per_s"] for r in rs)
    first = statistics.median(r["first_pass_s"] for r in rs)
    rss = statistics.median(r["peak_rss_mib"] + r.get("worker_peak_rss_mib", 0) for r in rs)
    each = ", ".join(f"{r['rows_per_s']:,.0f}" for r in rs)
    print(f"| {key} | {rps:,.0f} | {rps / best:.2f}× | {train:,.0f} | {first:.1f} | {rss:.0f} | {each} |")
kernel = {r.get("openblas_corename") for rs in by.values() for r in rs if "openblas_corename" in r}
load = [r.get("loadavg1") for rs in by.values() for r in rs if "loadavg1" in r]
policy = {r.get("omp_wait_policy") for rs in by.values() for r in rs if "omp_wait_policy" in r}
print(f"\nmedians over {len(by['omomi'])} alternating runs of {runs[0]['rows']:,} rows; PyTorch's OpenBLAS kernel {kernel}, OMP_WAIT_POLICY {policy}; load average at PyTorch's runs {load}")
PY
