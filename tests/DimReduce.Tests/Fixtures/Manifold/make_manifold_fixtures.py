"""Writes the reference values for the UMAP tests (umap-learn 0.5.3, scikit-learn 1.2.1).

Run from the repository root with the Debian interpreter:
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Manifold/make_manifold_fixtures.py
It writes Fixtures/Manifold/*.json. The tests never run it.
"""
import json
import os

import numpy as np
import scipy
import sklearn
import umap
from sklearn.datasets import load_digits
from sklearn.manifold import trustworthiness
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import pairwise_distances
from umap.umap_ import find_ab_params, fuzzy_simplicial_set, smooth_knn_dist

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"umap-learn": umap.__version__ if hasattr(umap, "__version__") else "0.5.3",
            "sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def write(name, obj):
    obj = dict(obj, versions=VERSIONS)
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def exact_knn(x, k, metric):
    """umap-learn's small-data path: all pairwise distances, each point its own first neighbour."""
    d = pairwise_distances(x, metric=metric)
    idx = np.argsort(d, axis=1, kind="stable")[:, :k]
    return idx, np.take_along_axis(d, idx, axis=1)


digits = load_digits()
X, y = digits.data, digits.target

# --- a and b of the low-dimensional curve -------------------------------------------------------
ab = []
for min_dist in [0.0, 0.1, 0.5, 0.99]:
    a, b = find_ab_params(1.0, min_dist)
    ab.append({"minDist": min_dist, "spread": 1.0, "a": float(a), "b": float(b)})
write("umap_ab", {"cases": ab})

# --- smooth kNN distances and the fuzzy graph on the first 300 Digits rows ----------------------
x300 = X[:300]
for metric in ["euclidean", "cosine"]:
    k = 15
    idx, dist = exact_knn(x300, k, metric)
    dist32 = dist.astype(np.float32)
    sigmas, rhos = smooth_knn_dist(dist32, float(k), local_connectivity=1.0)
    graph, _, _ = fuzzy_simplicial_set(x300, k, None, metric, knn_indices=idx, knn_dists=dist)
    g = graph.tocoo()
    order = np.lexsort((g.col, g.row))
    write("umap_graph_digits300_" + metric, {
        "rows": 300, "neighbors": k, "metric": metric,
        "knnIndices": ints(idx), "knnDistances": floats(dist32),
        "sigmas": floats(sigmas), "rhos": floats(rhos),
        "graphRows": ints(g.row[order]), "graphCols": ints(g.col[order]), "graphValues": floats(g.data[order]),
    })

# --- quality on Digits: full fit with seed 42 (default epochs) and with 200 epochs --------------
quality = {}
for epochs in [None, 200]:
    emb = umap.UMAP(random_state=42, n_epochs=epochs).fit_transform(X)
    knn = KNeighborsClassifier(n_neighbors=6).fit(emb, y)
    # leave-one-out 5-NN accuracy: drop each point's own vote (it is its own first neighbour)
    nn = knn.kneighbors(emb, return_distance=False)[:, 1:]
    votes = y[nn]
    pred = np.array([np.bincount(v, minlength=10).argmax() for v in votes])
    quality["default" if epochs is None else str(epochs)] = {
        "trustworthiness15": float(trustworthiness(X, emb, n_neighbors=15)),
        "knnAccuracy5": float(np.mean(pred == y)),
    }

# held-out points: fit on the first 1500 rows, transform the rest
reducer = umap.UMAP(random_state=42, n_epochs=200).fit(X[:1500])
test = reducer.transform(X[1500:])
clf = KNeighborsClassifier(n_neighbors=5).fit(reducer.embedding_, y[:1500])
quality["transform"] = {"train": 1500, "heldOutKnnAccuracy5": float(clf.score(test, y[1500:]))}
write("umap_digits_quality", quality)
