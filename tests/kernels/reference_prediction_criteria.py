#!/usr/bin/env python3
"""Reference values for the prediction-based criteria and the ranking primitives of
salient_kernels, computed independently with numpy and scipy from the formulas in
docs/formulas.md. Writes one text file of named arrays that the C++ tests read:

    array <name> <count>
    <count values as Python float.hex(), whitespace separated>

Inputs are float32 values (written exactly as hex); expected values are float64.
Usage: reference_prediction_criteria.py OUTPUT_FILE
"""
import sys

import numpy as np
from scipy.stats import rankdata

FLT_EPSILON = float(np.finfo(np.float32).eps)
DBL_EPSILON = float(np.finfo(np.float64).eps)
rng = np.random.default_rng(20261122)
arrays = {}


def put(name, values):
    arrays[name] = np.asarray(values, dtype=np.float64).ravel()


def random_probabilities(shape, classes, zero_fraction):
    """Softmax of random logits in float32, some rows pushed to exact 0/1."""
    logits = rng.normal(0.0, 2.0, size=shape + (classes,))
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    p = p.astype(np.float32)
    hard = rng.random(shape) < zero_fraction
    onehot = np.eye(classes, dtype=np.float32)[rng.integers(0, classes, size=shape)]
    p[hard] = onehot[hard]
    return p


def sigmoid_probabilities(shape, zero_fraction):
    p = (1.0 / (1.0 + np.exp(-rng.normal(0.0, 2.0, size=shape + (1,))))).astype(np.float32)
    hard = rng.random(shape) < zero_fraction
    p[hard, 0] = rng.integers(0, 2, size=int(hard.sum())).astype(np.float32)
    return p


def as_classes(p):
    """float64 class probabilities; one sigmoid column p becomes [1 - p, p]."""
    p = p.astype(np.float64)
    return np.concatenate([1.0 - p, p], axis=-1) if p.shape[-1] == 1 else p


def entropy_terms(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, -p * np.log(p), 0.0)


# ---- ACFT patch criteria ---------------------------------------------------------------
def acft(candidate, alpha, lambda1, lambda2):
    p = as_classes(candidate)  # m x C
    m = p.shape[0]
    means = p.sum(axis=0) / m
    dominant = 0
    for k in range(1, p.shape[1]):
        if means[k] > means[dominant] + FLT_EPSILON:
            dominant = k
    kept = int(np.ceil(alpha * m - 1e-9))
    order = np.lexsort((np.arange(m), -p[:, dominant]))[:kept]  # descending, ties by patch index
    s = p[order]
    entropy = entropy_terms(s).sum() / kept
    c = np.maximum(s, DBL_EPSILON)
    logs = np.log(c)
    diff = c[:, None, :] - c[None, :, :]
    log_diff = logs[:, None, :] - logs[None, :, :]
    diversity = np.triu((diff * log_diff).sum(axis=2), k=1).sum()
    return entropy, diversity, lambda1 * entropy + lambda2 * diversity, dominant


def patch_case(name, probabilities, alpha, lambda1, lambda2):
    n, m, c = probabilities.shape
    put(f"{name}.shape", [n, m, c])
    put(f"{name}.config", [alpha, lambda1, lambda2])
    put(f"{name}.probabilities", probabilities)
    results = np.array([acft(probabilities[i], alpha, lambda1, lambda2) for i in range(n)])
    put(f"{name}.entropy", results[:, 0])
    put(f"{name}.diversity", results[:, 1])
    put(f"{name}.score", results[:, 2])
    put(f"{name}.dominant_class", results[:, 3])


patch_case("patch_softmax", random_probabilities((40, 24), 5, 0.1), 0.25, 1.0, 0.5)
patch_case("patch_sigmoid", sigmoid_probabilities((40, 11), 0.2), 0.25, 1.0, 1.0)
patch_case("patch_all_patches", random_probabilities((20, 9), 3, 0.1), 1.0, 0.0, 1.0)


# ---- MC-dropout uncertainty ------------------------------------------------------------
def uncertainty_case(name, probabilities, predicted_variance):
    n, t, c_in = probabilities.shape
    put(f"{name}.shape", [n, t, c_in])
    put(f"{name}.probabilities", probabilities)
    p = as_classes(probabilities)  # n x T x C
    mean = p.mean(axis=1)
    entropy = entropy_terms(mean).sum(axis=1)
    top2 = np.sort(mean, axis=1)[:, ::-1][:, :2]
    variance = ((p**2).mean(axis=1) - mean**2).mean(axis=1)
    if predicted_variance is not None:
        put(f"{name}.predicted_variance", predicted_variance)
        variance += predicted_variance.astype(np.float64).mean(axis=(1, 2))
    bald = entropy - entropy_terms(p).sum(axis=2).mean(axis=1)
    put(f"{name}.entropy", entropy)
    put(f"{name}.margin", top2[:, 0] - top2[:, 1])
    put(f"{name}.least_confidence", 1.0 - top2[:, 0])
    put(f"{name}.mc_variance", np.maximum(variance, 0.0))
    put(f"{name}.bald", np.maximum(bald, 0.0))


uncertainty_case("mc_softmax", random_probabilities((50, 20), 14, 0.05), None)
uncertainty_case("mc_sigmoid", sigmoid_probabilities((50, 20), 0.05),
                 rng.uniform(0.0, 0.05, size=(50, 20, 1)).astype(np.float32))
uncertainty_case("mc_variance_term", random_probabilities((30, 7), 3, 0.0),
                 rng.uniform(0.0, 0.1, size=(30, 7, 3)).astype(np.float32))


# ---- ranks and Borda ---------------------------------------------------------------------
def ranks_with_nan_last(scores, descending, labeled):
    """Average ranks (scipy.stats.rankdata) of the unlabeled scores, NaN tied last."""
    ranks = np.full(scores.shape, np.nan)
    eligible = ~labeled
    values = scores[eligible].astype(np.float64)
    finite = ~np.isnan(values)
    r = np.empty(values.shape)
    r[finite] = rankdata(-values[finite] if descending else values[finite], method="average")
    nan_count = int((~finite).sum())
    r[~finite] = finite.sum() + (nan_count + 1) / 2.0
    ranks[eligible] = r
    return ranks


n = 2000
scores = rng.integers(0, 300, size=n).astype(np.float32) / np.float32(8)  # many ties
scores[rng.random(n) < 0.05] = np.nan
scores[rng.random(n) < 0.02] = -0.0
labeled = rng.random(n) < 0.1
put("rank.scores", scores)
put("rank.labeled", labeled)
put("rank.descending", ranks_with_nan_last(scores, True, labeled))
put("rank.ascending", ranks_with_nan_last(scores, False, labeled))

criteria = [rng.normal(size=n).astype(np.float32),
            (rng.integers(0, 50, size=n) / 4).astype(np.float32),
            rng.uniform(size=n).astype(np.float32)]
criteria[2][rng.random(n) < 0.03] = np.nan
directions = [True, False, True]  # descending, ascending, descending
put("borda.criteria", np.stack(criteria))
put("borda.sums", sum(ranks_with_nan_last(c, d, labeled) for c, d in zip(criteria, directions)))

with open(sys.argv[1], "w") as out:
    for name, values in arrays.items():
        out.write(f"array {name} {values.size}\n")
        out.write(" ".join(float(v).hex() for v in values))
        out.write("\n")
