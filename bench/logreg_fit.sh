#!/usr/bin/env bash
# Issue 13's timing: the default `omomi train --model logreg` (full-batch L-BFGS to tolerance) of a
# generated 50,000-row logistic table, 45 numeric and 5 categorical columns (5 levels each), the
# whole command timed (JVM start, reading the CSV, the fit, the metrics and the run folder).
#   bench/logreg_fit.sh [REPEATS]      (default 3; needs python3 for the table, GNU time)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats="${1:-3}"
out="bench/results/logreg-fit-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
python3 - "$out/t50k.csv" <<'PY'
import math, random, sys
rng = random.Random(1)
weights = [1.6 / 2 ** min(i, 4) * 0.3 for i in range(45)]          # 0.48, 0.24, ... 0.03
levels = [[rng.gauss(0, 0.5) for _ in range(5)] for _ in range(5)]  # each categorical level's effect
with open(sys.argv[1], "w") as f:
    f.write(",".join([f"x{i}" for i in range(45)] + [f"c{j}" for j in range(5)] + ["y"]) + "\n")
    for _ in range(50_000):
        x = [rng.gauss(0, 1) for _ in range(45)]
        c = [rng.randrange(5) for _ in range(5)]
        z = sum(w * v for w, v in zip(weights, x)) + sum(levels[j][c[j]] for j in range(5))
        y = 1 if rng.random() < 1 / (1 + math.exp(-z)) else 0
        f.write(",".join(f"{v:.5f}" for v in x) + "," + ",".join("abcde"[k] for k in c) + f",{y}\n")
PY
./omomi --help > /dev/null   # builds the jar if it is stale, before anything is timed
for rep in $(seq 1 "$repeats"); do
  /usr/bin/time -f "wall %e s, CPU %U+%S s, peak RSS %M KB" -o "$out/time-$rep.txt" \
    ./omomi train --model logreg --data "$out/t50k.csv" --target y --out "$out/run-$rep" > "$out/train-$rep.txt"
  echo "run $rep: $(cat "$out/time-$rep.txt"); $(grep -E '^converged|^not converged' "$out/train-$rep.txt")"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $(lscpu | grep 'Model name' | sed 's/  */ /g')"
