#!/usr/bin/env bash
# Spark scaling (issue 20): the Fashion-MNIST MLP 784-128-10 on 10,000 training images, batch 256,
# 2 epochs, trained by the plain Trainer and by omomi-spark on local[1] and local[2] in both modes
# (sync; average with 8 local steps). Alternates the configurations REPEATS times (default 3) and
# prints the medians as a Markdown table. One omomi thread per task (-Domomi.threads=1) so local[2]
# measures Spark's parallelism, not omomi's. Needs Debian's dataset-fashion-mnist (or FMNIST_DIR).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
out="bench/results/spark-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
# Spark itself is 'provided' (a cluster brings it): the classpath of the provided scope stands in for the cluster's jars.
./mvnw -q -B -o -pl omomi-spark -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$PWD/$out/cp.txt" \
  -Dmdep.includeScope=provided >/dev/null
cp="omomi-spark/target/omomi-spark.jar:$(cat "$out/cp.txt")"
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
run() {
  SPARK_LOCAL_IP=127.0.0.1 java --add-modules jdk.incubator.vector $opens -Xmx3g -Domomi.threads=1 -cp "$cp" \
    org.omomi.spark.SparkBenchmark "$@" 2> >(grep -v '^WARNING: Using incubator' | grep -v 'WARN\|INFO' >&2) >> "$out/runs.jsonl"
}
for rep in $(seq 1 "$repeats"); do
  echo "spark: repeat $rep/$repeats" >&2
  run local - 1 10000 256 2
  run sync 'local[1]' 1 10000 256 2
  run sync 'local[2]' 2 10000 256 2
  run average 'local[1]' 1 10000 256 2 8
  run average 'local[2]' 2 10000 256 2 8
done
python3 - "$out/runs.jsonl" <<'PY' | tee "$out/table.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in runs:
    by.setdefault((r["mode"], r["master"]), []).append(r)
local = statistics.median(r["ms_per_step"] for r in by[("local", "-")])
print("| training | master | partitions | rows/s (median) | ms per trainer step | overhead per step vs local | test accuracy | runs' rows/s |")
print("|---|---|---|---|---|---|---|---|")
for key, rs in by.items():
    rps = statistics.median(r["rows_per_s"] for r in rs)
    ms = statistics.median(r["ms_per_step"] for r in rs)
    acc = statistics.median(r["test_accuracy"] for r in rs)
    mode = key[0] + (f" (K={rs[0]['local_steps']})" if key[0] == "average" else "")
    over = "—" if key[0] != "sync" else f"{ms - local:+.1f} ms"
    print(f"| {mode} | {key[1]} | {rs[0]['partitions']} | {rps:,.0f} | {ms:.1f} | {over} | {acc:.4f} | "
          + ", ".join(f"{r['rows_per_s']:,.0f}" for r in rs) + " |")
PY
