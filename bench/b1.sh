#!/usr/bin/env bash
# Workload B1 of BENCHMARKS-SPEC.md: float32 GEMM in GFLOP/s at the spec's shapes, 1 and 2 threads,
# omomi's pure-Java (vector) and native (openblas) paths measured with JMH, beside numpy/OpenBLAS
# and torch from ../shared/bench/pytorch/gemm_np_torch.py in the same run, REPEATS times each
# (default 3). Prints a Markdown table of medians; raw results stay in bench/results/.
#
# Needs: python3-numpy, python3-torch and libopenblas0-openmp from Debian (the spec's peer setup).
# Run it on a quiet machine: nothing else should use the two cores meanwhile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

repeats="${1:-3}"
shared="${OMOMI_SHARED:-../shared}"
reference="$shared/bench/pytorch/gemm_np_torch.py"
peer_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
[ -f "$reference" ] || { echo "b1: $reference not found; set OMOMI_SHARED to the shared folder" >&2; exit 1; }
[ -d "$peer_blas" ] || { echo "b1: $peer_blas missing; apt-get install libopenblas0-openmp" >&2; exit 1; }

out="bench/results/b1-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
./mvnw -q -B -pl omomi-bench -am package -DskipTests

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}"
} > "$out/environment.txt"

for rep in $(seq 1 "$repeats"); do
  for threads in 1 2; do
    echo "b1: repeat $rep/$repeats, $threads thread(s): numpy/torch ..." >&2
    LD_LIBRARY_PATH="$peer_blas" /usr/bin/python3 "$reference" "$threads" >> "$out/peer.jsonl"
    echo "b1: repeat $rep/$repeats, $threads thread(s): omomi (JMH) ..." >&2
    java -jar omomi-bench/target/benchmarks.jar GemmBenchmark \
      -jvmArgsAppend "--add-modules jdk.incubator.vector -Xms1g -Xmx1g -Domomi.threads=$threads" \
      -rf json -rff "$out/jmh-t$threads-r$rep.json" > "$out/jmh-t$threads-r$rep.log" 2>&1
  done
done

python3 bench/b1_table.py "$out" | tee "$out/table.md"
