#!/usr/bin/env bash
# Does watching slow training? Training samples/s of the B2 MLP (784-512-256-10, Adam, batch 128,
# Fashion-MNIST, EPOCHS epochs) three ways, alternated REPEATS times: plain `omomi train`;
# `omomi train --dashboard` with no browser; and `--dashboard` with headless Chromium showing the
# run's live page the whole time (its curves fed by server-sent events). Prints each run's
# samples/s (metrics.json's train_samples_per_second) and the medians.
# usage: bench/dashboard_watch.sh [EPOCHS] [REPEATS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
epochs="${1:-1}"
repeats="${2:-3}"
out="bench/results/watch-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
./omomi --help > /dev/null   # builds the jar if it is stale, before anything is timed

train() { # name, extra options…; sets pid
  local dir="$out/$1"; shift
  ./omomi train --model mlp --data fashion-mnist --epochs "$epochs" --out "$dir" "$@" > "$dir.log" 2>&1 &
  pid=$!
}

wait_line() { # file, pattern, pid
  for _ in $(seq 1 3000); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { grep -q "$2" "$1" && return 0; echo "dashboard_watch.sh: the training ended without '$2'; see $1" >&2; return 1; }
    sleep 0.2
  done
  return 1
}

for rep in $(seq 1 "$repeats"); do
  train "plain-$rep"
  wait "$pid"

  train "dashboard-$rep" --dashboard=18090
  wait_line "$out/dashboard-$rep.log" "training done" "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true

  train "watched-$rep" --dashboard=18091
  wait_line "$out/watched-$rep.log" "^dashboard: " "$pid"
  url=$(grep -m1 "^dashboard: " "$out/watched-$rep.log" | cut -d' ' -f2)
  chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$out/profile-$rep" \
    --remote-debugging-port=0 "$url" > "$out/chromium-$rep.log" 2>&1 &
  browser=$!
  # While it trains, the page holds its event stream open: count the browser's connections to the server.
  ( sleep 8; ss -Htn state established "( sport = :18091 )" | wc -l > "$out/watched-$rep.connections" ) &
  wait_line "$out/watched-$rep.log" "training done" "$pid"
  kill "$browser" "$pid"; wait "$browser" "$pid" 2>/dev/null || true
done

python3 - "$out" <<'PY' | tee "$out/table.md"
import glob, json, os, statistics, sys
out = sys.argv[1]
rows = {}
for way in ("plain", "dashboard", "watched"):
    for d in sorted(glob.glob(os.path.join(out, way + "-[0-9]*"))):
        m = os.path.join(d, "metrics.json")
        if os.path.isfile(m):
            rows.setdefault(way, []).append(json.load(open(m))["train_samples_per_second"])
base = statistics.median(rows["plain"])
print("| training | samples/s, each run | median | vs plain |")
print("|---|---|---|---|")
names = {"plain": "omomi train", "dashboard": "omomi train --dashboard, no browser", "watched": "omomi train --dashboard, Chromium on the live page"}
for way, rs in rows.items():
    med = statistics.median(rs)
    print(f"| {names[way]} | {', '.join(f'{r:,.0f}' for r in rs)} | {med:,.0f} | {med / base:.2f}× |")
seen = [open(f).read().strip() for f in sorted(glob.glob(os.path.join(out, "watched-*.connections")))]
print(f"\nbrowser connections to the dashboard 8 s into each watched run: {', '.join(seen)}")
PY
