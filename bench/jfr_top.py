"""Summarises a JFR recording: the methods that are on top of the stack in CPU samples, the
methods whose subtree holds the most samples (inclusive, one count per sample), and the
allocation by top frame and by class (jdk.ObjectAllocationSample weights).

    java -XX:StartFlightRecording=filename=run.jfr,settings=profile ... ; python3 bench/jfr_top.py run.jfr [N]

Uses the JDK's `jfr` tool (next to `java`). Prints Markdown tables, N rows each (default 15).
"""
import collections
import json
import os
import shutil
import subprocess
import sys


def jfr_tool():
    java = shutil.which("java")
    if java:
        cand = os.path.join(os.path.dirname(os.path.realpath(java)), "jfr")
        if os.path.exists(cand):
            return cand
    return "jfr"


def events(path, name):
    out = subprocess.run([jfr_tool(), "print", "--json", "--stack-depth", "64", "--events", name, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(f):
    m = f["method"]
    return m["type"]["name"].rsplit(".", 1)[-1] + "." + m["name"]


def table(title, counter, total, unit, n):
    print(f"\n{title} ({total:,.0f} {unit})\n")
    print(f"| share | {unit} | frame |")
    print("|---|---|---|")
    for name, c in counter.most_common(n):
        print(f"| {100 * c / total:.1f}% | {c:,.0f} | `{name}` |")


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    top, incl = collections.Counter(), collections.Counter()
    samples = 0
    for e in events(path, "jdk.ExecutionSample"):
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        samples += 1
        top[frame_name(frames[0])] += 1
        for name in {frame_name(f) for f in frames}:
            incl[name] += 1
    if samples:
        table("CPU samples, top frame", top, samples, "samples", n)
        table("CPU samples, inclusive", incl, samples, "samples", n)
    by_site, by_class = collections.Counter(), collections.Counter()
    total = 0
    for e in events(path, "jdk.ObjectAllocationSample"):
        v = e["values"]
        w = v.get("weight", 0)
        frames = (v.get("stackTrace") or {}).get("frames") or []
        # The allocating method that is not a JDK array helper.
        site = next((frame_name(f) for f in frames if not f["method"]["type"]["name"].startswith(("java.", "jdk."))),
                    frame_name(frames[0]) if frames else "?")
        by_site[site] += w / 2 ** 20
        by_class[(v.get("objectClass") or {}).get("name", "?")] += w / 2 ** 20
        total += w / 2 ** 20
    if total:
        table("Allocation (sampled weight), by allocating frame", by_site, total, "MiB", n)
        table("Allocation (sampled weight), by class", by_class, total, "MiB", n)


if __name__ == "__main__":
    main()
