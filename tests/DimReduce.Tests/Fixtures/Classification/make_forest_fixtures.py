"""Reference values for DimReduce.Classification.RandomForestClassifier.

Run from the repository root with the Debian interpreter (scikit-learn 1.2.1):
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Classification/make_forest_fixtures.py

Forests are random, so the fixture holds scores rather than trees. Each data set (raw features, no
scaling: trees do not need it) is split once (stratified, test_size=0.25, random_state=0, indices
sorted). For RandomForestClassifier() with its defaults (100 trees, max_features='sqrt', bootstrap)
it stores the held-out accuracy for seeds 0-4 and their mean, and the feature importances per seed.
For one deep tree, DecisionTreeClassifier() (max_features=None, no bootstrap; random_state only
breaks ties between equally good features), it stores the training accuracy and the test
predictions for random_state 0, and how often the trees of random_states 1-9 agree with it on the
test rows: the spread that ties alone cause.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = [0, 1, 2, 3, 4]


def make(name, data):
    x, y = data.data, data.target
    idx = np.arange(len(y))
    train_idx, test_idx = train_test_split(idx, test_size=0.25, random_state=0, stratify=y)
    train_idx, test_idx = np.sort(train_idx), np.sort(test_idx)
    x_train, x_test, y_train, y_test = x[train_idx], x[test_idx], y[train_idx], y[test_idx]

    accuracies, importances, depths = [], [], []
    for seed in SEEDS:
        forest = RandomForestClassifier(random_state=seed, n_jobs=-1).fit(x_train, y_train)
        accuracies.append(float(forest.score(x_test, y_test)))
        importances.append(forest.feature_importances_.tolist())
        depths.append(float(np.mean([t.get_depth() for t in forest.estimators_])))

    tree = DecisionTreeClassifier(random_state=0).fit(x_train, y_train)
    tree_pred = tree.predict(x_test)
    agreement = [float(np.mean(DecisionTreeClassifier(random_state=s).fit(x_train, y_train).predict(x_test) == tree_pred))
                 for s in range(1, 10)]

    out = {
        "data": name,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "split": "train_test_split(test_size=0.25, random_state=0, stratify=y), indices sorted",
        "train_indices": train_idx.tolist(),
        "test_indices": test_idx.tolist(),
        "forest": {
            "options": "RandomForestClassifier(random_state=seed, n_jobs=-1), all else default",
            "seeds": SEEDS,
            "test_accuracy": accuracies,
            "mean_test_accuracy": float(np.mean(accuracies)),
            "mean_tree_depth": depths,
            "feature_importances": importances,
            "top_feature": [int(np.argmax(v)) for v in importances],
        },
        "tree": {
            "options": "DecisionTreeClassifier(random_state=0), all else default",
            "train_accuracy": float(tree.score(x_train, y_train)),
            "test_accuracy": float(tree.score(x_test, y_test)),
            "depth": int(tree.get_depth()),
            "leaves": int(tree.get_n_leaves()),
            "test_predictions": tree_pred.tolist(),
            "agreement_of_other_random_states": agreement,
        },
    }
    with open(os.path.join(HERE, f"forest_{name}.json"), "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
    print(name, "forest", out["forest"]["mean_test_accuracy"], accuracies, "tree", out["tree"]["test_accuracy"],
          "depth", out["tree"]["depth"], "leaves", out["tree"]["leaves"], "agreement", min(agreement), out["forest"]["top_feature"])


make("wine", load_wine())
make("breast_cancer", load_breast_cancer())
make("digits", load_digits())
