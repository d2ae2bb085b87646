"""Writes the reference values for supervised UMAP (umap-learn 0.5.3, scikit-learn 1.2.1).

Run from the repository root with the Debian interpreter:
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Manifold/make_supervised_fixtures.py
It writes Fixtures/Manifold/umap_supervised_digits.json: the label intersection of the fuzzy graph of the first
300 Digits rows (exact 15-NN, euclidean, as umap_graph_digits300_euclidean.json) with their labels (which ends
with reset_local_connectivity), for target_weight 0.5 (far_dist 5) and 0.9 (far_dist 25); and the leave-one-out 5-NN
accuracy of umap-learn's supervised embedding of all of Digits (random_state 42, 200 epochs). The tests never run it.
"""
import json
import os

import numpy as np
import scipy
import sklearn
import umap
from sklearn.datasets import load_digits
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors
from umap.umap_ import discrete_metric_simplicial_set_intersection, fuzzy_simplicial_set

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"umap-learn": "0.5.3", "sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}

d = load_digits()
x300, y300 = d.data[:300], d.target[:300]
k = 15
dist = pairwise_distances(x300)
order = np.lexsort((np.tile(np.arange(300), (300, 1)), dist), axis=1)[:, :k]
knn_d = np.take_along_axis(dist, order, 1).astype(np.float32)
graph, _, _ = fuzzy_simplicial_set(x300, k, None, "euclidean", knn_indices=order, knn_dists=knn_d)
out = {"versions": VERSIONS, "labels": [int(v) for v in y300]}
for tw in [0.5, 0.9]:
    far = 2.5 * (1.0 / (1.0 - tw))
    g = discrete_metric_simplicial_set_intersection(graph.copy(), y300, far_dist=far)
    g = g.tocsr()  # discrete_metric_simplicial_set_intersection ends with reset_local_connectivity
    g.sort_indices()
    coo = g.tocoo()
    out[str(tw)] = {"farDist": far, "rows": [int(v) for v in coo.row], "cols": [int(v) for v in coo.col],
                    "values": [float(v) for v in coo.data]}

z = umap.UMAP(random_state=42, n_epochs=200).fit_transform(d.data, y=d.target)
idx = NearestNeighbors(n_neighbors=6).fit(z).kneighbors(z, return_distance=False)[:, 1:]
pred = np.array([np.bincount(v, minlength=10).argmax() for v in d.target[idx]])
out["embedding"] = {"targetWeight": 0.5, "epochs": 200, "knnAccuracy5": float((pred == d.target).mean())}
with open(os.path.join(HERE, "umap_supervised_digits.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
