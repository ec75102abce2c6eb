#!/usr/bin/env python3
"""`salient run` in simulation under `mpirun -np 2`, checked with h5py and by hand:
- three rounds of score, select, oracle labels, fine-tune, evaluate: every label is the
  pool's own, none repeats, none is in the patient-level validation split; one curve point
  per round, whose ALC is recomputed here; the replicas' checksums held (the job would fail);
- a job killed twice (a rank SIGKILLed while fine-tuning, then while scoring) and rerun ends
  with the labels, metrics and curve of the uninterrupted run, byte for byte;
- `salient compare` of the two finds identical selections.

usage: check_run_loop.py SALIENT MPIEXEC WORKDIR
"""
import filecmp
import json
import os
import signal
import subprocess
import sys
import time

from round_support import mpirun_command, mpirun_salient, run
from run_support import is_png, pool_records, read_csv, trapezoid_alc, uninterrupted_run

ROUNDS, BUDGET = 3, 8


def run_arguments(study, pool):
    return ["run", "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "32", "--seed", "4",
            "--strategy", "entropy", "--budget", str(BUDGET), "--rounds", str(ROUNDS), "--epochs", "4",
            "--train-batch-size", "4", "--learning-rate", "0.001", "--batch-size", "16", "--threads", "1",
            "--montage-count", "4", "--no-progress",
            "--set", "training.validation_fraction=0.25", "--set", "training.validation_limit=40"]


def check_simulation(study, pool):
    status = json.load(open(os.path.join(study, "status.json")))
    assert status["state"] == "finished" and status["labels"] == ROUNDS * BUDGET, status
    label_names, records = pool_records(pool)
    labels = read_csv(os.path.join(study, "labels.csv"))
    validation = read_csv(os.path.join(study, "validation.csv"))
    held_out = {row["id"] for row in validation}
    assert len(labels) == ROUNDS * BUDGET and len({row["id"] for row in labels}) == len(labels)
    for row in labels:
        assert row["source"] == "oracle" and row["id"] not in held_out, row
        assert tuple(int(row[name]) for name in label_names) == records[row["id"]][1], row
    assert sorted(int(row["round"]) for row in labels) == sorted(list(range(ROUNDS)) * BUDGET)
    # The split holds out whole patients: every image of a held-out patient is held out.
    held_patients = {records[image][2] for image in held_out}
    assert held_out and held_out == {i for i, r in records.items() if r[2] in held_patients}
    for row in validation:
        assert int(row["index"]) == records[row["id"]][0], row
    curve = read_csv(os.path.join(study, "curve.csv"))
    assert [int(row["labels"]) for row in curve] == [BUDGET * r for r in range(ROUNDS + 1)], curve
    assert all(0.0 <= float(row["mean_auc"]) <= 1.0 for row in curve)
    assert all(int(row["validation_images"]) == len(validation) for row in curve)
    points = [(int(row["labels"]), float(row["mean_auc"])) for row in curve]
    assert abs(trapezoid_alc(points) - status["alc"]) < 1e-5, (points, status["alc"])
    assert is_png(os.path.join(study, "curve.png"))
    for r in range(1, ROUNDS + 1):
        training = json.load(open(os.path.join(study, "rounds", f"{r:03d}", "training.json")))
        assert training["ranks"] == 2 and training["backend"] == "mpi", training
        assert training["new_images"] == BUDGET and len(training["epochs"]) == 4, training
        assert os.path.exists(os.path.join(study, "rounds", f"{r:03d}", "model.pt"))
        assert not os.path.exists(os.path.join(study, "rounds", f"{r:03d}", "training-state.pt"))
    print(f"{ROUNDS} rounds on 2 ranks: {len(labels)} oracle labels, {len(validation)} held out, "
          f"mean AUC {points[0][1]:.3f} -> {points[-1][1]:.3f}, ALC {status['alc']:.4f}")


def rank_processes(study):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                arguments = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            except OSError:
                continue
            if arguments and os.path.basename(arguments[0]) == b"salient" and study.encode() in arguments:
                pids.append(int(entry))
    return pids


def kill_when(salient, mpiexec, study, pool, ready, what, arguments=None):
    """Starts the job (run_arguments unless @p arguments), SIGKILLs one rank once ready()
    holds, and waits for mpirun to fail."""
    arguments = arguments or run_arguments(study, pool)
    job = subprocess.Popen(mpirun_command(mpiexec, 2, salient, arguments),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 200
    while not ready():
        assert job.poll() is None, f"the job ended before {what}:\n{job.communicate()[1]}"
        assert time.time() < deadline, f"no {what} after 200 s"
        time.sleep(0.002)
    os.kill(max(rank_processes(study)), signal.SIGKILL)
    job.communicate(timeout=120)
    assert job.returncode != 0, "mpirun must report the killed rank"
    print(f"killed a rank {what}")


def check_kill_and_resume(salient, mpiexec, reference, study, pool):
    round1 = os.path.join(study, "rounds", "001")
    kill_when(salient, mpiexec, study, pool, lambda: os.path.exists(os.path.join(round1, "training-state.pt")),
              "while fine-tuning after round 0")
    assert not os.path.exists(os.path.join(round1, "metrics.json")), "the kill came too late"
    scores = os.path.join(round1, "scores")
    kill_when(salient, mpiexec, study, pool,
              lambda: os.path.isdir(scores) and any(n.endswith(".h5") and ".tmp-" not in n for n in os.listdir(scores)),
              "while scoring round 1")
    mpirun_salient(mpiexec, 2, salient, run_arguments(study, pool))
    for name in ["labels.csv", "validation.csv", "curve.csv"] + [
            os.path.join("rounds", f"{r:03d}", "selection.csv") for r in range(ROUNDS)]:
        assert filecmp.cmp(os.path.join(reference, name), os.path.join(study, name), shallow=False), name
    for r in range(ROUNDS + 1):
        a = json.load(open(os.path.join(reference, "rounds", f"{r:03d}", "metrics.json")))
        b = json.load(open(os.path.join(study, "rounds", f"{r:03d}", "metrics.json")))
        assert a["validation"] == b["validation"] and a["labels"] == b["labels"], (r, a, b)
    print("the twice-killed run ended with the uninterrupted run's labels, selections, metrics and curve")


def check_compare(salient, work, reference, study):
    out = os.path.join(work, "compare.png")
    result = run([salient, "compare", reference, study, "--target-auc", "0.5", "--out", out])
    assert "nDCG 1.0000, selection overlap 1.0000, label overlap 1.0000" in result.stdout, result.stdout
    assert is_png(out)
    print("compare: identical runs have nDCG 1 and full overlap")


def main():
    salient, mpiexec, work = sys.argv[1:4]
    pool, reference = uninterrupted_run(salient, mpiexec, work, run_arguments)
    check_simulation(reference, pool)
    killed = os.path.join(work, "killed")
    check_kill_and_resume(salient, mpiexec, reference, killed, pool)
    check_compare(salient, work, reference, killed)


if __name__ == "__main__":
    main()
