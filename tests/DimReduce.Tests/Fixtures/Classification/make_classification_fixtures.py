"""Reference values for DimReduce.Classification.LogisticRegression.

Run from the repository root with the Debian interpreter (scikit-learn 1.2.1):
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Classification/make_classification_fixtures.py

Each data set is split once (stratified, random_state=0); the StandardScaler is fitted on the
training rows only. The fixture stores the split indices and the scaler's mean and scale (so the
test rebuilds the standardised matrices exactly as (x - mean) / scale, the same operations
scikit-learn performs), then for each case the fitted coefficients, intercepts, iteration count,
predictions, probabilities and accuracies. "optimum" is the same model solved to a far tighter
tolerance, to show how close the default tol=1e-4 stops to the true minimiser.
"""
import json
import os
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))


def fit(x_train, y_train, x_test, y_test, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = LogisticRegression(**options).fit(x_train, y_train)
    tight = LogisticRegression(**{**options, "tol": 1e-12, "max_iter": 100000}).fit(x_train, y_train)
    pred = model.predict(x_test)
    return {
        "options": options,
        "classes": model.classes_.tolist(),
        "coefficients": model.coef_.tolist(),
        "intercepts": np.atleast_1d(model.intercept_).tolist(),
        "iterations": int(np.max(model.n_iter_)),
        "converged_warning": any("converge" in str(w.message).lower() for w in caught),
        "train_accuracy": float(model.score(x_train, y_train)),
        "test_accuracy": float(model.score(x_test, y_test)),
        "test_predictions": pred.tolist(),
        "test_probabilities": model.predict_proba(x_test).tolist(),
        "test_decision": np.atleast_2d(model.decision_function(x_test).T).T.tolist(),
        "confusion_matrix": confusion_matrix(y_test, pred).tolist(),
        "optimum": {
            "coefficients": tight.coef_.tolist(),
            "intercepts": np.atleast_1d(tight.intercept_).tolist(),
        },
    }


def make(name, data, cases):
    x, y = data.data, data.target
    idx = np.arange(len(y))
    train_idx, test_idx = train_test_split(idx, test_size=0.25, random_state=0, stratify=y)
    train_idx, test_idx = np.sort(train_idx), np.sort(test_idx)
    scaler = StandardScaler().fit(x[train_idx])
    x_train, x_test = scaler.transform(x[train_idx]), scaler.transform(x[test_idx])
    y_train, y_test = y[train_idx], y[test_idx]
    out = {
        "data": name,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "split": "train_test_split(test_size=0.25, random_state=0, stratify=y), indices sorted",
        "train_indices": train_idx.tolist(),
        "test_indices": test_idx.tolist(),
        "scaler_mean": scaler.mean_.tolist(),
        "scaler_scale": scaler.scale_.tolist(),
        "cases": {key: fit(x_train, y_train, x_test, y_test, **opts) for key, opts in cases.items()},
    }
    with open(os.path.join(HERE, f"logistic_{name}.json"), "w") as f:
        json.dump(out, f, indent=1)


make("breast_cancer", load_breast_cancer(), {
    "default": {},
    "multinomial": {"multi_class": "multinomial"},
    "c_0_05": {"C": 0.05},
})
make("wine", load_wine(), {
    "default": {},
    "ovr": {"multi_class": "ovr"},
    "no_intercept": {"fit_intercept": False},
    "c_10": {"C": 10.0},
})
