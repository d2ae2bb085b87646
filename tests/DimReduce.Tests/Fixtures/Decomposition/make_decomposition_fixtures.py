"""Writes the reference fixtures for tests/DimReduce.Tests/Decomposition from scikit-learn 1.2.1.
Run from the repository root with the Debian interpreter: /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Decomposition/make_decomposition_fixtures.py
The tests read the JSON files; they never run this script."""
import json, os
import numpy as np
import scipy, sklearn
from sklearn import datasets
from sklearn.decomposition import PCA, IncrementalPCA, KernelPCA, FactorAnalysis
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.preprocessing import StandardScaler

OUT = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def lst(a):
    return np.asarray(a, dtype=float).tolist()


def write(name, obj):
    obj = dict(obj, versions=VERSIONS)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


def pca_block(x, n_components, whiten=False, rows=5):
    p = PCA(n_components=n_components, svd_solver="full", whiten=whiten).fit(x)
    return {
        "components": lst(p.components_),
        "explained_variance": lst(p.explained_variance_),
        "explained_variance_ratio": lst(p.explained_variance_ratio_),
        "singular_values": lst(p.singular_values_),
        "mean": lst(p.mean_),
        "noise_variance": float(p.noise_variance_),
        "n_components": int(p.n_components_),
        "transform_head": lst(p.transform(x[:rows])),
    }


wine = datasets.load_wine()
digits = datasets.load_digits()
xw, yw = wine.data.astype(float), wine.target
xd = digits.data.astype(float)
xws = StandardScaler().fit_transform(xw)

# PCA, full solver (LAPACK SVD, svd_flip u-based), on Wine (raw and standardised) and Digits.
write("pca_wine", {
    "full": pca_block(xw, 13),
    "three": pca_block(xw, 3),
    "three_whiten": pca_block(xw, 3, whiten=True),
    "standardized": pca_block(xws, 5),
    "standardized_095_count": int(PCA(n_components=0.95, svd_solver="full").fit(xws).n_components_),
    "raw_095_count": int(PCA(n_components=0.95, svd_solver="full").fit(xw).n_components_),
    "raw_0999_count": int(PCA(n_components=0.999, svd_solver="full").fit(xw).n_components_),
})
write("pca_digits", {
    "twenty": pca_block(xd, 20),
    "count_095": int(PCA(n_components=0.95, svd_solver="full").fit(xd).n_components_),
    "count_080": int(PCA(n_components=0.80, svd_solver="full").fit(xd).n_components_),
    "randomized_ten_explained_variance": lst(PCA(n_components=10, svd_solver="randomized", random_state=0).fit(xd).explained_variance_),
})

# IncrementalPCA on Digits (batches of 200 rows; svd_flip v-based).
ip = IncrementalPCA(n_components=10, batch_size=200).fit(xd)
ip_default = IncrementalPCA(n_components=5).fit(xd)
write("ipca_digits", {
    "n_components": 10, "batch_size": 200,
    "components": lst(ip.components_),
    "explained_variance": lst(ip.explained_variance_),
    "explained_variance_ratio": lst(ip.explained_variance_ratio_),
    "singular_values": lst(ip.singular_values_),
    "mean": lst(ip.mean_),
    "noise_variance": float(ip.noise_variance_),
    "n_samples_seen": int(ip.n_samples_seen_),
    "default_batch_components": lst(ip_default.components_),
    "default_batch_explained_variance": lst(ip_default.explained_variance_),
})

# KernelPCA on 60 standardised Wine rows (dense eigh; svd_flip u-based on the eigenvectors).
scaler = StandardScaler().fit(xw)
train = scaler.transform(xw[::3][:60])
test = scaler.transform(xw[1::3][:12])
kp = {"train": lst(train), "test": lst(test), "n_components": 4, "kernels": {}}
for name, kw in [("Linear", dict(kernel="linear")),
                 ("Rbf", dict(kernel="rbf")),
                 ("RbfGamma", dict(kernel="rbf", gamma=0.05)),
                 ("Polynomial", dict(kernel="poly", degree=3, coef0=1)),
                 ("Sigmoid", dict(kernel="sigmoid", gamma=0.01, coef0=1)),
                 ("Cosine", dict(kernel="cosine"))]:
    k = KernelPCA(n_components=4, **kw).fit(train)
    kp["kernels"][name] = {
        "params": {key: v for key, v in kw.items() if key != "kernel"},
        "eigenvalues": lst(k.eigenvalues_),
        "fit_transform": lst(KernelPCA(n_components=4, **kw).fit_transform(train)),
        "transform": lst(k.transform(test)),
    }
write("kpca_wine", kp)

# LinearDiscriminantAnalysis (svd solver) on Wine.
lda = LinearDiscriminantAnalysis(n_components=2).fit(xw, yw)
write("lda_wine", {
    "transform": lst(lda.transform(xw)),
    "explained_variance_ratio": lst(lda.explained_variance_ratio_),
    "predict": [int(v) for v in lda.predict(xw)],
    "means": lst(lda.means_),
    "priors": lst(lda.priors_),
})

# FactorAnalysis (lapack SVD) on standardised Wine.
fa = FactorAnalysis(n_components=3, svd_method="lapack").fit(xws)
write("fa_wine", {
    "n_components": 3, "max_iter": 1000, "tol": 1e-2,
    "components": lst(fa.components_),
    "noise_variance": lst(fa.noise_variance_),
    "loglike": lst(fa.loglike_),
    "n_iter": int(fa.n_iter_),
    "mean": lst(fa.mean_),
    "transform_head": lst(fa.transform(xws[:10])),
    "score": float(fa.score(xws)),
})
print("fixtures written to", OUT)
