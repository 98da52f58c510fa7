#!/usr/bin/env bash
# Issue 17's load test: 60 s at 64 connections on loopback (Debian's wrk, 2 threads), one
# Fashion-MNIST test image per request (a JSON row of 784 pixels), against omomi's prediction
# server (omomi serve) and a minimal PyTorch HTTP server of the same weights (bench/serve_torch.py),
# one after the other, REPEATS times; prints requests/s, p50, p99 and errors per run and the medians.
# usage: bench/serve_load.sh [RUN_DIR] [SECONDS] [REPEATS]
# RUN_DIR defaults to bench/results/fmnist-mlp, trained first when absent:
#   ./omomi train --model mlp --data fashion-mnist --epochs 1 --out bench/results/fmnist-mlp
# Needs wrk, python3-torch, python3-numpy, libopenblas0-openmp and dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
run="${1:-bench/results/fmnist-mlp}"
secs="${2:-60}"
repeats="${3:-1}"
warm="${WARMUP_SECONDS:-10}"
out="bench/results/serve-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
if [ ! -f "$run/model.safetensors" ]; then
  ./omomi train --model mlp --data fashion-mnist --epochs 1 --out "$run"
fi
name="$(basename "$run")"
body="$out/body.json"
python3 - "$body" <<'PY'
import gzip, json, sys
data = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()[16:16 + 784]
json.dump({"rows": [[b / 255 for b in data]]}, open(sys.argv[1], "w"))
PY
peer_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
./omomi --help > /dev/null   # builds the jar if it is stale, before anything is timed

wait_for() { # port
  for _ in $(seq 1 300); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$body" "http://127.0.0.1:$1/api/runs/$name/predict" && return 0
    sleep 0.2
  done
  echo "serve_load.sh: nothing answers on port $1" >&2
  return 1
}

load() { # label port
  BODY="$body" wrk -t2 -c64 -d"${warm}s" -s bench/serve_post.lua "http://127.0.0.1:$2/api/runs/$name/predict" > /dev/null
  echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/$1.txt"
  BODY="$body" wrk -t2 -c64 -d"${secs}s" --latency -s bench/serve_post.lua "http://127.0.0.1:$2/api/runs/$name/predict" >> "$out/$1.txt"
}

for rep in $(seq 1 "$repeats"); do
  ./omomi serve "$run" --port 18080 > "$out/omomi-server-$rep.log" 2>&1 &
  pid=$!
  wait_for 18080
  load "omomi-$rep" 18080
  kill "$pid"; wait "$pid" 2>/dev/null || true

  LD_LIBRARY_PATH="$peer_blas" /usr/bin/python3 bench/serve_torch.py "$run" 18081 1 > "$out/torch-server-$rep.log" 2>&1 &
  pid=$!
  wait_for 18081
  load "torch-$rep" 18081
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

python3 - "$out" <<'PY' | tee "$out/table.md"
import glob, os, re, statistics, sys
out = sys.argv[1]
def ms(s):
    v, unit = re.match(r"([\d.]+)(us|ms|s)", s).groups()
    return float(v) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit]
rows = {}
for f in sorted(glob.glob(os.path.join(out, "*-[0-9]*.txt"))):
    t = open(f).read()
    who = os.path.basename(f).rsplit("-", 1)[0]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p50 = ms(re.search(r"\n\s+50%\s+(\S+)", t).group(1))
    p99 = ms(re.search(r"\n\s+99%\s+(\S+)", t).group(1))
    total = int(re.search(r"(\d+) requests in", t).group(1))
    errs = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", t))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", t)) else 0
    load = re.search(r"loadavg before: (\S+)", t).group(1)
    rows.setdefault(who, []).append((rps, p50, p99, total, errs + non2xx, load))
print("| server | requests/s | p50 ms | p99 ms | requests | errors | load average before |")
print("|---|---|---|---|---|---|---|")
for who, rs in rows.items():
    for r in rs:
        print(f"| {who} | {r[0]:,.0f} | {r[1]:.2f} | {r[2]:.2f} | {r[3]:,} | {r[4]} | {r[5]} |")
for who, rs in rows.items():
    print(f"\n{who}: median {statistics.median(r[0] for r in rs):,.0f} requests/s, p50 {statistics.median(r[1] for r in rs):.2f} ms, "
          f"p99 {statistics.median(r[2] for r in rs):.2f} ms over {len(rs)} runs")
PY
cat "$out"/torch-server-1.log | head -1
