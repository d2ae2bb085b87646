"""Reference timings for the metrics benchmark (scikit-learn 1.2.1 with OpenBLAS).

Run from the repository root:
    /usr/bin/python3 bench/metrics/metrics_reference.py
It writes the data set to bench/metrics/blobs_30000x10.csv (ignored by git) for the C# side
(bench/metrics/MetricsBench) and prints the timings as JSON.
"""
import json
import os
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

HERE = os.path.dirname(os.path.abspath(__file__))
x, y = make_blobs(n_samples=30000, n_features=10, centers=8, random_state=0)
np.savetxt(os.path.join(HERE, "blobs_30000x10.csv"), np.column_stack([x, y]), delimiter=",", fmt="%.17g")


def best_of(repeats, f):
    """Best wall-clock time and best process CPU time (all threads) over the repeats."""
    times, cpus, value = [], [], None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        value = f()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(times), min(cpus), value


t_sil, c_sil, sil = best_of(2, lambda: silhouette_score(x, y))
t_km, c_km, km = best_of(3, lambda: KMeans(n_clusters=8, n_init=10, random_state=0).fit(x))
print(json.dumps({
    "sklearn": sklearn.__version__,
    "silhouette_seconds": t_sil, "silhouette_cpu_seconds": c_sil, "silhouette": float(sil),
    "kmeans_seconds": t_km, "kmeans_cpu_seconds": c_km, "kmeans_inertia": float(km.inertia_), "kmeans_iterations": int(km.n_iter_),
}, indent=1))
