#!/usr/bin/env python3
"""scikit-learn's roc_auc_score on random cases, for test_evaluation.cpp: continuous scores
and scores with many ties, balanced and extremely imbalanced classes, small and large.

usage: auc_reference.py OUT.json
"""
import json
import sys

import numpy as np
from sklearn.metrics import roc_auc_score


def main(out):
    rng = np.random.default_rng(20261206)
    cases = []
    # (images, positives, score levels: None for continuous scores, else that many distinct values)
    for n, positives, levels in [(10, 3, None), (50, 25, 5), (200, 7, None), (1000, 2, 20), (1000, 500, 3),
                                 (37, 36, None), (5000, 50, 100), (4, 2, 1)]:
        labels = np.zeros(n, np.uint8)
        labels[rng.choice(n, positives, replace=False)] = 1
        scores = rng.random(n) if levels is None else rng.integers(0, levels, n) / levels
        cases.append({"scores": scores.tolist(), "labels": labels.tolist(),
                      "auc": float(roc_auc_score(labels, scores))})
    with open(out, "w") as file:
        json.dump(cases, file)


if __name__ == "__main__":
    main(sys.argv[1])
