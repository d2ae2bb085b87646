"""Writes the reference values for the clustering, metrics and neighbour tests.

Run from the repository root with the Debian interpreter (scikit-learn 1.2.1):
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Metrics/make_metrics_fixtures.py
It writes Fixtures/Metrics/*.json and Fixtures/Clustering/*.json. The tests never run it.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import load_digits, load_wine, make_blobs
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness
from sklearn.metrics import (adjusted_rand_score, davies_bouldin_score, explained_variance_score,
                             normalized_mutual_info_score, pairwise_distances, r2_score,
                             silhouette_samples, silhouette_score)
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTERING = os.path.join(HERE, "..", "Clustering")
VERSIONS = {"sklearn": sklearn.__version__, "numpy": np.__version__}


def write(folder, name, obj):
    obj = dict(obj, versions=VERSIONS)
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


def rows(a):
    return [[float(v) for v in r] for r in np.asarray(a)]


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


# --- Blobs: 600 x 8 with 8 centres, plus one uniform noise column -> 600 x 9 ------------------
x, y = make_blobs(n_samples=600, n_features=8, centers=8, cluster_std=1.5, random_state=0)
rng = np.random.RandomState(0)
x = np.hstack([x, rng.uniform(-5, 5, size=(600, 1))])

km = KMeans(n_clusters=8, n_init=10, random_state=0).fit(x)
init = x[[0, 75, 150, 225, 300, 375, 450, 525]]
km_fixed = KMeans(n_clusters=8, init=init, n_init=1, max_iter=300, tol=1e-4).fit(x)
km_short = KMeans(n_clusters=8, init=init, n_init=1, max_iter=2, tol=1e-4).fit(x)
write(CLUSTERING, "kmeans_blobs", {
    "x": rows(x),
    "truth": ints(y),
    "n_init10_inertia": float(km.inertia_),
    "init": rows(init),
    "fixed_centroids": rows(km_fixed.cluster_centers_),
    "fixed_labels": ints(km_fixed.labels_),
    "fixed_inertia": float(km_fixed.inertia_),
    "fixed_iterations": int(km_fixed.n_iter_),
    "short_centroids": rows(km_short.cluster_centers_),
    "short_labels": ints(km_short.labels_),
    "short_inertia": float(km_short.inertia_),
    "short_iterations": int(km_short.n_iter_),
})

# Metrics on the same blobs: the true labels and a k-means labelling with one cluster split.
pred = km_fixed.labels_.copy()
pred[::7] = (pred[::7] + 1) % 8
d = pairwise_distances(x)
write(HERE, "blobs_metrics", {
    "x": rows(x),
    "truth": ints(y),
    "predicted": ints(pred),
    "silhouette_truth": float(silhouette_score(x, y)),
    "silhouette_samples_truth": floats(silhouette_samples(x, y)),
    "silhouette_predicted": float(silhouette_score(x, pred)),
    "silhouette_samples_predicted": floats(silhouette_samples(x, pred)),
    "davies_bouldin_truth": float(davies_bouldin_score(x, y)),
    "davies_bouldin_predicted": float(davies_bouldin_score(x, pred)),
    "ari": float(adjusted_rand_score(y, pred)),
    "nmi": float(normalized_mutual_info_score(y, pred)),
    "ari_shifted_labels": float(adjusted_rand_score(y + 10, pred * 3 - 4)),
    "nmi_shifted_labels": float(normalized_mutual_info_score(y + 10, pred * 3 - 4)),
})

# Regression-style scores of a rank-3 PCA reconstruction of the blobs.
pca = PCA(3).fit(x)
recon = pca.inverse_transform(pca.transform(x))
write(HERE, "reconstruction", {
    "reconstruction": rows(recon),
    "explained_variance": float(explained_variance_score(x, recon)),
    "r2": float(r2_score(x, recon)),
    "mse": float(np.mean((x - recon) ** 2)),
})

# --- Trustworthiness on Digits -------------------------------------------------------------------
# Raw Digits pixels are integers, so many original-space distances tie exactly, and sklearn's
# ranking then depends on numpy's unstable argsort. Standardised Digits has no ties, so its values
# are the reference; for raw Digits we also store the value with ties ordered by index.
digits = load_digits().data
scaled = StandardScaler().fit_transform(digits)
emb = PCA(2, random_state=0).fit_transform(scaled)


def trust_ties_by_index(X, E, k):
    n = len(X)
    D = pairwise_distances(X)
    np.fill_diagonal(D, np.inf)
    ind = np.argsort(D, axis=1, kind="stable")
    ie = NearestNeighbors(n_neighbors=k).fit(E).kneighbors(return_distance=False)
    inv = np.zeros((n, n), dtype=int)
    o = np.arange(n + 1)
    inv[o[:-1, None], ind] = o[1:]
    r = inv[o[:-1, None], ie] - k
    t = np.sum(r[r > 0])
    return 1 - t * (2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)))


raw_emb = PCA(2, random_state=0).fit_transform(digits)
write(HERE, "digits_trustworthiness", {
    "scaling": "StandardScaler (population std) on load_digits().data",
    "embedding": rows(emb),
    "trustworthiness_5": float(trustworthiness(scaled, emb, n_neighbors=5)),
    "trustworthiness_10": float(trustworthiness(scaled, emb, n_neighbors=10)),
    # Continuity is trustworthiness with the two spaces swapped.
    "continuity_5": float(trustworthiness(emb, scaled, n_neighbors=5)),
    "continuity_10": float(trustworthiness(emb, scaled, n_neighbors=10)),
    "raw_embedding": rows(raw_emb),
    "raw_trustworthiness_5_sklearn": float(trustworthiness(digits, raw_emb, n_neighbors=5)),
    "raw_trustworthiness_5_ties_by_index": float(trust_ties_by_index(digits, raw_emb, 5)),
})

# --- DBSCAN on a small set with noise ------------------------------------------------------------
xd, _ = make_blobs(n_samples=150, n_features=2, centers=3, cluster_std=0.45, random_state=3)
noise = np.random.RandomState(4).uniform(xd.min(0) - 2, xd.max(0) + 2, size=(25, 2))
xd = np.vstack([xd, noise])
db = DBSCAN(eps=0.5, min_samples=5).fit(xd)
db2 = DBSCAN(eps=0.3, min_samples=4).fit(xd)
write(CLUSTERING, "dbscan", {
    "x": rows(xd),
    "labels": ints(db.labels_),
    "core": ints(db.core_sample_indices_),
    "labels_eps03_min4": ints(db2.labels_),
    "core_eps03_min4": ints(db2.core_sample_indices_),
})

# --- KNN classifier on Wine ----------------------------------------------------------------------
wine = load_wine()
xtr, xte, ytr, yte = train_test_split(wine.data, wine.target, test_size=0.3, random_state=0, stratify=wine.target)
scaler = StandardScaler().fit(xtr)
xtr, xte = scaler.transform(xtr), scaler.transform(xte)
uni = KNeighborsClassifier(n_neighbors=5).fit(xtr, ytr)
dist = KNeighborsClassifier(n_neighbors=7, weights="distance").fit(xtr, ytr)
nn = NearestNeighbors(n_neighbors=4).fit(xtr)
nd, ni = nn.kneighbors()
qd, qi = nn.kneighbors(xte)
write(HERE, "wine_knn", {
    "train_x": rows(xtr), "train_y": ints(ytr), "test_x": rows(xte), "test_y": ints(yte),
    "uniform5_predict": ints(uni.predict(xte)),
    "uniform5_proba": rows(uni.predict_proba(xte)),
    "uniform5_score": float(uni.score(xte, yte)),
    "distance7_predict": ints(dist.predict(xte)),
    "distance7_proba": rows(dist.predict_proba(xte)),
    "train_knn4_indices": rows(ni), "train_knn4_distances": rows(nd),
    "test_knn4_indices": rows(qi), "test_knn4_distances": rows(qd),
})
print("fixtures written")
