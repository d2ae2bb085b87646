"""Writes the reference values for the t-SNE, Isomap and MDS tests (scikit-learn 1.2.1).

Run from the repository root with the Debian interpreter:
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Manifold/make_tsne_isomap_mds_fixtures.py
It writes Fixtures/Manifold/{tsne,isomap,mds}_*.json. The tests never run it.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy.spatial.distance import squareform
from sklearn.datasets import load_digits, load_wine, make_swiss_roll
from sklearn.manifold import MDS, TSNE, Isomap, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities, _joint_probabilities_nn, _kl_divergence
from sklearn.manifold._utils import _binary_search_perplexity
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def write(name, obj):
    obj = dict(obj, versions=VERSIONS)
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def rows(a):
    return [floats(r) for r in np.asarray(a)]


digits = load_digits().data.astype(np.float64)

# --- t-SNE affinities on the first 60 digits, perplexity 10 -------------------------------------
x = digits[:60]
perplexity = 10.0
k = min(x.shape[0] - 1, int(3.0 * perplexity + 1))
graph = NearestNeighbors(n_neighbors=k).fit(x).kneighbors_graph(mode="distance")
graph.data **= 2
graph.sort_indices()
cond = _binary_search_perplexity(graph.data.reshape(x.shape[0], -1).astype(np.float32), perplexity, 0)
cond_dense = np.zeros((x.shape[0], x.shape[0]))
for i in range(x.shape[0]):
    cols = graph.indices[graph.indptr[i]:graph.indptr[i + 1]]
    cond_dense[i, cols] = cond[i]
joint_nn = _joint_probabilities_nn(graph.copy(), perplexity, 0).toarray()
joint_exact = squareform(_joint_probabilities(pairwise_distances(x, squared=True), perplexity, 0))
write("tsne_affinities_digits60", {
    "rows": 60, "perplexity": perplexity, "neighbors": k,
    "conditional": rows(cond_dense), "jointNeighbors": rows(joint_nn), "jointExact": rows(joint_exact),
})

# --- exact gradient and KL at a fixed layout ----------------------------------------------------
rng = np.random.RandomState(0)
y = rng.standard_normal((60, 2))
p_condensed = _joint_probabilities(pairwise_distances(x, squared=True), perplexity, 0)
kl, grad = _kl_divergence(y.ravel().copy(), p_condensed, 1, 60, 2)
write("tsne_gradient_digits60", {"perplexity": perplexity, "y": rows(y), "kl": float(kl), "gradient": rows(grad.reshape(60, 2))})

# --- quality on Digits (Barnes-Hut, defaults of 1.2) and exact on 200 rows -------------------------
tsne = TSNE(n_components=2, perplexity=30.0, init="pca", learning_rate="auto", random_state=0, n_jobs=2)
emb = tsne.fit_transform(digits)
small = digits[:200]
tsne_exact = TSNE(n_components=2, perplexity=20.0, init="pca", learning_rate="auto", method="exact", random_state=0)
emb_exact = tsne_exact.fit_transform(small)
write("tsne_digits_quality", {
    "barnesHut": {"perplexity": 30.0, "trustworthiness5": float(trustworthiness(digits, emb, n_neighbors=5)),
                  "klDivergence": float(tsne.kl_divergence_), "iterations": int(tsne.n_iter_)},
    "exact200": {"rows": 200, "perplexity": 20.0, "trustworthiness5": float(trustworthiness(small, emb_exact, n_neighbors=5)),
                 "klDivergence": float(tsne_exact.kl_divergence_)},
})

# --- Isomap on a small swiss roll ----------------------------------------------------------------
roll, _ = make_swiss_roll(n_samples=200, noise=0.05, random_state=0)
new, _ = make_swiss_roll(n_samples=10, noise=0.05, random_state=1)
iso = Isomap(n_neighbors=10, n_components=2)  # 200 rows: KernelPCA's "auto" picks the dense eigensolver
iso_emb = iso.fit_transform(roll)
write("isomap_swissroll200", {
    "neighbors": 10, "x": rows(roll), "embedding": rows(iso_emb), "new": rows(new), "transform": rows(iso.transform(new)),
    "eigenvalues": floats(iso.kernel_pca_.eigenvalues_), "reconstructionError": float(iso.reconstruction_error()),
})

# --- MDS: classical (formula) and SMACOF (scikit-learn) on 60 standardised wine rows ---------------
wine = StandardScaler().fit_transform(load_wine().data)[:60]
d = pairwise_distances(wine)
n = d.shape[0]
j = np.eye(n) - np.ones((n, n)) / n
b = -0.5 * j @ (d ** 2) @ j
w, v = np.linalg.eigh(b)
order = np.argsort(w)[::-1][:2]
w, v = w[order], v[:, order]
for c in range(2):
    if v[np.argmax(np.abs(v[:, c])), c] < 0:
        v[:, c] = -v[:, c]
classical = v * np.sqrt(w)
stresses = {}
for seed in range(3):
    m = MDS(n_components=2, metric=True, n_init=4, max_iter=300, eps=1e-3, random_state=seed, dissimilarity="euclidean", normalized_stress=False)
    m.fit(wine)
    stresses[str(seed)] = float(m.stress_)
write("mds_wine60", {
    "x": rows(wine), "classical": rows(classical), "classicalEigenvalues": floats(w),
    "smacofStress": stresses, "nInit": 4, "maxIter": 300, "eps": 1e-3,
})
print("written")
