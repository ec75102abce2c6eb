#!/usr/bin/env python3
"""The baselines of bench/bench_selection.cpp: the same three selections in numpy and scipy,
as a single-process active-learning library computes them, on data of the same shapes
(20 000 Gaussian embeddings of 512 values, 4 sigmoid probabilities, B = 100, no labels;
2 000 points for the clustering). One thread each (OMP/MKL/OpenBLAS pinned to 1 before numpy
loads), so that the comparison with salient's one-core figures is per core.
- CoreSet: k-center greedy keeping each candidate's distance to its nearest center, updated
  with one vectorised distance computation per pick (what DeepAL+'s and baal's CoreSet do,
  without their full N×N matrix).
- BADGE: the gradient embeddings formed explicitly (N × C·d, as BADGE's own code does), then
  k-means++ seeding with numpy.
- Cluster-Margin: scipy.cluster.hierarchy.linkage(method="average") + fcluster(maxclust=50).
Prints milliseconds per selection (best of 3)."""
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy.cluster.hierarchy import fcluster, linkage  # noqa: E402

N, D, C, B = 20_000, 512, 4, 100


def coreset(x):
    to_mean = ((x - x.mean(axis=0)) ** 2).sum(axis=1)
    picked = [int(np.argmin(to_mean))]
    nearest = ((x - x[picked[0]]) ** 2).sum(axis=1)
    while len(picked) < B:
        nearest[picked] = -np.inf
        picked.append(int(np.argmax(nearest)))
        nearest = np.minimum(nearest, ((x - x[picked[-1]]) ** 2).sum(axis=1))
    return picked


def badge(x, p, rng):
    s = p - (p >= 0.5)
    g = (s[:, :, None] * x[:, None, :]).reshape(len(x), -1)
    norms = (g * g).sum(axis=1)
    picked = [int(np.argmax(norms))]
    nearest = ((g - g[picked[0]]) ** 2).sum(axis=1)
    while len(picked) < B:
        nearest[picked] = 0.0
        picked.append(int(np.searchsorted(np.cumsum(nearest), rng.random() * nearest.sum(), side="right")))
        nearest = np.minimum(nearest, ((g - g[picked[-1]]) ** 2).sum(axis=1))
    return picked


def best_of(function, *arguments, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*arguments)
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def main():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((N, D), dtype=np.float32)
    p = rng.uniform(0.01, 0.99, (N, C)).astype(np.float32)
    sample = rng.standard_normal((2000, D), dtype=np.float32)
    print(f"numpy {np.__version__}, one thread")
    print(f"coreset  numpy, N={N}, d={D}, B={B}: {best_of(coreset, x):.0f} ms")
    print(f"badge    numpy, N={N}, d={D}, C={C}, B={B}: {best_of(badge, x, p, rng):.0f} ms")
    cluster = lambda points: fcluster(linkage(points, method="average"), t=50, criterion="maxclust")  # noqa: E731
    print(f"clusters scipy average linkage, S=2000, d={D}: {best_of(cluster, sample):.0f} ms")


if __name__ == "__main__":
    main()
