"""Writes the scikit-learn reference values omomi-segment's tests compare against.

Run with Debian's scikit-learn (python3-sklearn), from the repository root:

    /usr/bin/python3 conformance/segment_reference.py

It writes omomi-segment/src/test/resources/org/omomi/segment/sklearn.json, which is committed; the
tests read only it and never need Python. Inputs come from fixed seeds and are float32 values, so
both sides see the same numbers.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score,
                             normalized_mutual_info_score, silhouette_score)

OUT = os.path.join(os.path.dirname(__file__), "..", "omomi-segment", "src", "test", "resources", "org", "omomi",
                   "segment", "sklearn.json")


def f32(a):
    """Float32 values as the shortest decimals that read back as the same float32."""
    return [float(repr(v)) for v in np.asarray(a, dtype=np.float32).ravel()]


def quality_case(name, x, labels):
    x = np.asarray(x, dtype=np.float32)
    return {
        "name": name,
        "n": int(x.shape[0]), "d": int(x.shape[1]),
        "x": f32(x), "labels": [int(v) for v in labels],
        "silhouette": float(silhouette_score(x.astype(np.float64), labels)),
        "davies_bouldin": float(davies_bouldin_score(x.astype(np.float64), labels)),
        "calinski_harabasz": float(calinski_harabasz_score(x.astype(np.float64), labels)),
    }


def main():
    rng = np.random.default_rng(16)
    quality = []
    # Three blobs in 2-D.
    centres = np.array([[0, 0], [4, 1], [1, 5]], dtype=np.float32)
    lab = rng.integers(0, 3, 60)
    x = centres[lab] + rng.normal(0, 1, (60, 2)).astype(np.float32)
    quality.append(quality_case("blobs", x, lab))
    # Overlapping clusters in 5-D with a wrong labelling (negative silhouettes appear).
    x = rng.normal(0, 1, (40, 5)).astype(np.float32)
    quality.append(quality_case("noise", x, rng.integers(0, 4, 40)))
    # A cluster of one point (its silhouette is 0 by definition) and unused label values.
    x = rng.normal(0, 1, (12, 3)).astype(np.float32)
    lab = np.array([0, 0, 0, 5, 5, 5, 5, 9, 0, 5, 0, 0])
    quality.append(quality_case("singleton", x, lab))

    agreement = []
    pairs = [
        ("random", rng.integers(0, 4, 200), rng.integers(0, 5, 200)),
        ("permuted", np.array([0, 0, 1, 1, 2, 2, 2]), np.array([5, 5, 3, 3, 9, 9, 9])),
        ("split", np.array([0, 0, 0, 0, 1, 1, 1, 1]), np.array([0, 0, 1, 1, 2, 2, 3, 3])),
        ("one-cluster", np.array([0, 0, 0, 0, 0]), np.array([0, 0, 0, 0, 0])),
        ("one-vs-many", np.array([0, 0, 0, 0, 0]), np.array([0, 1, 2, 3, 4])),
        ("all-apart", np.array([0, 1, 2, 3]), np.array([3, 2, 1, 0])),
        ("noisy", rng.integers(0, 3, 500), rng.integers(0, 3, 500)),
    ]
    for name, t, p in pairs:
        agreement.append({"name": name, "truth": [int(v) for v in t], "predicted": [int(v) for v in p],
                          "ari": float(adjusted_rand_score(t, p)),
                          "nmi": float(normalized_mutual_info_score(t, p))})

    # Lloyd's iterations from given centres, to convergence (tol 0: until no label changes).
    lloyd = []
    for name, n, d, k, seed in [("small", 300, 4, 5, 1), ("wide", 400, 16, 8, 2)]:
        r = np.random.default_rng(seed)
        x = r.normal(0, 1, (n, d)).astype(np.float32)
        x[: n // 2] += 2.5
        init = x[r.choice(n, k, replace=False)].copy()
        km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=300, tol=0, algorithm="lloyd").fit(x)
        lloyd.append({"name": name, "n": n, "d": d, "k": k, "x": f32(x), "init": f32(init),
                      "centres": f32(km.cluster_centers_), "labels": [int(v) for v in km.labels_],
                      "inertia": float(km.inertia_), "iterations": int(km.n_iter_)})

    out = {"sklearn": sklearn.__version__, "numpy": np.__version__,
           "quality": quality, "agreement": agreement, "lloyd": lloyd}
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
