#!/usr/bin/env python3
"""`salient run --strategy ideal-deep` under `mpirun -np 2`, checked with h5py and by hand:
- three rounds (round 0 random, rounds 1 and 2 ideal-deep): round 1 trains the saliency
  autoencoder before scoring, round 2 reuses it; each stores l code columns; its selection starts with the
  K cluster representatives (score -1), which are the representatives levels.json measured;
  the first ideal-deep round fills the clusters in turn (scores >= 1), the second ranks by the
  forest learnt from the first round's levels (scores in [0, K), ascending); levels order the
  clusters by mean dAUC, which is the mean of the per-seed values;
- with ae_every=2, round 2 trains its autoencoder anew and does not use the forest;
- a job killed twice (a rank SIGKILLed while scoring round 1, then while fine-tuning after it)
  and rerun ends with the uninterrupted run's labels, selections, levels and forests, byte for
  byte;
- round 2 (codes and forest fixed) selected again by one process (`salient select`) and by
  three ranks (`salient score --select`) gives the two-rank run's selection.

usage: check_ideal_deep.py SALIENT MPIEXEC WORKDIR
"""
import csv
import filecmp
import json
import os
import sys

import h5py

from check_run_loop import kill_when
from round_support import mpirun_salient, run
from run_support import read_csv, uninterrupted_run

ROUNDS, BUDGET, K, LATENT = 3, 8, 3, 4
PARAMETERS = {"k": K, "latent": LATENT, "map_size": 16, "ae_epochs": 2, "ae_sample": 48, "trees": 5,
              "forest_alpha": 5, "gain_seeds": 2, "gain_epochs": 1, "gain_replay": 6}


def run_arguments(study, pool, extra=()):
    arguments = ["run", "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "32", "--seed", "4",
                 "--strategy", "ideal-deep", "--budget", str(BUDGET), "--rounds", str(ROUNDS), "--epochs", "2",
                 "--train-batch-size", "4", "--learning-rate", "0.001", "--batch-size", "16", "--threads", "1",
                 "--montage-count", "0", "--no-progress",
                 "--set", "training.validation_fraction=0.25", "--set", "training.validation_limit=40"]
    for key, value in PARAMETERS.items():
        arguments += ["--strategy-param", f"{key}={value}"]
    return arguments + list(extra)


def round_file(study, r, name):
    return os.path.join(study, "rounds", f"{r:03d}", name)


def check_rounds(study):
    status = json.load(open(os.path.join(study, "status.json")))
    assert status["state"] == "finished" and status["labels"] == ROUNDS * BUDGET, status
    labels = read_csv(os.path.join(study, "labels.csv"))
    assert len({row["id"] for row in labels}) == ROUNDS * BUDGET
    assert not os.path.exists(round_file(study, 0, "autoencoder.pt")), "round 0 is selected at random"
    assert os.path.getsize(round_file(study, 1, "autoencoder.pt")) > 0
    assert not os.path.exists(round_file(study, 2, "autoencoder.pt")), "trained once (ae_every 0)"
    for r in (1, 2):
        with h5py.File(os.path.join(round_file(study, r, "scores"), "shard-00000.h5"), "r") as table:
            names = sorted(n for n in table["criteria"] if n.startswith("deep_code_"))
            assert names == [f"deep_code_{l}" for l in range(LATENT)], names
        levels = json.load(open(round_file(study, r, "levels.json")))
        clusters = levels["clusters"]
        assert len(clusters) == K and sorted(c["level"] for c in clusters) == list(range(K)), clusters
        for c in clusters:
            assert len(c["delta_auc"]) == PARAMETERS["gain_seeds"], c
            assert abs(sum(c["delta_auc"]) / len(c["delta_auc"]) - c["mean_delta_auc"]) < 1e-12, c
        by_level = sorted(clusters, key=lambda c: c["level"])
        assert all(a["mean_delta_auc"] >= b["mean_delta_auc"] for a, b in zip(by_level, by_level[1:])), by_level
        selection = read_csv(round_file(study, r, "selection.csv"))
        assert len(selection) == BUDGET
        assert [float(row["score"]) for row in selection[:K]] == [-1.0] * K, selection[:K]
        assert [int(row["index"]) for row in selection[:K]] == [c["representative"] for c in clusters]
        rest = [float(row["score"]) for row in selection[K:]]
        if r == 1:  # no forest yet: the clusters in turn, turn + d^2 / (1 + d^2)
            assert not os.path.exists(round_file(study, 1, "forest.cbor"))
            assert all(1.0 <= s < 3.0 for s in rest), rest
        else:  # the forest's level + (1 - probability), ascending
            assert all(0.0 <= s < K for s in rest) and rest == sorted(rest), rest
        assert os.path.getsize(round_file(study, r + 1, "forest.cbor")) > 0
    print(f"{ROUNDS} rounds of ideal-deep on 2 ranks: {len(labels)} labels, levels by dAUC, forest-ranked round 2")


def check_retrained(salient, mpiexec, work, pool):
    """ae_every=2: round 2 trains its autoencoder anew, so the forest learnt on round 1's codes
    is not used (round 2 fills the clusters in turn) and round 3's forest starts over."""
    study = os.path.join(work, "retrained")
    mpirun_salient(mpiexec, 2, salient, run_arguments(study, pool, ["--strategy-param", "ae_every=2"]))
    assert os.path.getsize(round_file(study, 2, "autoencoder.pt")) > 0
    selection = read_csv(round_file(study, 2, "selection.csv"))
    rest = [float(row["score"]) for row in selection[K:]]
    assert all(1.0 <= s < 3.0 for s in rest), rest
    assert os.path.getsize(round_file(study, 3, "forest.cbor")) > 0
    print("ae_every=2: round 2 retrained its autoencoder and did not use the forest of round 1's codes")


def check_kill_and_resume(salient, mpiexec, reference, study, pool):
    scores = round_file(study, 1, "scores")
    kill_when(salient, mpiexec, study, pool,
              lambda: os.path.isdir(scores) and any(n.endswith(".h5") and ".tmp-" not in n for n in os.listdir(scores)),
              "while scoring round 1", arguments=run_arguments(study, pool))
    kill_when(salient, mpiexec, study, pool, lambda: os.path.exists(round_file(study, 2, "training-state.pt")),
              "while fine-tuning after round 1", arguments=run_arguments(study, pool))
    assert not os.path.exists(round_file(study, 2, "metrics.json")), "the kill came too late"
    mpirun_salient(mpiexec, 2, salient, run_arguments(study, pool))
    names = ["labels.csv", "curve.csv"]
    for r in range(ROUNDS):
        names.append(os.path.join("rounds", f"{r:03d}", "selection.csv"))
    for r in (1, 2):
        names += [os.path.join("rounds", f"{r:03d}", "levels.json"), os.path.join("rounds", f"{r + 1:03d}", "forest.cbor")]
    for name in names:
        assert filecmp.cmp(os.path.join(reference, name), os.path.join(study, name), shallow=False), name
    print("the twice-killed ideal-deep run ended with the uninterrupted run's labels, selections, levels and forests")


def check_select_on_ranks(salient, mpiexec, work, study):
    """Round 2 (its tables, codes and forest fixed) selected again, with round 2's labels and
    selection taken out of the study: by `salient select` (one process) and by `mpirun -np 3
    salient score --select`. Run last: it rewrites the study."""
    ran = open(round_file(study, 2, "selection.csv")).read()
    for name in ("selection.csv", "selection.json"):
        os.remove(round_file(study, 2, name))
    with open(os.path.join(study, "labels.csv")) as source:
        rows = list(csv.reader(source))
    column = rows[0].index("round")
    with open(os.path.join(study, "labels.csv"), "w") as kept:
        csv.writer(kept, lineterminator="\n").writerows([rows[0]] + [r for r in rows[1:] if r[column] != "2"])
    out = os.path.join(work, "select-one-process.csv")
    run([salient, "--log-level", "warn", "select", "--study", study, "--round", "2", "--out", out,
         "--montage-count", "0"])
    assert open(out).read() == ran
    mpirun_salient(mpiexec, 3, salient, ["score", "--study", study, "--round", "2", "--model",
                                         round_file(study, 2, "model.pt"), "--select", "--montage-count", "0",
                                         "--no-progress"])
    assert open(round_file(study, 2, "selection.csv")).read() == ran
    print("round 2 selected again by one process and by three ranks: the two-rank run's selection each time")


def main():
    salient, mpiexec, work = sys.argv[1:4]
    pool, reference = uninterrupted_run(salient, mpiexec, work, run_arguments)
    check_rounds(reference)
    check_retrained(salient, mpiexec, work, pool)
    check_kill_and_resume(salient, mpiexec, reference, os.path.join(work, "killed"), pool)
    check_select_on_ranks(salient, mpiexec, work, reference)


if __name__ == "__main__":
    main()
