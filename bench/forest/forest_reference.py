"""scikit-learn side of the random forest benchmark (see README.md); run by bench/forest/run.sh.

Builds the benchmark data once and writes it for the C# side: the 8,000 training and 2,000 test images of the
shipped Fashion-MNIST subset, scaled to [0, 1], reduced to 32 principal components (fitted on the training
rows), stored as float32 CSV (the forest's input type on both sides). Then times
RandomForestClassifier(n_estimators=100, n_jobs=-1) fit (wall clock and process CPU time, all threads) and
predict_proba, and writes the timings as JSON.

    /usr/bin/python3 bench/forest/forest_reference.py OUT_DIR [REPEATS]
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier

out = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "fashion-mnist-subset")


def idx(name):
    with gzip.open(os.path.join(root, name)) as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x_train = idx("train-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0
x_test = idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0
y_train = idx("train-labels-idx1-ubyte.gz").astype(int)
y_test = idx("t10k-labels-idx1-ubyte.gz").astype(int)
pca = PCA(n_components=32, svd_solver="full").fit(x_train)
z_train = pca.transform(x_train).astype(np.float32)
z_test = pca.transform(x_test).astype(np.float32)
for name, z, y in (("train", z_train, y_train), ("test", z_test, y_test)):
    np.savetxt(os.path.join(out, f"{name}.csv"), np.column_stack([z, y]), delimiter=",", fmt="%.9g")

fits, fit_cpu, predicts, predict_cpu, accuracies = [], [], [], [], []
for r in range(repeats + 1):  # the first run warms up the worker pool
    c0 = time.process_time()
    t0 = time.perf_counter()
    forest = RandomForestClassifier(n_estimators=100, n_jobs=-1, random_state=r).fit(z_train, y_train)
    t1 = time.perf_counter()
    c1 = time.process_time()
    proba = forest.predict_proba(z_test)
    t2 = time.perf_counter()
    c2 = time.process_time()
    if r > 0:
        fits.append(t1 - t0)
        fit_cpu.append(c1 - c0)
        predicts.append(t2 - t1)
        predict_cpu.append(c2 - c1)
        accuracies.append(float(np.mean(forest.classes_[proba.argmax(1)] == y_test)))
        depth = float(np.mean([t.get_depth() for t in forest.estimators_]))
        leaves = float(np.mean([t.get_n_leaves() for t in forest.estimators_]))

result = {
    "library": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "threads": os.cpu_count(),
    "rows": int(z_train.shape[0]), "features": int(z_train.shape[1]), "test_rows": int(z_test.shape[0]),
    "fit_seconds": fits, "fit_cpu_seconds": fit_cpu, "predict_proba_seconds": predicts, "predict_proba_cpu_seconds": predict_cpu, "test_accuracy": accuracies,
    "mean_depth": depth, "mean_leaves": leaves,
}
with open(os.path.join(out, "sklearn.json"), "w") as f:
    json.dump(result, f)
print(f"scikit-learn {sklearn.__version__}: fit best {min(fits):.3f} s (all {', '.join(f'{t:.3f}' for t in fits)}), "
      f"CPU {min(fit_cpu):.3f} s, predict_proba best {min(predicts):.3f} s (CPU {min(predict_cpu):.3f} s), accuracy {np.mean(accuracies):.4f}, mean depth {depth:.1f}, mean leaves {leaves:.0f}")
