#!/usr/bin/env python3
"""Well-separated blobs and scikit-learn's k-means partition of them, for test_k_means.cpp:
salient's k-means must find the same partition (up to the clusters' numbering) and inertia.

Points are rounded to float32 before scikit-learn sees them, so both sides cluster the same values.

usage: k_means_reference.py OUT.json
"""
import json
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs


def main(out):
    cases = []
    for samples, clusters, features, seed in [(600, 6, 5, 3), (1000, 10, 16, 4)]:
        x, _ = make_blobs(n_samples=samples, centers=clusters, n_features=features, cluster_std=0.6,
                          center_box=(-20.0, 20.0), random_state=seed)
        x = x.astype(np.float32).astype(np.float64)
        fitted = KMeans(n_clusters=clusters, n_init=20, algorithm="lloyd", tol=0.0, random_state=0).fit(x)
        cases.append({"clusters": clusters, "features": features, "points": x.ravel().tolist(),
                      "labels": fitted.labels_.tolist(), "inertia": float(fitted.inertia_)})
    with open(out, "w") as file:
        json.dump(cases, file)


if __name__ == "__main__":
    main(sys.argv[1])
