#!/usr/bin/env python3
"""Labelled problems and scikit-learn's batch forests on them, for test_online_forest.cpp:
the on-line random forest, trained on the same samples as a stream, must come close to the
accuracy of RandomForestClassifier and ExtraTreesClassifier on the held-out samples.

Features are rounded to float32 before anything is trained, so both sides see the same values.

usage: forest_reference.py OUT.json
"""
import json
import sys

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier


def problem(name, x, y, train):
    x = x.astype(np.float32)
    x_train, y_train, x_test, y_test = x[:train], y[:train], x[train:], y[train:]
    accuracy = {}
    for forest_name, forest in [("random_forest", RandomForestClassifier(n_estimators=50, random_state=0)),
                                ("extra_trees", ExtraTreesClassifier(n_estimators=50, random_state=0))]:
        forest.fit(x_train, y_train)
        accuracy[forest_name] = float((forest.predict(x_test) == y_test).mean())
    return {"name": name, "features": int(x.shape[1]), "classes": int(y.max() + 1),
            "x_train": x_train.astype(float).ravel().tolist(), "y_train": y_train.tolist(),
            "x_test": x_test.astype(float).ravel().tolist(), "y_test": y_test.tolist(), "accuracy": accuracy}


def main(out):
    problems = []
    # Four classes in ten features, six of them informative (Guyon's design, as in scikit-learn's docs).
    x, y = make_classification(n_samples=4000, n_features=10, n_informative=6, n_redundant=2, n_classes=4,
                               n_clusters_per_class=2, random_state=7)
    problems.append(problem("four classes, ten features", x, y, 3000))
    # Ten classes (IDEAL's K = 10 informativeness levels) in 16 features, like a small latent vector.
    x, y = make_classification(n_samples=6000, n_features=16, n_informative=10, n_redundant=3, n_classes=10,
                               n_clusters_per_class=1, class_sep=1.5, random_state=11)
    problems.append(problem("ten classes, sixteen features", x, y, 5000))
    with open(out, "w") as file:
        json.dump(problems, file)


if __name__ == "__main__":
    main(sys.argv[1])
