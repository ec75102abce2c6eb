#!/usr/bin/env python3
"""`salient select` for every strategy on a six-image pool whose criteria are set by hand,
so that each selection can be derived on paper (the derivations are in the comments).

The round is scored first (for the table format and ids), then the criteria datasets of the
score tables are overwritten with the values below (reasons 0: every value defined).

usage: check_select_strategies.py SALIENT WORKDIR
"""
import csv
import os
import shutil
import sys

import h5py
import numpy as np

from round_support import run, synth_pool

# Global index:          0     1     2     3     4     5
VALUES = {
    "entropy":          [0.1,  0.9,  0.5,  0.7,  0.3,  0.8],
    "margin":           [0.5,  0.2,  0.05, 0.9,  0.3,  0.6],
    "least_confidence": [0.2,  0.3,  0.6,  0.1,  0.8,  0.4],
    "mc_variance":      [0.01, 0.02, 0.05, 0.03, 0.04, 0.0],
    "bald":             [0.3,  0.1,  0.2,  0.6,  0.0,  0.5],
    "ideal_Kurtosis":   [3,    9,    4,    2,    7,    5],
    # IDEAL Table I first-order, each ranked descending (rank 1 = largest):
    "firstorder_Kurtosis":    [6, 5, 4, 3, 2, 1],  # ranks 1 2 3 4 5 6
    "firstorder_Skewness":    [2, 1, 6, 5, 4, 3],  # ranks 5 6 1 2 3 4
    "firstorder_Entropy":     [1, 6, 2, 5, 3, 4],  # ranks 6 1 5 2 4 3
    "firstorder_TotalEnergy": [3, 4, 5, 6, 1, 2],  # ranks 4 3 2 1 6 5
    # rank sums 16 12 11 9 18 18 -> 3, then 2
    # GLCM: the same columns rolled by one image, so image i has image i+1's sum above:
    # sums 12 11 9 18 18 16 -> 2, then 1
    "glcm_SumEntropy":        [5, 4, 3, 2, 1, 6],
    "glcm_Idn":               [1, 6, 5, 4, 3, 2],
    "glcm_DifferenceEntropy": [6, 2, 5, 3, 4, 1],
    "glcm_MCC":               [4, 5, 6, 1, 2, 3],
    # Sphericity and SphericalDisproportion (its reciprocal) give every image rank sum 7, so
    # Elongation decides: ranks 4 1 6 3 2 5 -> 1, then 4
    "shape2D_Sphericity":             [0.5, 0.6, 0.7, 0.8, 0.9, 0.4],
    "shape2D_SphericalDisproportion": [2.0, 1 / 0.6, 1 / 0.7, 1.25, 1 / 0.9, 2.5],
    "shape2D_Elongation":             [0.3, 0.9, 0.1, 0.5, 0.7, 0.2],
    # EG-AL, lambda 0.5: 0.5 H + 0.5 (1 - HardDice) = 0.55 0.5 0.7 0.45 0.5 0.45 -> 2, then 0
    "alignment_HardDice": [0.0, 0.9, 0.1, 0.8, 0.3, 0.9],
    "acft_score":         [0.2, 0.4, 0.9, 0.1, 0.6, 0.3],
}

# strategy, extra arguments, expected global indices in selection order
CASES = [
    ("entropy", [], [1, 5]),
    ("margin", [], [2, 1]),                      # smallest margin first
    ("least-confidence", [], [4, 2]),
    ("mc-variance", [], [2, 4]),
    ("bald", [], [3, 5]),
    ("ideal-kurtosis", [], [1, 4]),
    ("ideal-firstorder", [], [3, 2]),
    ("ideal-glcm", [], [2, 1]),
    ("ideal-shape", [], [1, 4]),
    ("eg-al", [], [2, 0]),
    # omega 1 keeps the top B = 2 by acft_score (2, 4); a' is 1 and 0, so the draw takes 2 first.
    ("acft", ["--strategy-param", "omega=1"], [2, 4]),
    ("hitl-entropy", ["--strategy-param", "x=3"], [1, 5, 3]),
    # entropy ranks 6 1 4 3 5 2, margin (ascending) ranks 4 2 1 6 3 5: sums 10 3 5 9 8 7 -> 1, 2
    ("borda", ["--strategy-param", "criteria=entropy,margin"], [1, 2]),
    ("entropy", ["--reverse"], [0, 4]),          # IDEAL's ablation: least informative first
]


def overwrite_criteria(scores):
    for name in sorted(os.listdir(scores)):
        with h5py.File(os.path.join(scores, name), "r+") as table:
            index = table["index"][:]
            for criterion, values in VALUES.items():
                table[f"criteria/{criterion}"][...] = np.asarray(values, dtype=np.float64)[index]
                table[f"reasons/{criterion}"][...] = 0


def select(salient, study, strategy, extra, name):
    out = os.path.join(study, f"{name}.csv")
    run([salient, "--log-level", "warn", "select", "--study", study, "--strategy", strategy, "--budget", "2",
         "--montage-count", "0", "--out", out, *extra])
    with open(out) as table:
        return [int(row["index"]) for row in csv.DictReader(table)]


def main():
    salient, work = sys.argv[1:3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=6, shard_size=4, seed=2)
    study = os.path.join(work, "study")
    run([salient, "--log-level", "warn", "score", "--study", study, "--pool", pool, "--model", "small-cnn",
         "--input-size", "64", "--no-progress", "--criteria", ",".join(VALUES)])
    overwrite_criteria(os.path.join(study, "rounds", "000", "scores"))

    for number, (strategy, extra, expected) in enumerate(CASES):
        got = select(salient, study, strategy, extra, f"case{number}")
        assert got == expected, f"{strategy} {' '.join(extra)}: selected {got}, expected {expected}"

    # random: the same draw every time, two distinct images.
    first, again = (select(salient, study, "random", [], name) for name in ("random1", "random2"))
    assert first == again and len(set(first)) == 2, (first, again)

    # An image in the study's labels.csv is no longer a candidate: entropy's 1 makes way for 3.
    with h5py.File(os.path.join(study, "rounds", "000", "scores", "shard-00000.h5"), "r") as table:
        labeled_id = table["ids"][1].decode()
    with open(os.path.join(study, "labels.csv"), "w") as labels:
        labels.write("id,Effusion,Nodule,Consolidation,Cardiomegaly,round,source\n")
        labels.write(f"{labeled_id},0,1,0,0,0,oracle\n")
    assert select(salient, study, "entropy", [], "labeled") == [5, 3]
    print(f"{len(CASES) + 2} selections match their hand derivations")


if __name__ == "__main__":
    main()
