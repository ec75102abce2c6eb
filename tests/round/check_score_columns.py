#!/usr/bin/env python3
"""Every criterion column `salient score` writes is the value its kernel gives on the same
inputs, bit for bit on the CPU, for 1 and 2 ranks (the 2-rank run merges parts).

The inputs are taken through other commands of the product, never through the scoring
code's own column logic:
- `salient saliency` writes the Grad-CAM maps and probabilities of the same model (same
  architecture, seed, input size and batch grid) for every image;
- `salient features` computes firstorder, shape2D, the five texture families and alignment
  (with the pool's ROI masks, read here with h5py) of those maps; each table column is compared with the CSV
  column of the same name;
- alignment_Misalignment is, by EG-AL's definition, 1 − alignment_HardDice;
- `salient criteria --kind mc` computes entropy, margin and least_confidence of each
  finding's sigmoid as a binary problem; a multi-label image's value is their mean over the
  findings (docs/formulas.md, "Criteria of `salient score`").

Then every table, and `salient export` of each round, must satisfy the invariants of the
definitions (check_invariants below).

usage: check_score_columns.py SALIENT MPIEXEC WORKDIR
"""
import csv
import math
import os
import shutil
import sys

import h5py
import numpy as np

from round_support import mpirun_salient, run, synth_pool

SEED = 3
BATCH = 4
FAMILIES = "firstorder,shape2D,glcm,glrlm,glszm,gldm,ngtdm,alignment"
PREDICTION = ("entropy", "margin", "least_confidence")


def score(salient, mpiexec, ranks, study, pool):
    mpirun_salient(mpiexec, ranks, salient, [
        "score", "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "64",
        "--batch-size", str(BATCH), "--threads", "1", "--seed", str(SEED), "--criteria", "prediction," + FAMILIES])


def read_tables(study):
    """{criterion: values}, {criterion: reasons} over every table in index order, and the indices."""
    directory = os.path.join(study, "rounds", "000", "scores")
    values, reasons, indices = {}, {}, []
    for name in sorted(os.listdir(directory)):
        with h5py.File(os.path.join(directory, name), "r") as table:
            indices.extend(table["index"][:].tolist())
            for criterion in table["criteria"]:
                values.setdefault(criterion, []).extend(table["criteria"][criterion][:].tolist())
                reasons.setdefault(criterion, []).extend(table["reasons"][criterion][:].tolist())
    return values, reasons, indices


def read_csv_columns(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {name: [row[name] for row in rows] for name in rows[0]}


def kernel_references(salient, work, pool):
    """{criterion: per-image values} computed from the maps, probabilities and ROI masks."""
    maps_file = os.path.join(work, "maps.h5")
    run([salient, "saliency", "--pool", pool, "--model", "small-cnn", "--seed", str(SEED), "--input-size", "64",
         "--batch-size", str(BATCH), "--method", "gradcam", "--out", maps_file])
    with h5py.File(maps_file, "r") as maps:
        assert maps["indices"][:].tolist() == list(range(len(maps["indices"]))), "maps out of pool order"
        saliency = maps["maps"][:]
        probabilities = maps["probabilities"][:]
    shards = sorted(n for n in os.listdir(pool) if n.startswith("shard-") and n.endswith(".h5"))
    roi = np.concatenate([h5py.File(os.path.join(pool, name), "r")["roi"][:] for name in shards])

    inputs = os.path.join(work, "inputs.h5")
    with h5py.File(inputs, "w") as out:
        out["maps"] = saliency
        out["roi"] = roi
        # Each finding of each image as its own binary problem: [N·C, T = 1, C = 1].
        out["per_finding"] = probabilities.reshape(-1, 1, 1)
    features_csv = os.path.join(work, "features.csv")
    run([salient, "features", "--in", inputs, "--maps", "maps", "--roi", "roi", "--families", FAMILIES,
         "--bin-count", "32", "--quantile", "0.7", "--distances", "1", "--dice-threshold", "0.5", "--out",
         features_csv])
    criteria_csv = os.path.join(work, "criteria.csv")
    run([salient, "criteria", "--in", inputs, "--probs", "per_finding", "--kind", "mc", "--out", criteria_csv])

    expected = {}
    for name, cells in read_csv_columns(features_csv).items():
        if name != "index" and not name.endswith("_reason"):
            expected[name] = [float(cell) for cell in cells]
    expected["alignment_Misalignment"] = [1.0 - dice for dice in expected["alignment_HardDice"]]
    findings = probabilities.shape[1]
    per_finding = read_csv_columns(criteria_csv)
    for name in PREDICTION:
        # The CSV prints the kernel's float32 results at their shortest round-trip precision.
        cells = [float(np.float32(cell)) for cell in per_finding[name]]
        means = []
        for image in range(len(cells) // findings):
            total = 0.0
            for value in cells[image * findings:(image + 1) * findings]:
                total += value
            means.append(total / findings)
        expected[name] = means
    return expected


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def check_against_kernels(values, indices, expected, label):
    assert indices == list(range(len(indices))), f"{label}: tables out of pool order"
    missing = sorted(set(values) ^ set(expected))
    assert not missing, f"{label}: columns without a reference, or references without a column: {missing}"
    for name in sorted(values):
        wrong = [i for i, (a, b) in enumerate(zip(values[name], expected[name])) if not same(a, b)]
        assert not wrong, (f"{label}: {name} differs from its kernel at {len(wrong)} of {len(values[name])} images, "
                           f"first at index {wrong[0]}: {values[name][wrong[0]]!r} != {expected[name][wrong[0]]!r}")
    print(f"{label}: {len(values)} columns × {len(indices)} images equal their kernels bit for bit")


def check_invariants(values, reasons, label):
    """What the definitions guarantee of every row whose values are defined."""
    def rows(*names):
        for i in range(len(values[names[0]])):
            row = [values[name][i] for name in names]
            if not any(math.isnan(v) for v in row):
                yield i, row

    checks = 0
    for i, (p10, median, p90) in rows("firstorder_10Percentile", "firstorder_Median", "firstorder_90Percentile"):
        assert p10 <= median <= p90, f"{label} index {i}: 10Percentile {p10}, Median {median}, 90Percentile {p90}"
        checks += 1
    for i, (low, mean, high) in rows("firstorder_Minimum", "firstorder_Mean", "firstorder_Maximum"):
        assert low <= mean <= high, f"{label} index {i}: Minimum {low}, Mean {mean}, Maximum {high}"
        checks += 1
    for i, (sphericity,) in rows("shape2D_Sphericity"):
        assert 0.0 < sphericity <= 1.0, f"{label} index {i}: Sphericity {sphericity}"
        checks += 1
    for name in ("alignment_HardDice", "alignment_SoftDice", "alignment_AUPRC", "alignment_Misalignment"):
        for i, (value,) in rows(name):
            assert 0.0 <= value <= 1.0, f"{label} index {i}: {name} {value}"
            checks += 1
    for name in ("firstorder_Entropy", "glcm_JointEntropy", "glcm_SumEntropy", "glcm_DifferenceEntropy", "entropy"):
        for i, (value,) in rows(name):
            assert value >= 0.0, f"{label} index {i}: {name} {value}"
            checks += 1
    for name, column in values.items():
        for i, (value, reason) in enumerate(zip(column, reasons[name])):
            assert math.isnan(value) == (reason != 0), f"{label} index {i}: {name} = {value} with reason {reason}"
            checks += 1
    print(f"{label}: {checks} invariant checks hold")


def check_export(salient, study, label):
    """The same invariants on `salient export`'s CSV: what users read the tables through."""
    path = os.path.join(study, "export.csv")
    run([salient, "export", "--study", study, "--round", "0", "--out", path])
    columns = read_csv_columns(path)
    values, reasons = {}, {}
    for name, cells in columns.items():
        if name in ("index", "id") or name.endswith("_reason"):
            continue
        values[name] = [float(cell) for cell in cells]
        reasons[name] = [1 if cell else 0 for cell in columns[name + "_reason"]]
    check_invariants(values, reasons, label + " export")


def main():
    salient, mpiexec, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    # 40 images in shards of 16: on 2 ranks the share boundary (row 20) splits shard 1 into parts.
    pool = synth_pool(salient, work, count=40, shard_size=16, seed=5)
    expected = kernel_references(salient, work, pool)
    for ranks in (1, 2):
        study = os.path.join(work, f"np{ranks}")
        score(salient, mpiexec, ranks, study, pool)
        values, reasons, indices = read_tables(study)
        check_against_kernels(values, indices, expected, f"np{ranks}")
        check_invariants(values, reasons, f"np{ranks}")
        check_export(salient, study, f"np{ranks}")


if __name__ == "__main__":
    main()
