#!/usr/bin/env python3
"""`salient score --select` under mpirun with 1, 2 and 3 ranks: the same seed must give the
same score tables and the same selection, byte for byte (DESIGN.md "Distribution"). On a
GPU machine the ranks share the GPU, with deterministic algorithms on (--deterministic).

The pool (44 images in shards of 16, 16 and 12) and the batch size (6) are chosen so that
batches straddle shards and, for 2 and 3 ranks, ranks' shares end inside shards: those
shards are written as parts by two ranks and merged. Every criterion family is computed,
and the embeddings (float16, with the probabilities) are stored; coreset, diverse:eg-al,
badge and cluster-margin, which measure distances between them, must then select the same
images (and form the same clusters) from every rank count's tables.

usage: check_score_determinism.py SALIENT MPIEXEC WORKDIR
"""
import filecmp
import json
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

from round_support import mpirun_salient, synth_pool

CRITERIA = "prediction,mc_dropout,patches,firstorder,glcm,glrlm,glszm,gldm,ngtdm,shape2D,alignment"


def score(salient, mpiexec, ranks, study, pool, extra=()):
    return mpirun_salient(mpiexec, ranks, salient, [
        "score", "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "64",
        "--batch-size", "6", "--threads", "1", "--seed", "7", "--deterministic", "--criteria", CRITERIA,
        "--strategy", "eg-al", "--budget", "5", "--embeddings", "fp16", "--select", *extra])


def main():
    salient, mpiexec, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=44, shard_size=16, seed=5)

    studies = {}
    for ranks in (1, 2, 3):
        study = os.path.join(work, f"np{ranks}")
        score(salient, mpiexec, ranks, study, pool)
        for strategy in ("coreset", "diverse:eg-al", "badge", "cluster-margin"):
            subprocess.run([salient, "select", "--study", study, "--strategy", strategy, "--budget", "5",
                            "--out", os.path.join(study, f"{strategy.replace(':', '-')}.csv"), "--montage-count", "0"],
                           check=True, stdout=subprocess.DEVNULL)
        studies[ranks] = study

    scores = lambda study: os.path.join(study, "rounds", "000", "scores")
    reference = sorted(os.listdir(scores(studies[1])))
    assert reference == [f"shard-{s:05d}.h5" for s in range(3)], reference
    for ranks in (2, 3):
        names = sorted(os.listdir(scores(studies[ranks])))
        assert names == reference, f"np{ranks}: {names}"
        for name in names:
            a, b = os.path.join(scores(studies[1]), name), os.path.join(scores(studies[ranks]), name)
            assert filecmp.cmp(a, b, shallow=False), f"{b} differs from {a}"
        for name in ("rounds/000/selection.csv", "rounds/000/selection-montage.png", "coreset.csv",
                     "diverse-eg-al.csv", "badge.csv", "cluster-margin.csv", "clusters.csv"):
            a = os.path.join(studies[1], name)
            b = os.path.join(studies[ranks], name)
            assert filecmp.cmp(a, b, shallow=False), f"{b} differs from {a}"
        report = json.load(open(os.path.join(studies[ranks], "rounds", "000", "score-report.json")))
        assert len(report["ranks"]) == ranks and report["images_scored"] == 44, report
        assert report["parts_merged"] >= 1, "shares ending inside a shard must have been merged"

    # The tables hold every image once, in index order, with all 119 criteria. Every column
    # is finite exactly where its reason is 0 ("defined"), and has a defined value for some
    # image, so that a column of NaN cannot pass the byte comparisons above.
    indices, criteria, defined = [], None, {}
    for name in reference:
        with h5py.File(os.path.join(scores(studies[2]), name), "r") as table:
            indices.extend(table["index"][:].tolist())
            names = sorted(table["criteria"].keys())
            criteria = names if criteria is None else criteria
            assert names == criteria
            for criterion in names:
                values, reasons = table["criteria"][criterion][:], table["reasons"][criterion][:]
                assert np.array_equal(np.isfinite(values), reasons == 0), f"{name}: {criterion} {values} {reasons}"
                defined[criterion] = defined.get(criterion, 0) + int(np.sum(reasons == 0))
            entropy = table["criteria/entropy"][:]
            assert np.all(np.isfinite(entropy)) and np.all(entropy >= 0), entropy
            embeddings = table["embeddings"][:]
            assert embeddings.dtype == np.float16 and embeddings.shape[0] == len(entropy), embeddings.shape
            assert np.all(np.isfinite(embeddings)) and np.ptp(embeddings, axis=0).max() > 0, embeddings
    assert indices == list(range(44)), indices
    assert len(criteria) == 119, len(criteria)
    never = sorted(criterion for criterion, count in defined.items() if count == 0)
    assert not never, f"columns without a single defined value: {never}"

    selection = open(os.path.join(studies[2], "rounds", "000", "selection.csv")).read().splitlines()
    assert selection[0].startswith("rank,id,index,shard,row,score,"), selection[0]
    assert len(selection) == 1 + 5, selection

    # A second job with another seed must not mix its scores into this round's.
    changed = mpirun_salient(mpiexec, 2, salient, [
        "score", "--study", studies[2], "--pool", pool, "--model", "small-cnn", "--input-size", "64",
        "--batch-size", "6", "--threads", "1", "--seed", "8", "--criteria", CRITERIA], check=False)
    assert changed.returncode != 0 and "seed" in changed.stderr and "shard-00000.h5" in changed.stderr, changed.stderr
    print("np1, np2 and np3 give identical score tables (embeddings too), selections and montage")


if __name__ == "__main__":
    main()
