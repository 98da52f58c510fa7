"""k-means benchmark peer: scikit-learn's KMeans (Lloyd) on the same data, init and iteration count
as omomi's KMeansBenchmark. Prints one JSON line.

    /usr/bin/python3 bench/kmeans_sklearn.py THREADS N D K ITERATIONS DATA.f32

DATA.f32 holds N×D little-endian float32 values, row-major; it is written (standard normal
values from numpy's default_rng(0)) if it does not exist, so both sides read the same numbers.
The initial centres are the first K rows; tol = 0, so Lloyd runs until no label changes or
ITERATIONS passes. One warm-up fit of 3 iterations precedes the timed fit. THREADS is set with
threadpoolctl when scikit-learn has it, else through OMP_NUM_THREADS (set by the caller).
"""
import json
import os
import sys
import time

threads, n, d, k, iterations = (int(a) for a in sys.argv[1:6])
path = sys.argv[6]
os.environ.setdefault("OMP_NUM_THREADS", str(threads))

import numpy as np  # noqa: E402  (after OMP_NUM_THREADS)
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402

if not os.path.exists(path):
    x = np.random.default_rng(0).standard_normal((n, d), dtype=np.float32)
    tmp = path + ".tmp"
    x.astype("<f4").tofile(tmp)
    os.replace(tmp, path)
x = np.fromfile(path, dtype="<f4").reshape(n, d)
init = x[:k].copy()


def fit(iters):
    return KMeans(n_clusters=k, init=init, n_init=1, max_iter=iters, tol=0, algorithm="lloyd").fit(x)


fit(3)
t = time.perf_counter()
cpu = time.process_time()
km = fit(iterations)
seconds = time.perf_counter() - t
cpu = time.process_time() - cpu
print(json.dumps({"bench": "kmeans", "lib": "sklearn", "version": sklearn.__version__, "threads": threads, "n": n, "d": d, "k": k,
                  "iterations": int(km.n_iter_), "seconds": seconds, "s_per_iteration": seconds / km.n_iter_, "cpu_s_per_iteration": cpu / km.n_iter_,
                  "inertia": float(km.inertia_)}))
