#!/usr/bin/env python3
"""`mpirun -np 2 salient score --select` for every strategy on a synthetic pool: each round
(one per strategy) ends with its score tables, selection.csv, selection.json and the montage.

usage: check_every_strategy.py SALIENT MPIEXEC WORKDIR
"""
import csv
import json
import os
import shutil
import sys

from round_support import mpirun_salient, synth_pool

STRATEGIES = {
    "random": [], "entropy": [], "margin": [], "least-confidence": [], "mc-variance": [], "bald": [],
    "ideal-kurtosis": [], "ideal-firstorder": [], "ideal-glcm": [], "ideal-shape": [], "eg-al": [],
    "acft": [], "hitl-entropy": [], "borda": ["--strategy-param", "criteria=entropy,ideal_Kurtosis"], "coreset": [],
    "diverse:eg-al": [], "badge": [], "cluster-margin": ["--strategy-param", "clusters=4"],
}
BUDGET = 3


def main():
    salient, mpiexec, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=20, shard_size=8, seed=4)
    study = os.path.join(work, "study")
    for number, (strategy, extra) in enumerate(STRATEGIES.items()):
        mpirun_salient(mpiexec, 2, salient, [
            "score", "--study", study, "--round", str(number), "--pool", pool, "--model", "small-cnn",
            "--input-size", "64", "--batch-size", "4", "--mc-samples", "4", "--acft-views", "4", "--no-progress",
            "--strategy", strategy, "--budget", str(BUDGET), "--montage-count", "4", "--select", *extra])
        round_dir = os.path.join(study, "rounds", f"{number:03d}")
        tables = sorted(os.listdir(os.path.join(round_dir, "scores")))
        assert tables == ["shard-00000.h5", "shard-00001.h5", "shard-00002.h5"], (strategy, tables)
        with open(os.path.join(round_dir, "selection.csv")) as table:
            rows = list(csv.DictReader(table))
        assert [int(row["rank"]) for row in rows] == list(range(1, BUDGET + 1)), (strategy, rows)
        assert len({row["id"] for row in rows}) == BUDGET, (strategy, rows)
        summary = json.load(open(os.path.join(round_dir, "selection.json")))
        assert summary["strategy"] == strategy and summary["candidates"] == 20, summary
        with open(os.path.join(round_dir, "selection-montage.png"), "rb") as montage:
            assert montage.read(8) == b"\x89PNG\r\n\x1a\n", strategy
        print(f"{strategy}: {', '.join(row['id'] for row in rows)} by {summary['score']}")


if __name__ == "__main__":
    main()
