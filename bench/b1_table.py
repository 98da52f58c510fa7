"""Turns a bench/b1.sh results folder into the Markdown table of BENCHMARKS.md (medians over repeats)."""
import glob
import json
import os
import statistics
import sys

SHAPES = ["256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "128x784x512", "128x512x256"]


def gflops(shape, micros):
    m, k, n = map(int, shape.split("x"))
    return 2.0 * m * n * k / micros / 1e3


def main(folder):
    peer = {}  # (lib, threads, shape) -> [GFLOP/s per repeat]
    for line in open(os.path.join(folder, "peer.jsonl")):
        r = json.loads(line)
        peer.setdefault((r["lib"], r["threads"], r["shape"]), []).append(r["gflops"])
    omomi = {}  # (backend, threads, shape) -> [GFLOP/s of the median call, per repeat]
    for path in glob.glob(os.path.join(folder, "jmh-t*-r*.json")):
        threads = int(os.path.basename(path).split("-")[1][1:])
        for r in json.load(open(path)):
            p = r["params"]
            median_us = r["primaryMetric"]["scorePercentiles"]["50.0"]
            omomi.setdefault((p["backend"], threads, p["shape"]), []).append(gflops(p["shape"], median_us))
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    print(open(os.path.join(folder, "environment.txt")).read().strip().replace("\n", "; "))
    print()
    print("| shape M×K×N | threads | numpy | torch | omomi vector (pure Java) | vector / numpy | omomi openblas (native) | openblas / numpy | same OpenBLAS, off-heap | openblas / off-heap |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for threads in (1, 2):
        for shape in SHAPES:
            np_ = med(peer.get(("numpy", threads, shape), []))
            th = med(peer.get(("torch", threads, shape), []))
            vec = med(omomi.get(("vector", threads, shape), []))
            nat = med(omomi.get(("openblas", threads, shape), []))
            off = med(omomi.get(("offheap", threads, shape), []))
            reps = len(omomi.get(("vector", threads, shape), []))
            print(f"| {shape} | {threads} | {np_:.1f} | {th:.1f} | {vec:.1f} | {vec / np_:.0%} | {nat:.1f} | {nat / np_:.0%} | {off:.1f} | {nat / off:.0%} |")
    print()
    print(f"GFLOP/s, median over {reps} repeats (JMH: median call of each run; numpy/torch: median call, as the reference script reports).")


if __name__ == "__main__":
    main(sys.argv[1])
