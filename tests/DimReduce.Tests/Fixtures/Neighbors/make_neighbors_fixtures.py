"""Writes the reference values for the neighbour-metric tests (scikit-learn 1.2.1 / SciPy distances).

Run from the repository root with the Debian interpreter:
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Neighbors/make_neighbors_fixtures.py
It writes Fixtures/Neighbors/metrics_wine.json: for the 178 x 13 wine data (sklearn.datasets.load_wine, the
library's bundled copy), the 5 nearest other rows of every row, and the distances from row 0 to every row, under
each metric the library added beyond euclidean, cosine and manhattan. The tests never run it.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_wine
from sklearn.metrics import pairwise_distances

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}

x = load_wine().data
k = 5
cases = {}
for name, metric, kw in [("chebyshev", "chebyshev", {}), ("minkowski3", "minkowski", {"p": 3}),
                         ("minkowski0.5", "minkowski", {"p": 0.5}), ("correlation", "correlation", {})]:
    if metric == "minkowski" and kw["p"] < 1:
        # scikit-learn 1.2 rejects p < 1 for minkowski; SciPy's formula is the same sum, so compute it directly.
        d = (np.abs(x[:, None, :] - x[None, :, :]) ** kw["p"]).sum(-1) ** (1 / kw["p"])
    else:
        d = pairwise_distances(x, metric=metric, **kw)
    np.fill_diagonal(d, np.inf)
    order = np.lexsort((np.tile(np.arange(len(x)), (len(x), 1)), d), axis=1)[:, :k]
    dist = np.take_along_axis(d, order, 1)
    cases[name] = {"metric": metric, "p": kw.get("p"), "indices": [int(v) for v in order.ravel()],
                   "distances": [float(v) for v in dist.ravel()],
                   "row0": [float(v) if np.isfinite(v) else 0.0 for v in d[0]]}

with open(os.path.join(HERE, "metrics_wine.json"), "w") as f:
    json.dump({"rows": len(x), "neighbors": k, "cases": cases, "versions": VERSIONS}, f, separators=(",", ":"))
    f.write("\n")
