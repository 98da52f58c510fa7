#!/usr/bin/env bash
# Workloads B1-B5 of BENCHMARKS-SPEC.md for omomi and PyTorch side by side, as one table of ratios
# with the CPU, both sides' OpenBLAS kernels, the date and the machine's load; P is the whole
# process (./omomi train of the B2 recipe against python3 mlp_torch.py, JVM and imports included).
#
#   bench/compare-pytorch.sh [REPEATS [WORKLOADS]]     e.g. bench/compare-pytorch.sh 3 B2,B4,P
#
# REPEATS (default 3) interleaved runs of each side, medians reported. EPOCHS (B2, default 5) and
# IMAGES (B3, default 60000) and PROCESS_EPOCHS (P, default 2) from the environment. PyTorch runs
# with OMP_WAIT_POLICY=PASSIVE (PEER_OMP_WAIT_POLICY= to change it). COMPARE_OPTS passes more options
# to bench/compare_pytorch.py, e.g. "--b1-threads 1 --b1-shapes 512x512x512,1024x1024x1024 --b2-backends vector"
# for a shorter run. Each side's OpenBLAS kernel is chosen by
# bench/coretype.py (the best the CPU supports, checked against float64); omomi runs with the
# ./omomi launcher's JVM flags. Raw results in bench/results/compare-DATE/ (not committed).
#
# Needs Debian's python3-torch, python3-numpy, libopenblas0-openmp and dataset-fashion-mnist, and
# ../shared/bench/pytorch (or OMOMI_SHARED). A whole run takes about 30 minutes on 2 cores; run it
# on a quiet machine (the table prints the load average it saw).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
workloads="${2:-B1,B2,B3,B4,B5,P}"
shared="${OMOMI_SHARED:-../shared}"
[ -d "$shared/bench/pytorch" ] || { echo "compare-pytorch: $shared/bench/pytorch not found; set OMOMI_SHARED" >&2; exit 1; }
[ -d /usr/lib/x86_64-linux-gnu/openblas-openmp ] || { echo "compare-pytorch: apt-get install libopenblas0-openmp" >&2; exit 1; }
./mvnw -q -B -o -pl omomi-bench,omomi-cli -am package -DskipTests
exec python3 bench/compare_pytorch.py --jar omomi-bench/target/benchmarks.jar --repeats "$repeats" \
  --workloads "$workloads" --epochs "${EPOCHS:-5}" --images "${IMAGES:-60000}" \
  --process-epochs "${PROCESS_EPOCHS:-2}" --shared "$shared" ${COMPARE_OPTS:-}
