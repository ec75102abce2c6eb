#!/usr/bin/env python3
"""Embeddings and coreset end to end, against PyTorch and numpy: a phantom pool from
`salient synth`, the scripted small CNN of check_saliency_cli.py, then `salient score
--strategy coreset --select`. The embeddings in the score tables must equal the trunk's
output averaged over space as PyTorch computes it on the same images (float32 within 1e-5;
float16 within one unit in the last place of binary16), the probabilities beside them
PyTorch's sigmoids, and the selection must be the one
an independent numpy k-center greedy (Sener & Savarese 2018, Alg. 1) makes from them:
without labeled images, the candidate nearest the mean first, then each time the candidate
farthest from its nearest pick. Cluster-Margin's clusters (the whole pool sampled) must be
scipy's average-linkage clusters cut at the same count, and its selection the round-robin
over them of the smallest margins, smallest cluster first."""
import csv
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import torch
from scipy.cluster.hierarchy import fcluster, linkage

sys.path.insert(0, os.path.dirname(__file__))
from check_saliency_cli import model_input, pool_and_model, pool_images  # noqa: E402

BUDGET = 6


def score(salient, study, pool, model, embeddings):
    subprocess.run([salient, "--device", "cpu", "score", "--study", study, "--pool", pool, "--model", model,
                    "--strategy", "coreset", "--budget", str(BUDGET), "--embeddings", embeddings, "--batch-size", "6",
                    "--threads", "1", "--no-progress", "--montage-count", "0", "--select"], check=True)
    tables = sorted(os.listdir(os.path.join(study, "rounds", "000", "scores")))
    rows, probabilities, indices = [], [], []
    for name in tables:
        with h5py.File(os.path.join(study, "rounds", "000", "scores", name)) as table:
            rows.append(table["embeddings"][:])
            probabilities.append(table["probabilities"][:])
            assert table.attrs["probability_kind"] in (b"multi-label", "multi-label"), table.attrs["probability_kind"]
            indices.extend(table["index"][:].tolist())
    with open(os.path.join(study, "rounds", "000", "selection.csv")) as selection:
        picked = [int(row["index"]) for row in csv.DictReader(selection)]
    return np.concatenate(rows), np.concatenate(probabilities), indices, picked


def k_center_greedy(points, count):
    points = points.astype(np.float64)
    to_mean = ((points - points.mean(axis=0)) ** 2).sum(axis=1)
    picked = [int(np.argmin(to_mean))]
    nearest = ((points - points[picked[0]]) ** 2).sum(axis=1)
    while len(picked) < count:
        nearest[picked] = -np.inf
        picked.append(int(np.argmax(nearest)))
        nearest = np.minimum(nearest, ((points - points[picked[-1]]) ** 2).sum(axis=1))
    return picked


def check_cluster_margin(salient, study, embeddings, clusters=4):
    out = os.path.join(study, "cluster-margin.csv")
    subprocess.run([salient, "select", "--study", study, "--strategy", "cluster-margin", "--budget", "3",
                    "--strategy-param", f"clusters={clusters}", "--strategy-param", "sample=20", "--out", out,
                    "--montage-count", "0"], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(study, "clusters.csv")) as table:
        assigned = {int(row["id"].split("-")[1]): int(row["cluster"]) for row in csv.DictReader(table)}
    salient_labels = np.array([assigned[i] for i in range(len(embeddings))])
    scipy_labels = fcluster(linkage(embeddings.astype(np.float64), method="average"), t=clusters, criterion="maxclust")
    same = lambda labels: [[j for j in range(len(labels)) if labels[j] == labels[i]] for i in range(len(labels))]
    assert same(salient_labels) == same(scipy_labels), (salient_labels, scipy_labels)
    margins = []
    for name in sorted(os.listdir(os.path.join(study, "rounds", "000", "scores"))):
        with h5py.File(os.path.join(study, "rounds", "000", "scores", name)) as table:
            margins.extend(table["criteria/margin"][:].tolist())
    shortlist = sorted(range(len(margins)), key=lambda i: (margins[i], i))[:4 * 3]
    members = {}
    for i in shortlist:
        members.setdefault(salient_labels[i], []).append(i)
    order = sorted(members, key=lambda c: (len(members[c]), c))
    expected = []
    for turn in range(len(shortlist)):
        expected += [members[c][turn] for c in order if turn < len(members[c])]
    with open(out) as selection:
        picked = [int(row["index"]) for row in csv.DictReader(selection)]
    print(f"cluster-margin picks {picked}; scipy's clusters and numpy's round-robin {expected[:3]}")
    assert picked == expected[:3], (picked, expected[:3])
    # A later selection reads the study's clusters.csv instead of clustering again; a damaged
    # cluster is refused with its file and line.
    again = os.path.join(study, "cluster-margin-again.csv")
    subprocess.run([salient, "select", "--study", study, "--strategy", "cluster-margin", "--budget", "3",
                    "--strategy-param", "clusters=7", "--out", again, "--montage-count", "0"], check=True,
                   stdout=subprocess.DEVNULL)
    assert open(again).read() == open(out).read(), "clusters.csv was not reused"
    clusters_csv = os.path.join(study, "clusters.csv")
    lines = open(clusters_csv).read().splitlines()
    lines[2] = lines[2].split(",")[0] + ",x"
    open(clusters_csv, "w").write("\n".join(lines) + "\n")
    failed = subprocess.run([salient, "select", "--study", study, "--strategy", "cluster-margin", "--budget", "3",
                             "--out", again, "--montage-count", "0"], capture_output=True, text=True)
    assert failed.returncode != 0 and "clusters.csv' line 3, column 'cluster'" in failed.stderr, failed.stderr


def main():
    salient = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        pool, net, model = pool_and_model(salient, tmp)
        images, _ = pool_images(pool)
        with torch.no_grad():
            x = model_input(images)
            expected = net.features(x).mean(dim=(2, 3)).numpy()
            sigmoids = torch.sigmoid(net(x)).numpy()

        single, probabilities, indices, picked = score(salient, os.path.join(tmp, "fp32"), pool, model, "fp32")
        assert single.dtype == np.float32 and single.shape == (20, 16), (single.dtype, single.shape)
        assert indices == list(range(20)), indices
        error = np.abs(single - expected).max()
        print(f"float32 embeddings: max |salient - PyTorch| = {error:.3g} (max {np.abs(expected).max():.3g})")
        assert error <= 1e-5 * np.abs(expected).max(), error
        error = np.abs(probabilities - sigmoids).max()
        print(f"probabilities: max |salient - PyTorch| = {error:.3g}")
        assert probabilities.dtype == np.float32 and error <= 1e-5, error
        reference = k_center_greedy(expected, BUDGET)
        print(f"coreset picks {picked}; numpy's k-center greedy {reference}")
        assert picked == reference, (picked, reference)

        check_cluster_margin(salient, os.path.join(tmp, "fp32"), single)

        half, _, _, half_picked = score(salient, os.path.join(tmp, "auto"), pool, model, "auto")
        assert half.dtype == np.float16 and half.shape == (20, 16), (half.dtype, half.shape)
        ulp = np.spacing(np.abs(expected).astype(np.float16)).astype(np.float32)
        assert np.all(np.abs(half.astype(np.float32) - expected) <= ulp), "float16 embeddings off by more than 1 ulp"
        assert half_picked == k_center_greedy(half.astype(np.float64), BUDGET), half_picked
    print("embeddings match PyTorch, and coreset matches numpy's k-center greedy")


if __name__ == "__main__":
    main()
