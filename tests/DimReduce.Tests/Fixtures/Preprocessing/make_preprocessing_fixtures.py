"""Writes the scaler fixtures (run from the repository root with /usr/bin/python3: scikit-learn 1.2.1)."""
import json
import numpy as np
import sklearn
from sklearn.datasets import load_wine
from sklearn.preprocessing import MinMaxScaler, StandardScaler

OUT = "tests/DimReduce.Tests/Fixtures/Preprocessing/"
X = load_wine().data
rows = list(range(0, 178, 7))  # every 7th transformed row keeps the file small
versions = {"sklearn": sklearn.__version__, "numpy": np.__version__}

std = StandardScaler().fit(X)
std_nomean = StandardScaler(with_mean=False).fit(X)
# A constant column, a near-constant one and an ordinary one: the constant ones get scale 1.
small = np.array([[1.0, 5.0, 1e-3], [2.0, 5.0, 1e-3], [4.0, 5.0, 1e-3], [7.0, 5.0, 1e-3]])
std_small = StandardScaler().fit(small)
json.dump({
    "versions": versions,
    "rows": rows,
    "mean": std.mean_.tolist(), "scale": std.scale_.tolist(), "variance": std.var_.tolist(),
    "transformed": std.transform(X)[rows].tolist(),
    "no_mean_transformed": std_nomean.transform(X)[rows].tolist(),
    "small_input": small.tolist(), "small_scale": std_small.scale_.tolist(),
    "small_transformed": std_small.transform(small).tolist(),
}, open(OUT + "standard_scaler_wine.json", "w"), indent=1)

mm = MinMaxScaler().fit(X)
mm_range = MinMaxScaler(feature_range=(-1, 2)).fit(X)
new = X[:3] * 1.5  # beyond the fitted range in places
mm_clip = MinMaxScaler(clip=True).fit(X)
json.dump({
    "versions": versions,
    "rows": rows,
    "data_min": mm.data_min_.tolist(), "data_max": mm.data_max_.tolist(),
    "scale": mm.scale_.tolist(), "min": mm.min_.tolist(),
    "transformed": mm.transform(X)[rows].tolist(),
    "range_scale": mm_range.scale_.tolist(), "range_min": mm_range.min_.tolist(),
    "range_transformed": mm_range.transform(X)[rows].tolist(),
    "new_input": new.tolist(),
    "new_transformed": mm.transform(new).tolist(),
    "new_clipped": mm_clip.transform(new).tolist(),
    "small_input": small.tolist(),
    "small_transformed": MinMaxScaler().fit_transform(small).tolist(),
}, open(OUT + "minmax_scaler_wine.json", "w"), indent=1)
