"""Runs workloads B1-B5 of BENCHMARKS-SPEC.md for omomi and for PyTorch side by side and prints
one table of ratios. Called by bench/compare-pytorch.sh, which builds the benchmark jar first.

    python3 bench/compare_pytorch.py --jar omomi-bench/target/benchmarks.jar [--repeats 3]
        [--workloads B1,B2,B3,B4,B5,P] [--epochs 5] [--images 60000] [--process-epochs 2] [--shared ../shared]

How it is fair (BENCHMARKS-SPEC.md, "The peer, set up fairly"):
- each side's OpenBLAS kernel is chosen by bench/coretype.py (the best kernel the CPU supports,
  checked against a float64 product), and the kernel each run actually loaded is recorded;
- the two sides alternate, run by run, and the order flips every repeat; every figure is a median
  over the repeats, and every ratio is that of the medians, with the range of the per-repeat
  ratios beside it;
- omomi's Java processes run with the JVM flags of the ./omomi launcher, so peak RSS is what a
  user gets;
- the one-minute load average before and after every run is recorded: on a shared machine other
  tenants' work shows up there, and figures taken under load say so.

Results go to bench/results/compare-DATE/ (runs.jsonl, table.md; not committed).
"""
import argparse
import datetime
import json
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEER_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
SHAPES = ["256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "128x784x512", "128x512x256"]

sys.path.insert(0, HERE)
import coretype  # noqa: E402  (bench/coretype.py)


def load1():
    return float(open("/proc/loadavg").read().split()[0])


def launcher_jvm_flags():
    """The JVM flags the ./omomi launcher passes (its `jvm_flags=(...)` line), as a list."""
    flags = ["--add-modules", "jdk.incubator.vector"]
    for line in open(os.path.join(ROOT, "omomi")):
        m = re.match(r"\s*jvm_flags=\((.*)\)\s*$", line)
        if m:
            flags = shlex.split(m.group(1))
        m = re.match(r"\s*jvm_flags\+=\((.*)\)\s*$", line)
        if m and thp_offered():  # the launcher adds these where the kernel offers huge pages
            flags += shlex.split(m.group(1))
    return flags


def thp_offered():
    try:
        return re.search(r"\[(madvise|always)\]", open("/sys/kernel/mm/transparent_hugepage/enabled").read()) is not None
    except OSError:
        return False


class Runner:
    def __init__(self, args, out):
        self.args = args
        self.out = out
        self.log = open(os.path.join(out, "runs.jsonl"), "a")
        self.jvm = launcher_jvm_flags()

    def record(self, workload, rep, side, results, load_before, seconds, cmd):
        rec = {"workload": workload, "repeat": rep, "side": side, "load_before": load_before, "load_after": load1(),
               "wall_s": round(seconds, 2), "cpu_s": getattr(self, "cpu_s", None), "command": cmd, "results": results}
        self.log.write(json.dumps(rec) + "\n")
        self.log.flush()
        return rec

    def run(self, workload, rep, side, cmd, env=None, cwd=None, jmh_file=None):
        print(f"  {workload} repeat {rep} {side}: {' '.join(cmd)[:140]}", file=sys.stderr, flush=True)
        before = load1()
        t0 = time.time()
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(cmd, env=dict(os.environ, **(env or {})), cwd=cwd, capture_output=True, text=True)
        seconds = time.time() - t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # The command's CPU seconds, its threads and children together: on a loaded machine the
        # steadier figure beside the wall time (other tenants take wall time, not CPU time).
        self.cpu_s = round(ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime, 2)
        if p.returncode != 0:
            results = [{"error": f"exit {p.returncode}", "stderr": p.stderr[-2000:]}]
            print(f"    failed: exit {p.returncode}: {p.stderr.strip().splitlines()[-1:] }", file=sys.stderr)
        elif jmh_file:
            results = json.load(open(jmh_file))
        else:
            results = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        shown = " ".join(f"{k}={v}" for k, v in sorted((env or {}).items()) if k.startswith(("OPENBLAS", "LD_", "PEER", "OMP")))
        return self.record(workload, rep, side, results, before, seconds, (shown + " " + " ".join(cmd)).strip())

    # -- the peer -------------------------------------------------------------------------------

    def peer(self, workload, rep, script, *script_args):
        # OpenMP's threads wait passively: on a shared machine its default spin-wait fights the other
        # tenants for the two cores and runs PyTorch 4-6x slower (bench/ctr.sh, bench/b5.sh).
        env = {"PEER_KEEP_CORETYPE": "1", "LD_LIBRARY_PATH": PEER_BLAS, "OMP_WAIT_POLICY": self.args.omp_wait_policy}
        if self.args.peer_coretype:
            env["OPENBLAS_CORETYPE"] = self.args.peer_coretype
        cwd = os.path.join(self.args.shared, "bench", "pytorch")
        return self.run(workload, rep, "pytorch", ["/usr/bin/python3", script, *map(str, script_args)], env=env, cwd=cwd)

    # -- omomi ----------------------------------------------------------------------------------

    def omomi_env(self):
        return {"OPENBLAS_CORETYPE": self.args.omomi_coretype} if self.args.omomi_coretype else {}

    def java(self, workload, rep, side, props, main, *main_args):
        cmd = ["java", *self.jvm, *props, "-cp", self.args.jar, main, *map(str, main_args)]
        return self.run(workload, rep, side, cmd, env=self.omomi_env())

    def jmh(self, workload, rep, side, bench, extra):
        f = os.path.join(self.out, f"jmh-{workload}-{side}-r{rep}.json")
        cmd = ["java", "-jar", self.args.jar, bench, *extra, "-rf", "json", "-rff", f]
        return self.run(workload, rep, side, cmd, env=self.omomi_env(), jmh_file=f)

    # -- workloads ------------------------------------------------------------------------------

    def b1(self, rep, omomi_first):
        for threads in map(int, self.args.b1_threads.split(",")):
            # -jvmArgsAppend replaces the @Fork annotation's, so it repeats them: without
            # --add-modules the vector backend is absent and JMH drops its runs.
            steps = [lambda t=threads: self.peer("B1", rep, "gemm_np_torch.py", t),
                     lambda t=threads: self.jmh("B1", rep, f"omomi-t{t}", "GemmBenchmark",
                                                ["-p", "backend=vector,openblas", "-p", "shape=" + self.args.b1_shapes,
                                                 "-jvmArgsAppend", f"--add-modules jdk.incubator.vector -Xms1g -Xmx1g -Domomi.threads={t}"])]
            for s in (steps[::-1] if omomi_first else steps):
                s()

    def b2(self, rep, omomi_first):
        e = self.args.epochs
        steps = [lambda: self.peer("B2", rep, "mlp_torch.py", 2, e)]
        for gemm in self.args.b2_backends.split(","):
            steps.append(lambda g=gemm: self.java("B2", rep, f"omomi-{g}", [f"-Domomi.gemm={g}"], "org.omomi.bench.MlpBenchmark", 2, e))
        for s in (steps[::-1] if omomi_first else steps):
            s()

    def b3(self, rep, omomi_first):
        n = self.args.images
        steps = [lambda: self.peer("B3", rep, "cnn_torch.py", 2, n),
                 lambda: self.java("B3", rep, "omomi-vector", ["-Domomi.gemm=vector"], "org.omomi.bench.CnnBenchmark", 2, n, "cnn")]
        for s in (steps[::-1] if omomi_first else steps):
            s()

    def b4(self, rep, omomi_first):
        steps = [lambda: self.peer("B4", rep, "latency_torch.py", 1),
                 lambda: self.jmh("B4", rep, "omomi", "InferenceBenchmark", [])]
        for s in (steps[::-1] if omomi_first else steps):
            s()

    def p(self, rep, omomi_first):
        """Whole process, JVM start included: ./omomi train of the B2 recipe (constant rate, as
        mlp_torch.py) for EPOCHS_P epochs against python3 mlp_torch.py 2 EPOCHS_P; wall seconds."""
        e = self.args.process_epochs
        run_dir = os.path.join(self.out, "process-run")

        def omomi():
            subprocess.run(["rm", "-rf", run_dir])
            cmd = [os.path.join(ROOT, "omomi"), "train", "--model", "mlp", "--hidden", "512,256", "--data", "fashion-mnist",
                   "--epochs", str(e), "--optimizer", "adam", "--lr", "1e-3", "--batch-size", "128", "--schedule", "none",
                   "--out", run_dir]
            self.run("P", rep, "omomi-process", cmd, env={"OMOMI_JAVA_OPTS": os.environ.get("OMOMI_JAVA_OPTS", "")})

        def torch():
            r = self.peer("P", rep, "mlp_torch.py", 2, e)
            self.log.write(json.dumps(dict(r, side="pytorch-process")) + "\n")
            self.log.flush()

        for s in ((omomi, torch) if omomi_first else (torch, omomi)):
            s()

    def b5(self, rep, omomi_first):
        steps = [lambda: self.peer("B5", rep, "logreg_torch.py", 2),
                 lambda: self.java("B5", rep, "omomi-vector", ["-Domomi.gemm=vector"], "org.omomi.bench.LogregBenchmark", 2)]
        for s in (steps[::-1] if omomi_first else steps):
            s()


# ---------------------------------------------------------------------------------------------- table

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def figures(runs):
    """(workload, side, key) -> [value per repeat]."""
    f = {}

    def put(wl, side, key, value, rep):
        f.setdefault((wl, side, key), {})[rep] = value

    for r in runs:
        wl, side, rep = r["workload"], r["side"], r["repeat"]
        if wl == "P" and side.endswith("-process") and not any("error" in x for x in r["results"]):
            put(wl, side, "wall_s", r["wall_s"], rep)
            if r.get("cpu_s") is not None:
                put(wl, side, "cpu_s", r["cpu_s"], rep)
        for x in r["results"]:
            if "error" in x:
                continue
            if wl == "B1" and side == "pytorch":
                put(wl, x["lib"], (x["shape"], x["threads"]), x["gflops"], rep)
            elif wl == "B1":
                threads = int(side.split("-t")[1])
                m, k, n = map(int, x["params"]["shape"].split("x"))
                p50 = x["primaryMetric"]["scorePercentiles"]["50.0"]
                put(wl, "omomi-" + x["params"]["backend"], (x["params"]["shape"], threads), 2.0 * m * k * n / p50 / 1e3, rep)
            elif wl == "B4" and side == "pytorch":
                put(wl, "pytorch", x["bench"] + ".median", x["median_us"], rep)
                put(wl, "pytorch", x["bench"] + ".p99", x["p99_us"], rep)
            elif wl == "B4":
                name = x["benchmark"].rsplit(".", 1)[1]
                pct = x["primaryMetric"]["scorePercentiles"]
                put(wl, "omomi", name + ".median", pct["50.0"], rep)
                put(wl, "omomi", name + ".p99", pct["99.0"], rep)
            elif wl == "B2":
                for key in ("samples_per_s", "acc_ep1", "acc_last", "peak_rss_mib"):
                    put(wl, side, key, x[key], rep)
            elif wl == "B3":
                for key in ("images_per_s", "test_acc", "peak_rss_mib"):
                    put(wl, side, key, x[key], rep)
            elif wl == "P":
                pass  # read from the record itself, below
            elif wl == "B5":
                for key in ("epoch_s_median", "train_acc"):
                    put(wl, side, key, x[key], rep)
            if wl != "B1" or side == "pytorch":
                for k in ("openblas_corename", "gemm_ok"):
                    if k in x:
                        put(wl, side, k, x[k], rep)
    return f


def ratio_cell(f, num, den, invert=False):
    """Median(num)/median(den) with the range of per-repeat ratios."""
    a, b = f.get(num, {}), f.get(den, {})
    ma, mb = med(list(a.values())), med(list(b.values()))
    if ma is None or mb is None or mb == 0:
        return None, "—"
    per = [(a[r] / b[r]) for r in a if r in b and b[r]]
    val = ma / mb
    rng = f" ({min(per):.2f}–{max(per):.2f})" if len(per) > 1 else ""
    return val, f"{val:.2f}×{rng}"


def fmt(v, digits=1, unit=""):
    if v is None:
        return "—"
    if isinstance(v, float) and abs(v) >= 1000:
        return f"{v:,.0f}{unit}"
    return f"{v:.{digits}f}{unit}"


def verdict(value, target, higher_is_better=True):
    if value is None:
        return "—"
    ok = value >= target if higher_is_better else value <= target
    return "yes" if ok else "no"


def table(out, env):
    runs = [json.loads(l) for l in open(os.path.join(out, "runs.jsonl"))]
    f = figures(runs)
    loads = [r["load_before"] for r in runs] + [r["load_after"] for r in runs]
    reps = len({r["repeat"] for r in runs})
    lines = []
    lines.append(f"Date: {env['date']}; CPU: {env['cpu']} ({env['cores']} cores; {env['simd']}); Java: {env['java']}; "
                 f"PyTorch {env['torch']}.")
    lines.append(f"OpenBLAS kernels: PyTorch/numpy (Debian OpenBLAS 0.3.21) {env['peer_kernel']}; "
                 f"omomi-openblas (bytedeco OpenBLAS 0.3.31) {env['omomi_kernel']}.")
    lines.append(f"Load average (1 min) during the runs: {min(loads):.1f}–{max(loads):.1f}, median {statistics.median(loads):.1f} "
                 f"on {env['cores']} cores; medians over {reps} repeat(s), the two sides alternating.")
    lines.append(f"omomi JVM flags (the ./omomi launcher's): {' '.join(env['jvm'])}; PyTorch with "
                 f"OMP_WAIT_POLICY={env.get('omp_wait_policy', 'unset')} (OpenMP's threads sleep while waiting: spinning "
                 f"on a shared machine's two cores runs it 4-6x slower).")
    lines.append("")
    lines.append("| id | figure | PyTorch | omomi (pure Java) | omomi ÷ PyTorch | omomi (OpenBLAS) | omomi ÷ PyTorch | target | met |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for threads in (1, 2):
        for shape in SHAPES:
            key = (shape, threads)
            peer = med(list(f.get(("B1", "numpy", key), {}).values()))
            vec = med(list(f.get(("B1", "omomi-vector", key), {}).values()))
            nat = med(list(f.get(("B1", "omomi-openblas", key), {}).values()))
            if vec is None and nat is None:  # a shape omomi's side did not run (--b1-shapes)
                continue
            rv, cv = ratio_cell(f, ("B1", "omomi-vector", key), ("B1", "numpy", key))
            rn, cn = ratio_cell(f, ("B1", "omomi-openblas", key), ("B1", "numpy", key))
            n = int(shape.split("x")[0])
            square = len(set(shape.split("x"))) == 1
            target = "pure Java ≥ 0.80, native ≥ 0.95" if threads == 1 and square and n >= 512 else "—"
            met = "—" if target == "—" else f"{verdict(rv, 0.80)} / {verdict(rn, 0.95)}"
            lines.append(f"| B1 | GEMM {shape}, {threads} thread(s), GFLOP/s | {fmt(peer)} (numpy) | {fmt(vec)} | {cv} | {fmt(nat)} | {cn} | {target} | {met} |")
    if any(k[0] == "B2" for k in f):
        peer = med(list(f.get(("B2", "pytorch", "samples_per_s"), {}).values()))
        vec = med(list(f.get(("B2", "omomi-vector", "samples_per_s"), {}).values()))
        nat = med(list(f.get(("B2", "omomi-openblas", "samples_per_s"), {}).values()))
        rv, cv = ratio_cell(f, ("B2", "omomi-vector", "samples_per_s"), ("B2", "pytorch", "samples_per_s"))
        rn, cn = ratio_cell(f, ("B2", "omomi-openblas", "samples_per_s"), ("B2", "pytorch", "samples_per_s"))
        lines.append(f"| B2 | MLP training, samples/s (median epoch) | {fmt(peer)} | {fmt(vec)} | {cv} | {fmt(nat)} | {cn} | ≥ 1.5× | {verdict(rv, 1.5)} |")
        for key, name in (("acc_ep1", "test accuracy after epoch 1"), ("acc_last", f"test accuracy after epoch {env['epochs']}")):
            p = med(list(f.get(("B2", "pytorch", key), {}).values()))
            v = med(list(f.get(("B2", "omomi-vector", key), {}).values()))
            o = med(list(f.get(("B2", "omomi-openblas", key), {}).values()))
            lines.append(f"| B2 | {name} | {fmt(p and 100 * p)}% | {fmt(v and 100 * v)}% | {fmt(v and p and 100 * (v - p), 1)} pt | "
                         f"{fmt(o and 100 * o)}% | {fmt(o and p and 100 * (o - p), 1)} pt | same | — |")
        rv, cv = ratio_cell(f, ("B2", "omomi-vector", "peak_rss_mib"), ("B2", "pytorch", "peak_rss_mib"))
        rn, cn = ratio_cell(f, ("B2", "omomi-openblas", "peak_rss_mib"), ("B2", "pytorch", "peak_rss_mib"))
        lines.append(f"| B2 | peak RSS, MiB | {fmt(med(list(f.get(('B2', 'pytorch', 'peak_rss_mib'), {}).values())), 0)} | "
                     f"{fmt(med(list(f.get(('B2', 'omomi-vector', 'peak_rss_mib'), {}).values())), 0)} | {cv} | "
                     f"{fmt(med(list(f.get(('B2', 'omomi-openblas', 'peak_rss_mib'), {}).values())), 0)} | {cn} | ≤ 1× | {verdict(rv, 1.0, False)} |")
    if any(k[0] == "B3" for k in f):
        rv, cv = ratio_cell(f, ("B3", "omomi-vector", "images_per_s"), ("B3", "pytorch", "images_per_s"))
        lines.append(f"| B3 | CNN training, images/s (one epoch) | {fmt(med(list(f.get(('B3', 'pytorch', 'images_per_s'), {}).values())))} | "
                     f"{fmt(med(list(f.get(('B3', 'omomi-vector', 'images_per_s'), {}).values())))} | {cv} | — | — | ≥ 1.5× | {verdict(rv, 1.5)} |")
        p = med(list(f.get(("B3", "pytorch", "test_acc"), {}).values()))
        v = med(list(f.get(("B3", "omomi-vector", "test_acc"), {}).values()))
        lines.append(f"| B3 | test accuracy after 1 epoch | {fmt(p and 100 * p)}% | {fmt(v and 100 * v)}% | {fmt(v and p and 100 * (v - p), 1)} pt | — | — | same | — |")
        rv, cv = ratio_cell(f, ("B3", "omomi-vector", "peak_rss_mib"), ("B3", "pytorch", "peak_rss_mib"))
        lines.append(f"| B3 | peak RSS, MiB | {fmt(med(list(f.get(('B3', 'pytorch', 'peak_rss_mib'), {}).values())), 0)} | "
                     f"{fmt(med(list(f.get(('B3', 'omomi-vector', 'peak_rss_mib'), {}).values())), 0)} | {cv} | — | — | ≤ 1× | {verdict(rv, 1.0, False)} |")
    if any(k[0] == "B4" for k in f):
        for stat, target in (("median", 40), ("p99", 100)):
            pm = med(list(f.get(("B4", "pytorch", f"latency.{stat}"), {}).values()))
            pc = med(list(f.get(("B4", "pytorch", f"latency_mv_chain.{stat}"), {}).values()))
            om = med(list(f.get(("B4", "omomi", f"predictorOutputs.{stat}"), {}).values()))
            rv, cv = ratio_cell(f, ("B4", "omomi", f"predictorOutputs.{stat}"), ("B4", "pytorch", f"latency.{stat}"))
            lines.append(f"| B4 | batch-1 inference, {stat} µs (PyTorch: nn.Sequential; mv chain {fmt(pc)}) | {fmt(pm)} | {fmt(om)} | {cv} | — | — | ≤ {target} µs | {verdict(om, target, False)} |")
    if any(k[0] == "B5" for k in f):
        rv, cv = ratio_cell(f, ("B5", "omomi-vector", "epoch_s_median"), ("B5", "pytorch", "epoch_s_median"))
        lines.append(f"| B5 | logistic regression, s per epoch | {fmt(med(list(f.get(('B5', 'pytorch', 'epoch_s_median'), {}).values())), 3)} | "
                     f"{fmt(med(list(f.get(('B5', 'omomi-vector', 'epoch_s_median'), {}).values())), 3)} | {cv} | — | — | ≤ 0.5× | {verdict(rv, 0.5, False)} |")
    if any(k[0] == "P" for k in f):
        rv, cv = ratio_cell(f, ("P", "omomi-process", "wall_s"), ("P", "pytorch-process", "wall_s"))
        lines.append(f"| P | whole process: B2 recipe, {env.get('process_epochs', 2)} epochs, s wall (./omomi train vs python3 mlp_torch.py) | "
                     f"{fmt(med(list(f.get(('P', 'pytorch-process', 'wall_s'), {}).values())), 1)} | "
                     f"{fmt(med(list(f.get(('P', 'omomi-process', 'wall_s'), {}).values())), 1)} | {cv} | — | — | < 1× | {verdict(rv, 1.0, False)} |")
        if f.get(("P", "omomi-process", "cpu_s")):
            rc, cc = ratio_cell(f, ("P", "omomi-process", "cpu_s"), ("P", "pytorch-process", "cpu_s"))
            lines.append(f"| P | whole process, CPU s (all threads) | {fmt(med(list(f.get(('P', 'pytorch-process', 'cpu_s'), {}).values())), 1)} | "
                         f"{fmt(med(list(f.get(('P', 'omomi-process', 'cpu_s'), {}).values())), 1)} | {cc} | — | — | — | — |")
    kernels = sorted({f"{k[1]}: {v}" for k, reps_ in f.items() if k[2] == "openblas_corename" for v in reps_.values()})
    lines.append("")
    lines.append("Kernels the peer's runs loaded (openblas_get_corename): " + ("; ".join(kernels) or "—") + ".")
    lines.append("Ratios are of the medians; in parentheses, the range of the per-repeat ratios. B1's omomi figures are JMH's "
                 "median call; B4's are JMH sample-time percentiles of single calls (PyTorch: perf_counter_ns around each of "
                 "10,000 calls).")
    text = "\n".join(lines)
    open(os.path.join(out, "table.md"), "w").write(text + "\n")
    return text


def environment(args):
    vendor, flags = coretype.cpu_flags()
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    fam = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("cpu family")), "?")
    mod = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model\t")), "?")
    simd = ", ".join(x for x in ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_tile") if x in flags) or "no AVX2"
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    torch = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": f"{vendor} {model}, family {fam} model {mod}", "cores": os.cpu_count(), "simd": simd, "java": java,
            "torch": torch, "epochs": args.epochs, "process_epochs": args.process_epochs,
            "omp_wait_policy": args.omp_wait_policy}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workloads", default="B1,B2,B3,B4,B5,P")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--images", type=int, default=60000)
    ap.add_argument("--shared", default=os.environ.get("OMOMI_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--process-epochs", type=int, default=2)
    ap.add_argument("--coretypes", help="PEER,OMOMI OPENBLAS_CORETYPE values, skipping bench/coretype.py")
    ap.add_argument("--first-repeat", type=int, default=1, help="number the repeats from here (to add to an earlier run)")
    ap.add_argument("--b1-shapes", default=",".join(SHAPES))
    ap.add_argument("--b1-threads", default="1,2")
    ap.add_argument("--b2-backends", default="vector,openblas",
                    help="omomi's GEMM backends for B2 (openblas is slow on a loaded machine: its threads spin)")
    ap.add_argument("--omp-wait-policy", default=os.environ.get("PEER_OMP_WAIT_POLICY", "PASSIVE"))
    ap.add_argument("--table-only", help="print the table of an earlier results folder")
    args = ap.parse_args()
    if args.table_only:
        env = json.load(open(os.path.join(args.table_only, "environment.json")))
        print(table(args.table_only, env))
        return
    out = os.path.join(ROOT, "bench", "results", "compare-" + datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    os.makedirs(out)
    env = environment(args)
    if args.coretypes:
        # PEER,OMOMI chosen by an earlier run's bench/coretype.py (its environment.json), to save its minutes.
        peer, omomi = (args.coretypes.split(",") + [""])[:2]
        given = "given with --coretypes (chosen by bench/coretype.py in an earlier run)"
        peer_ct = {"chosen": peer, "candidates": [], "note": given}
        omomi_ct = {"chosen": omomi, "candidates": [], "note": given}
    else:
        print("choosing OpenBLAS kernels (bench/coretype.py) ...", file=sys.stderr, flush=True)
        peer_ct = json.loads(subprocess.run([sys.executable, os.path.join(HERE, "coretype.py"), "peer"], capture_output=True, text=True).stdout)
        omomi_ct = json.loads(subprocess.run([sys.executable, os.path.join(HERE, "coretype.py"), "omomi", args.jar], capture_output=True, text=True).stdout)
    args.peer_coretype = peer_ct["chosen"]
    args.omomi_coretype = omomi_ct["chosen"]

    def describe(ct):
        chosen = ct["chosen"] or "the environment's"
        cands = ", ".join(f"{c['coretype']} → {c['corename']} {'ok' if c['ok'] else 'refused'} {fmt(c['gflops_1thread'])} GFLOP/s"
                          for c in ct["candidates"])
        return f"OPENBLAS_CORETYPE={chosen} (candidates, 1 thread 1024³: {cands}){' — ' + ct['note'] if ct['note'] else ''}"

    env["peer_kernel"] = describe(peer_ct)
    env["omomi_kernel"] = describe(omomi_ct)
    runner = Runner(args, out)
    env["jvm"] = runner.jvm
    json.dump(env, open(os.path.join(out, "environment.json"), "w"), indent=1)
    wanted = [w.strip().upper() for w in args.workloads.split(",")]
    for rep in range(args.first_repeat, args.first_repeat + args.repeats):
        print(f"repeat {rep}/{args.first_repeat + args.repeats - 1}", file=sys.stderr, flush=True)
        for wl in wanted:
            getattr(runner, wl.lower())(rep, omomi_first=(rep % 2 == 0))
    print(table(out, env))
    print(f"\n(results in {os.path.relpath(out, ROOT)})")


if __name__ == "__main__":
    main()
