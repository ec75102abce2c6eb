#!/usr/bin/env python3
"""`salient criteria` end to end: writes random probabilities to HDF5, runs the command
for --kind mc and --kind patch (α = 1: every patch), and compares each CSV column with the
formulas of docs/formulas.md computed here in numpy (float64). A row with a probability
outside [0, 1] must come back NaN with its reason."""
import csv
import subprocess
import sys
import tempfile

import h5py
import numpy as np

EPS = np.finfo(np.float64).eps


def uncertainty(p):
    mean = p.mean(axis=1)
    plogp = lambda q: np.where(q > 0, q * np.log(np.where(q > 0, q, 1)), 0.0)
    entropy = -plogp(mean).sum(axis=1)
    ordered = np.sort(mean, axis=1)[:, ::-1]
    variance = ((p ** 2).mean(axis=1) - mean ** 2).mean(axis=1)
    bald = entropy - (-plogp(p).sum(axis=2)).mean(axis=1)
    return {"entropy": entropy, "margin": ordered[:, 0] - ordered[:, 1], "least_confidence": 1 - ordered[:, 0],
            "mc_variance": np.maximum(variance, 0), "bald": np.maximum(bald, 0)}


def patch(p, lambda1, lambda2):
    m = p.shape[1]
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
    entropy = -plogp.sum(axis=(1, 2)) / m
    q = np.maximum(p, EPS)
    diversity = np.zeros(p.shape[0])
    for j in range(m):
        for l in range(j + 1, m):
            diversity += ((q[:, j] - q[:, l]) * np.log(q[:, j] / q[:, l])).sum(axis=1)
    return {"acft_entropy": entropy, "acft_diversity": diversity, "acft_score": lambda1 * entropy + lambda2 * diversity}


def run(salient, h5path, kind, extra, out):
    subprocess.run([salient, "--device", "cpu", "criteria", "--in", h5path, "--probs", "probs", "--kind", kind,
                    "--ids", "ids", "--out", out] + extra, check=True)
    with open(out) as f:
        return list(csv.DictReader(f))


def compare(rows, expected, bad_row):
    for name, values in expected.items():
        for i, row in enumerate(rows):
            if i == bad_row:
                assert row[name] == "nan" and row["reason"] == "invalid_probability", row
                continue
            got, want = float(row[name]), values[i]
            assert abs(got - want) <= 1e-5 * max(1.0, abs(want)), (name, i, got, want)
    print(f"{len(expected)} criteria x {len(rows)} candidates agree with numpy")


def main(salient):
    rng = np.random.default_rng(20261122)
    n, t, c = 50, 12, 4
    logits = rng.normal(size=(n, t, c)) * rng.uniform(0.2, 3.0, size=(n, 1, 1))
    probs = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    probs = probs.astype(np.float32)
    probs[7, 3, 1] = 1.5  # invalid
    with tempfile.TemporaryDirectory() as tmp:
        h5path = f"{tmp}/probs.h5"
        with h5py.File(h5path, "w") as h5:
            h5["probs"] = probs
            h5["ids"] = np.array([f"cand{i}".encode() for i in range(n)])
        reference = probs.astype(np.float64)
        rows = run(salient, h5path, "mc", [], f"{tmp}/mc.csv")
        assert [r["id"] for r in rows] == [f"cand{i}" for i in range(n)]
        compare(rows, uncertainty(reference), 7)
        rows = run(salient, h5path, "patch", ["--alpha", "1", "--lambda1", "0.5", "--lambda2", "2"], f"{tmp}/patch.csv")
        compare(rows, patch(reference, 0.5, 2.0), 7)


if __name__ == "__main__":
    main(sys.argv[1])
