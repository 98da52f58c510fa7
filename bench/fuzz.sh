#!/usr/bin/env bash
# The long fuzz run (issue 21, "Parsers under attack"): every reader's seeded mutation test with
# many more cases than CI's 1,000. Same harness, same seed (21) and the same contract as the tests
# (org.omomi.testing.Fuzz); only the number of cases changes, so case i here is case i there.
#
#   bench/fuzz.sh [CASES] [READERS]      e.g. bench/fuzz.sh 1000000 'json|model-json'
#
# CASES defaults to 1,000,000. READERS is a regular expression over the readers' names (the names
# in target/fuzz-summary.txt and docs/robustness.md; default: all). Each module's summary lines
# ("fuzz NAME: N cases, P parsed, R refused, F failures, T s") are appended to
# MODULE/target/fuzz-summary.txt and printed at the end; failing inputs are kept in
# MODULE/target/fuzz-failures/NAME/CASE.bin. Set FUZZ_SEED for another seed.
#
# Many readers write each case to a file and some (checkpoints, run folders) write atomically,
# with an fsync per case; their temporary folders go to a tmpfs (FUZZ_TMP, default /dev/shm when it
# exists), which halves their time. Two runs can share the 2 cores: give each FUZZ_MODULES (a
# subset of the modules below) and FUZZ_APPEND=1 so neither clears the other's summaries, e.g.
#   FUZZ_APPEND=1 FUZZ_MODULES=omomi-core,omomi-dashboard bench/fuzz.sh 1000000 '...' &
#   FUZZ_APPEND=1 FUZZ_MODULES=omomi-ctr,omomi-recommend bench/fuzz.sh 1000000 '...'
set -euo pipefail
cd "$(dirname "$0")/.."
CASES="${1:-1000000}"
ONLY="${2:-.*}"
SEED="${FUZZ_SEED:-21}"
TESTS='CoreReadersFuzzTest,CtrReadersFuzzTest,RecommendReadersFuzzTest,SegmentReadersFuzzTest,PngFuzzTest,OnnxInputsFuzzTest,RequestBodiesFuzzTest'
MODULES="${FUZZ_MODULES:-omomi-core,omomi-explain,omomi-ctr,omomi-recommend,omomi-segment,omomi-onnx,omomi-dashboard}"
[ "${FUZZ_APPEND:-0}" = 1 ] || rm -f omomi-*/target/fuzz-summary.txt
TMP_ROOT="${FUZZ_TMP:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}"
WORK_TMP="$(mktemp -d "$TMP_ROOT/omomi-fuzz.XXXXXX")"
trap 'rm -rf "$WORK_TMP"' EXIT
# A case is bounded by 60 s here (the machine may be loaded for hours); surefire's own timeout is off.
./mvnw -B -o -q -fae -pl "$MODULES" -am test -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false \
    -Domomi.fuzz.cases="$CASES" -Domomi.fuzz.only="$ONLY" -Domomi.fuzz.seed="$SEED" -Domomi.fuzz.timeout=60 \
    "-Dtest.jvmExtra=-Djava.io.tmpdir=$WORK_TMP" || status=$?
cat omomi-*/target/fuzz-summary.txt 2>/dev/null || true
exit "${status:-0}"
