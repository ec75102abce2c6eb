#!/usr/bin/env python3
"""The baselines of bench/bench_ideal_deep.cpp, on data of the same shapes, as a user without
salient would compute them:
- the saliency autoencoder (the PyTorch twin of tests/engine/reference/autoencoder_reference.py
  at 64x64, l = 32): one Adam training step and encoding, batches of 64, every CPU thread;
- k-means of 10^5 codes (l = 32, K = 10): scikit-learn's KMeans (Lloyd, k-means++, n_init=1);
- a forest on the same 10^5 codes and 10 levels: scikit-learn's RandomForestClassifier and
  ExtraTreesClassifier (50 trees, n_jobs=1) fit in batch, and their predict_proba.
  scikit-learn has no on-line forest; a user of IDEAL's Algorithm 2 would refit one each round.
One thread for scikit-learn (OMP/OpenBLAS pinned before numpy loads). Prints one line per
case with milliseconds per call (best of 3) and items per second."""
import os
import sys
import time

threads = os.cpu_count()
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "engine", "reference"))
from autoencoder_reference import SaliencyAutoencoder  # noqa: E402

MAP_SIZE, LATENT, BATCH, CODES, LEVELS = 64, 32, 64, 100_000, 10


def best_of(function, repeats=3):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def report(name, seconds, items):
    print(f"{name:40s} {seconds * 1e3:10.1f} ms  {items / seconds:14.0f} items/s", flush=True)


def codes():
    rng = np.random.default_rng(1)
    level = np.arange(CODES) % LEVELS
    x = rng.uniform(-1.0, 1.0, (CODES, LATENT)) + 3.0 * (np.arange(LATENT)[None, :] % LEVELS == level[:, None])
    return x.astype(np.float32), level


def main():
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = SaliencyAutoencoder(MAP_SIZE, LATENT)
    maps = torch.rand(BATCH, 1, MAP_SIZE, MAP_SIZE)
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)

    def train_step():
        adam.zero_grad()
        loss = ((model.decode(model.encode(maps)) - maps) ** 2).flatten(1).mean(1).sum() / BATCH
        loss.backward()
        adam.step()

    def encode():
        with torch.no_grad():
            model.encode(maps)

    print(f"PyTorch {torch.__version__} eager, {torch.get_num_threads()} CPU threads; scikit-learn one thread")
    train_step()
    report("pytorch autoencoder/train_step/batch:64", best_of(train_step, 10), BATCH)
    encode()
    report("pytorch autoencoder/encode/batch:64", best_of(encode, 10), BATCH)
    x, level = codes()
    report("sklearn KMeans/k:10/n_init:1", best_of(lambda: KMeans(LEVELS, n_init=1, random_state=0).fit(x)), CODES)
    for name, forest_type in (("RandomForestClassifier", RandomForestClassifier),
                              ("ExtraTreesClassifier", ExtraTreesClassifier)):
        forest = forest_type(n_estimators=50, n_jobs=1, random_state=0)
        report(f"sklearn {name}/fit", best_of(lambda: forest.fit(x, level), 1), CODES)
        report(f"sklearn {name}/predict_proba", best_of(lambda: forest.predict_proba(x)), CODES)


if __name__ == "__main__":
    main()
