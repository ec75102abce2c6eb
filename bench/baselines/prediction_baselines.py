"""Baselines for bench/bench_prediction_criteria.cpp and bench/bench_ranking.cpp: what a
user would otherwise write in numpy/scipy, on inputs of the same shapes, one process.
Prints candidates per second for each, as Markdown rows.

  uncertainty  16384 candidates x T=20 dropout samples x C classes: entropy, margin,
               least confidence, MC variance and BALD of the mean prediction
  patch        4096 candidates x m patches x C classes, alpha = 1/4: ACFT entropy and
               diversity over the majority patches
  rank+top-k   scipy.stats.rankdata of 10^6 / 10^7 scores with 1 % NaN, then the top 1000
"""
import time

import numpy as np
from scipy import stats

EPS = np.finfo(np.float64).eps


def timed(function, *args, repeats=3):
    best = None
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        best = min(best or 1e9, time.perf_counter() - start)
    return best


def softmax(rng, shape):
    logits = rng.normal(size=shape)
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def uncertainty(p):
    p = p.astype(np.float64)
    mean = p.mean(axis=1)
    plogp = lambda q: q * np.log(np.maximum(q, 1e-300))
    entropy = -plogp(mean).sum(axis=1)
    top2 = np.sort(mean, axis=1)[:, -2:]
    margin, least = top2[:, 1] - top2[:, 0], 1 - top2[:, 1]
    variance = ((p ** 2).mean(axis=1) - mean ** 2).mean(axis=1)
    bald = entropy - (-plogp(p).sum(axis=2)).mean(axis=1)
    return entropy, margin, least, variance, bald


def patch(p, alpha=0.25):
    p = p.astype(np.float64)
    n, m, _ = p.shape
    keep = int(np.ceil(alpha * m))
    dominant = p.mean(axis=1).argmax(axis=1)
    order = np.argsort(-p[np.arange(n), :, dominant], axis=1, kind="stable")[:, :keep]
    s = np.take_along_axis(p, order[:, :, None], axis=1)
    entropy = -(s * np.log(np.maximum(s, 1e-300))).sum(axis=(1, 2)) / keep
    q = np.maximum(s, EPS)
    diff = q[:, :, None, :] - q[:, None, :, :]
    logr = np.log(q[:, :, None, :] / q[:, None, :, :])
    diversity = np.triu((diff * logr).sum(axis=3), k=1).sum(axis=(1, 2))
    return entropy, diversity


def rank_top_k(scores, k=1000):
    keyed = np.where(np.isnan(scores), -np.inf, scores)
    ranks = stats.rankdata(-keyed, method="average")
    top = np.argpartition(-keyed, k)[:k]
    return ranks, top[np.argsort(-keyed[top], kind="stable")]


def main():
    rng = np.random.default_rng(7)
    print("| computation | baseline | candidates/s |")
    print("| --- | --- | ---: |")
    for classes in (2, 14):
        p = softmax(rng, (16384, 20, classes))
        print(f"| uncertainty, T=20, C={classes} | numpy | {16384 / timed(uncertainty, p):,.0f} |")
    for m in (8, 16, 32, 64):
        for classes in (2, 14):
            p = softmax(rng, (4096, m, classes))
            print(f"| patch, m={m}, C={classes} | numpy | {4096 / timed(patch, p):,.0f} |")
    for n in (1_000_000, 10_000_000):
        scores = (rng.integers(0, 1 << 21, size=n) / 1024.0).astype(np.float32)
        scores[rng.random(n) < 0.01] = np.nan
        print(f"| rank + top-1000, {n:,} | scipy.stats.rankdata + numpy.argpartition | {n / timed(rank_top_k, scores, repeats=2):,.0f} |")


if __name__ == "__main__":
    main()
