"""Chooses the OpenBLAS kernel (OPENBLAS_CORETYPE) a benchmark side runs, by the rule of
BENCHMARKS-SPEC.md: the best kernel this CPU supports, checked against a float64 product.

    python3 coretype.py peer                  # Debian's OpenBLAS as numpy/torch load it
    python3 coretype.py omomi JAR             # bytedeco's OpenBLAS as omomi-openblas loads it

Candidates come from /proc/cpuinfo: SkylakeX (and Cooperlake, SapphireRapids where the CPU has
their instructions) with avx512f; Haswell with avx2; Zen on AMD CPUs with avx2; and the
environment's own setting (or OpenBLAS's detection when unset). Each candidate runs in a child
process, alternating, ROUNDS times (default 3): it must not crash, must name the kernel asked for,
and its 300x200x100 product must agree with float64 to 1e-5 of the largest entry; among those that
pass, the fastest 1024^3 product on one thread wins (median, in thread CPU time, so that other
tenants of a shared machine do not decide). Prints one JSON line; "chosen" is the value to export
as OPENBLAS_CORETYPE ("" keeps the environment's setting, which is also the answer when no
candidate passes -- "note" then says why).
"""
import json
import os
import statistics
import subprocess
import sys

PEER_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"

PEER_PROBE = r"""
import ctypes, json, os, time
import numpy as np
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if ("libblas" in l or "libopenblas" in l) and ".so" in l})
name = "unknown"
for path in libs:
    try:
        lib = ctypes.CDLL(path); lib.openblas_get_corename.restype = ctypes.c_char_p
        name = lib.openblas_get_corename().decode(); break
    except (OSError, AttributeError):
        continue
r = np.random.default_rng(0)
a, b = r.standard_normal((300, 200)).astype(np.float32), r.standard_normal((200, 100)).astype(np.float32)
d = a.astype(np.float64) @ b.astype(np.float64)
ok = bool(np.max(np.abs(a @ b - d)) / np.max(np.abs(d)) < 1e-5)
x = r.standard_normal((1024, 1024), dtype=np.float32); y = r.standard_normal((1024, 1024), dtype=np.float32)
z = np.empty((1024, 1024), dtype=np.float32)
for _ in range(3):
    np.matmul(x, y, out=z)
ts = []
for _ in range(7):
    t = time.thread_time(); np.matmul(x, y, out=z); ts.append(time.thread_time() - t)
ts.sort()
print(json.dumps({"corename": name, "gemm_ok": ok, "gflops": 2 * 1024 ** 3 / ts[3] / 1e9}))
"""


def cpu_flags():
    vendor, flags = "", set()
    for line in open("/proc/cpuinfo"):
        if line.startswith("vendor_id") and not vendor:
            vendor = line.split(":", 1)[1].strip()
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    return vendor, flags


def candidates():
    vendor, flags = cpu_flags()
    out = []
    if "avx512f" in flags:
        out.append("SkylakeX")
        if "avx512_bf16" in flags:
            out.append("Cooperlake")
        if "avx512_fp16" in flags or "amx_tile" in flags:
            out.append("SapphireRapids")
    if "avx2" in flags:
        out.append("Haswell")
        if vendor == "AuthenticAMD":
            out.append("Zen")
    return out


def probe(side, jar, coretype):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    if side == "peer":
        env["LD_LIBRARY_PATH"] = PEER_BLAS
        cmd = ["/usr/bin/python3", "-c", PEER_PROBE]
    else:
        cmd = ["java", "-Domomi.threads=1", "-cp", jar, "org.omomi.bench.OpenBlasProbe"]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    if p.returncode != 0:
        tail = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
        return {"error": "exit %d (%s)" % (p.returncode, tail[:120])}
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    return {"error": "no result line"}


def main():
    side = sys.argv[1] if len(sys.argv) > 1 else "peer"
    jar = sys.argv[2] if len(sys.argv) > 2 else None
    rounds = int(os.environ.get("ROUNDS", "3"))
    if side not in ("peer", "omomi") or (side == "omomi" and not jar):
        sys.exit("usage: coretype.py peer | coretype.py omomi JAR")
    env_setting = os.environ.get("OPENBLAS_CORETYPE", "")
    names = [""] + [c for c in candidates() if c != env_setting]
    runs = {n: [] for n in names}
    for _ in range(rounds):
        for n in names:
            runs[n].append(probe(side, jar, n or env_setting))
    table, best, note = [], None, ""
    for n in names:
        rs = runs[n]
        errors = [r["error"] for r in rs if "error" in r]
        good = [r for r in rs if "error" not in r]
        corename = good[0]["corename"] if good else None
        ok = not errors and all(r["gemm_ok"] for r in good) and (not n or (corename or "").lower() == n.lower())
        gf = statistics.median(r["gflops"] for r in good) if good else None
        table.append({"coretype": n or ("environment: " + (env_setting or "unset, detected")), "corename": corename,
                      "ok": ok, "gflops_1thread": round(gf, 1) if gf else None, "errors": errors[:1]})
        if ok and (best is None or gf > best[1]):
            best = (n, gf)
    if best is None:
        note = "no kernel passed the float64 check; keeping the environment's setting"
        chosen = ""
    else:
        chosen = best[0] or env_setting
    print(json.dumps({"side": side, "chosen": chosen, "candidates": table, "note": note}))


if __name__ == "__main__":
    main()
