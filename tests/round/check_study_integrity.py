#!/usr/bin/env python3
"""A study that cannot be corrupted, from the command line (docs/scoring.md, "What salient
guarantees"):
- a budget larger than the pool: the loop labels what remains and ends "pool exhausted",
  with status.json, and a rerun says the same without touching anything;
- one job per study: while a job holds the study (here frozen with SIGSTOP), another one,
  under mpirun or not, is refused at once naming the holder's PID; once the holder is
  killed, the next job runs;
- `salient select` on a round that has labels is refused; --out writes elsewhere, and
  --force replaces the selection and sets the labels it leaves out aside;
- `salient synth` refuses an existing pool; killed mid-write it leaves no pool, and the
  next synth removes its staging folder and says so;
- a pool with a label of 7, an empty id, an id twice in a shard, or a manifest whose total
  disagrees with its shards is refused when opened, naming file, dataset and index, and
  nothing reaches labels.csv;
- settings out of their range are refused before anything is written;
- out of memory (an address-space limit of 3 GB): scoring names the stage, the batch and
  what to change, and so does any other command, without LibTorch's stack trace;
- a study knows its pool by fingerprint: another pool at the same path is refused by
  score, select and run, naming both; the same pool moved resumes with --pool NEW;
- a shard changed after the pool was written (one pixel, one mask byte, a label 0 → 1, an
  id renamed) is caught by the manifest's CRC-32s as scoring reads it, on one rank and when
  two ranks each read part of the shard: the job stops naming file and dataset and writes no
  row of that shard, or under --on-bad-image=skip leaves the shard out and lists it; the
  repaired pool resumes. Masks are checked only by jobs that read them.

usage: check_study_integrity.py SALIENT MPIEXEC WORKDIR
"""
import fcntl
import json
import os
import re
import resource

import h5py
import shutil
import signal
import subprocess
import sys
import time

from round_support import mpirun_salient, run, synth_pool
from run_support import pool_records, read_csv


def status(study):
    return json.load(open(os.path.join(study, "status.json")))


def run_arguments(study, pool, budget, rounds):
    return ["--log-level", "warn", "run", "--study", study, "--pool", pool, "--model", "small-cnn",
            "--input-size", "32", "--strategy", "random", "--budget", str(budget), "--rounds", str(rounds),
            "--epochs", "1", "--threads", "1", "--no-progress"]


def check_exhausted_pool(salient, work, pool):
    _, records = pool_records(pool)
    study = os.path.join(work, "exhausted")
    first = run([salient, *run_arguments(study, pool, budget=50, rounds=6)])
    validation = {row["id"] for row in read_csv(os.path.join(study, "validation.csv"))}
    labels = read_csv(os.path.join(study, "labels.csv"))
    labeled = {row["id"] for row in labels}
    assert labeled | validation == set(records) and not labeled & validation, "every image labeled or held out"
    # 120 images, 18 held out: rounds of 50, 50 and the 2 that remain, then nothing to select.
    assert [sum(1 for row in labels if row["round"] == str(r)) for r in range(3)] == [50, 50, 2], labels
    state = status(study)
    assert state["state"] == "finished" and state["reason"].startswith("pool exhausted"), state
    assert state["round"] == 3 and state["labels"] == 102, state
    assert "pool exhausted" in first.stdout, first.stdout
    assert sorted(os.listdir(os.path.join(study, "rounds"))) == ["000", "001", "002", "003"]
    assert not os.path.exists(os.path.join(study, "rounds", "003", "selection.csv")), "round 3 selects nothing"

    before = {name: open(os.path.join(study, name), "rb").read() for name in ("labels.csv", "curve.csv")}
    again = run([salient, *run_arguments(study, pool, budget=50, rounds=6)])
    assert "finished: pool exhausted" in again.stdout, again.stdout
    assert all(open(os.path.join(study, name), "rb").read() == data for name, data in before.items())
    assert status(study) == state
    print("a budget past the pool ends the loop 'pool exhausted' after the last 2 images; a rerun says so")


def score_arguments(study, pool):
    return ["score", "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "32",
            "--threads", "1", "--criteria", "prediction", "--no-progress"]


def frozen_holder(salient, study, pool):
    """A scoring job on @p study frozen by SIGSTOP while it holds the study's lock, or None
    when it finished first (on a loaded machine scoring 120 small images can outrun us)."""
    lock = os.path.join(study, ".salient.lock")
    holder = subprocess.Popen([salient, "--log-level", "warn", *score_arguments(study, pool)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not (os.path.exists(lock) and f"PID {holder.pid}," in open(lock).read()):
        assert time.time() < deadline, "the job never held its study"
        if holder.poll() is not None:
            return None
        time.sleep(0.01)
    os.kill(holder.pid, signal.SIGSTOP)
    for _ in range(500):  # the signal is delivered asynchronously: wait for the stop (or the exit)
        with open(f"/proc/{holder.pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
        if state in ("T", "Z"):
            break
        time.sleep(0.01)
    with open(lock) as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = False  # stopped on its way out, after the kernel released its lock
        except BlockingIOError:
            held = True
    if state != "T" or not held:  # it had exited (a zombie), or was exiting, before the signal
        holder.kill()
        holder.wait()
        return None
    return holder


def check_one_job_per_study(salient, mpiexec, work, pool):
    for attempt in range(5):
        study = os.path.join(work, f"locked-{attempt}")
        holder = frozen_holder(salient, study, pool)
        if holder is not None:
            break
    assert holder is not None, "five scoring jobs finished before they could be frozen"
    try:
        for refused in (mpirun_salient(mpiexec, 2, salient, score_arguments(study, pool), check=False),
                        run([salient, "select", "--study", study, "--strategy", "random", "--budget", "2"],
                            check=False)):
            message = refused.stdout + refused.stderr
            assert refused.returncode != 0, message
            assert f"is in use by `salient score` on host" in message and f"PID {holder.pid}," in message, message
    finally:
        holder.kill()  # SIGKILL ends a stopped process too
        holder.wait()
    after = mpirun_salient(mpiexec, 2, salient, score_arguments(study, pool))
    assert after.returncode == 0
    print(f"a second job on a study held by PID {holder.pid} is refused naming it; after a SIGKILL the next job runs")


def check_select_on_labeled_round(salient, work, pool):
    study = os.path.join(work, "labeled")
    run([salient, *run_arguments(study, pool, budget=50, rounds=1)])  # round 0 selects 50, all labeled
    selection = os.path.join(study, "rounds", "000", "selection.csv")
    before = open(selection, "rb").read()
    arguments = [salient, "select", "--study", study, "--round", "0", "--strategy", "random", "--budget", "5"]
    refused = run(arguments, check=False)
    assert refused.returncode != 0 and "has 50 labels from its selection" in refused.stderr, refused.stderr
    assert open(selection, "rb").read() == before, "a refused select leaves the selection"
    other = os.path.join(work, "other-selection.csv")
    run([*arguments, "--out", other])
    assert len(read_csv(other)) == 5 and open(selection, "rb").read() == before

    labels_before = read_csv(os.path.join(study, "labels.csv"))
    forced = run([*arguments, "--force"])
    chosen = {row["id"] for row in read_csv(selection)}
    round0 = {row["id"] for row in labels_before if row["round"] == "0"}
    assert len(chosen) == 5 and chosen <= round0, "the round's labeled images are candidates again"
    kept = read_csv(os.path.join(study, "labels.csv"))
    aside = read_csv(os.path.join(study, "rounds", "000", "labels-set-aside.csv"))
    assert {row["id"] for row in aside} == round0 - chosen and len(aside) == 45, aside
    assert {row["id"] for row in kept} == {row["id"] for row in labels_before} - (round0 - chosen)
    assert "45 labels of round 0" in forced.stdout + forced.stderr, forced.stdout + forced.stderr
    print("select on a labeled round is refused; --out writes elsewhere; --force sets 45 labels aside")


def check_synth_builds_like_pack(salient, work, pool):
    shards = sorted(name for name in os.listdir(pool) if name.endswith(".h5"))
    before = {name: open(os.path.join(pool, name), "rb").read() for name in shards}
    refused = run([salient, "synth", "--count", "10", "--size", "64", "--seed", "9", "--out", pool], check=False)
    assert refused.returncode != 0 and "already exists and is not an empty folder" in refused.stderr, refused.stderr
    assert all(open(os.path.join(pool, name), "rb").read() == data for name, data in before.items())

    out = os.path.join(work, "killed-synth")
    job = subprocess.Popen([salient, "synth", "--count", "4000", "--size", "256", "--shard-size", "64",
                            "--seed", "9", "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = f"{out}.tmp-{job.pid}"
    deadline = time.time() + 60
    while not (os.path.isdir(staging) and any(n.endswith(".h5") for n in os.listdir(staging))):
        assert job.poll() is None and time.time() < deadline, "synth ended before it wrote a shard"
        time.sleep(0.01)
    job.kill()
    job.wait()
    assert not os.path.exists(out), "a killed synth must leave no pool where the pool goes"
    assert run([salient, "inspect", out], check=False).returncode != 0
    again = run([salient, "synth", "--count", "20", "--size", "64", "--seed", "9", "--out", out])
    assert f"removed '{staging}'" in again.stdout + again.stderr, again.stdout + again.stderr
    assert not os.path.exists(staging)
    run([salient, "inspect", out, "--verify"])
    print("synth refuses an existing pool; a killed synth leaves none, and the next one removes its staging folder")


def check_bad_pools(salient, work, pool):
    def poisoned(name, change):
        copy = os.path.join(work, name)
        shutil.copytree(pool, copy)
        change(copy)
        study = os.path.join(work, f"study-{name}")
        failed = run([salient, *run_arguments(study, copy, budget=10, rounds=1)], check=False)
        assert failed.returncode != 0, f"{name}: accepted"
        assert not os.path.exists(os.path.join(study, "labels.csv")), f"{name}: reached labels.csv"
        return failed.stderr

    def set_label(copy):
        with h5py.File(os.path.join(copy, "shard-00001.h5"), "r+") as shard:
            shard["labels"][5, 2] = 7
    message = poisoned("label-7", set_label)
    assert "shard-00001.h5', dataset 'labels' index 5, column 2" in message and "label 7" in message, message

    def set_id(row, value):
        def change(copy):
            with h5py.File(os.path.join(copy, "shard-00000.h5"), "r+") as shard:
                ids = shard["ids"][:]
                ids[row] = value
                shard["ids"][:] = ids
        return change
    message = poisoned("empty-id", set_id(3, b""))
    assert "shard-00000.h5', dataset 'ids' index 3: the id is empty" in message, message
    message = poisoned("repeated-id", set_id(9, b"synth-00000002"))
    assert "dataset 'ids' index 9: id 'synth-00000002' repeats index 2" in message, message

    def set_total(copy):
        manifest = json.load(open(os.path.join(copy, "pool.json")))
        manifest["total"] = 121
        json.dump(manifest, open(os.path.join(copy, "pool.json"), "w"))
    message = poisoned("total", set_total)
    assert "total is 121, but its shards hold 120 images" in message, message
    print("a label of 7, an empty or repeated id and a wrong total are refused by name; labels.csv untouched")


def check_bad_settings(salient, work, pool):
    study = os.path.join(work, "bad-settings")
    for option, key in ((["--target-auc", "2"], "run.target_auc"),
                        (["--set", "scoring.alignment.dice_threshold=-3"], "scoring.alignment.dice_threshold"),
                        (["--learning-rate", "-1"], "training.learning_rate"),
                        (["--set", "training.validation_fraction=0"], "training.validation_fraction"),
                        (["--set", "model.input_size=7"], "model.input_size")):
        failed = run([salient, *run_arguments(study, pool, budget=10, rounds=1), *option], check=False)
        assert failed.returncode != 0 and f"key '{key}'" in failed.stderr, failed.stderr
        assert not os.path.exists(study), f"{option}: wrote {study}"
    failed = run([salient, "synth", "--count", "0", "--out", os.path.join(work, "none")], check=False)
    assert failed.returncode != 0 and "--count: must be positive, got 0" in failed.stderr, failed.stderr
    print("settings out of range are refused by key before anything is written")


def check_out_of_memory(salient, work):
    pool = synth_pool(salient, work, count=20, shard_size=20, seed=4, name="small-pool")
    limit = 3 * 1024 ** 3

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def failed(arguments):
        result = subprocess.run([salient, "--log-level", "warn", *arguments], capture_output=True, text=True,
                                preexec_fn=limited)
        assert result.returncode == 1, result.stderr[-2000:]
        assert "frame #" not in result.stderr, "no LibTorch stack trace"
        return result.stderr
    message = failed(["score", "--study", os.path.join(work, "oom-score"), "--pool", pool, "--model", "small-cnn",
                      "--input-size", "1024", "--batch-size", "20", "--threads", "1", "--criteria", "prediction",
                      "--no-progress"])
    assert re.search(r"out of memory in the (input|saliency|model) stage of scoring a batch of 20 images at "
                     r"1024×1024 on cpu", message), message
    assert "lower --batch-size (scoring.batch_size, now 20)" in message, message
    message = failed(["run", "--study", os.path.join(work, "oom-run"), "--pool", pool, "--model", "small-cnn",
                      "--input-size", "1024", "--batch-size", "1", "--train-batch-size", "64", "--strategy", "random",
                      "--budget", "16", "--rounds", "1", "--epochs", "1", "--threads", "1", "--no-progress"])
    assert "out of memory: lower the batch sizes (--batch-size, --train-batch-size)" in message, message
    print("out of memory names the stage, the batch and what to change, without a stack trace")


def check_pool_identity(salient, work):
    pool = synth_pool(salient, work, count=40, shard_size=16, seed=21, name="identity-pool")
    study = os.path.join(work, "identity")
    scores = os.path.join(study, "rounds", "000", "scores")
    run([salient, *score_arguments(study, pool)])
    tables = {name: open(os.path.join(scores, name), "rb").read() for name in sorted(os.listdir(scores))}
    recorded = open(os.path.join(study, "salient.toml")).read()
    assert 'fingerprint = "' in recorded, recorded

    # The same pool moved: a round missing a table resumes with --pool NEW_PATH.
    moved = pool + "-moved"
    os.rename(pool, moved)
    os.remove(os.path.join(scores, "shard-00001.h5"))
    resumed = run([salient, *score_arguments(study, moved)])
    assert "2 of 3 shards already scored" in resumed.stdout + resumed.stderr, resumed.stdout + resumed.stderr
    assert {name: open(os.path.join(scores, name), "rb").read() for name in tables} == tables

    # Another pool where the study's pool was: refused by every command, naming both.
    os.rename(moved, pool)
    shutil.rmtree(pool)
    synth_pool(salient, work, count=40, shard_size=16, seed=22, name="identity-pool")
    for command in (score_arguments(study, pool),
                    ["select", "--study", study, "--strategy", "random", "--budget", "2", "--set", f"pool.pool={pool}"],
                    run_arguments(study, pool, budget=2, rounds=1)[2:]):
        refused = run([salient, *command], check=False)
        message = refused.stdout + refused.stderr
        assert refused.returncode != 0 and "is not the pool this study was made with" in message, message
        assert message.count("fingerprint") >= 2, message
    assert {name: open(os.path.join(scores, name), "rb").read() for name in tables} == tables
    print("another pool at the study's path is refused by score, select and run; the moved pool resumes")


def check_damaged_shards(salient, mpiexec, work):
    # 40 images in shards of 16, 16 and 8, batches of 4: on 2 ranks rank 0 reads rows 0-19 and
    # rank 1 rows 20-39, so shard 1 is read in two parts and checked by rank 0 from both CRCs.
    pool = synth_pool(salient, work, count=40, shard_size=16, seed=31, name="damaged-pool")
    shard_1 = os.path.join(pool, "shard-00001.h5")
    scored = []

    def score(ranks, *extra, check=False, criteria="prediction"):
        study = os.path.join(work, f"damaged-{len(scored)}")
        arguments = [*score_arguments(study, pool), "--batch-size", "4", *extra]
        arguments[arguments.index("--criteria") + 1] = criteria
        result = (mpirun_salient(mpiexec, ranks, salient, arguments, check=check) if ranks > 1 else
                  run([salient, "--log-level", "warn", *arguments], check=check))
        scored.append(study)
        return study, result, result.stdout + result.stderr

    def tables(study):
        return sorted(os.listdir(os.path.join(study, "rounds", "000", "scores")))

    def flip(path, dataset, index):
        with h5py.File(path, "r+") as shard:
            value = shard[dataset][index]
            shard[dataset][index] = value ^ 1 if dataset != "labels" else 1 - value
            return value

    original = flip(shard_1, "images", (9, 30, 30))
    for ranks in (1, 2):
        study, result, message = score(ranks)
        assert result.returncode != 0, message
        assert "shard-00001.h5', dataset 'images': CRC-32" in message and "differs from the manifest's" in message, message
        assert "shard-00001.h5" not in tables(study), tables(study)
        assert not any(name.startswith("part-00001") for name in tables(study)), tables(study)
    assert "shard-00000.h5" in tables(study), tables(study)

    for ranks in (1, 2):
        study, _, message = score(ranks, "--on-bad-image", "skip", check=True)
        assert tables(study) == ["shard-00000.h5", "shard-00002.h5"], tables(study)
        report = json.load(open(os.path.join(study, "rounds", "000", "score-report.json")))
        assert [bad["shard"] for bad in report["unreadable_shards"]] == [1], report["unreadable_shards"]
        assert "dataset 'images': CRC-32" in report["unreadable_shards"][0]["message"], report["unreadable_shards"]
        assert "skipped unreadable shard 1" in message, message

    # Repaired, the failed 2-rank study resumes: shard 0 and 2 are kept, shard 1 is scored.
    with h5py.File(shard_1, "r+") as shard:
        shard["images"][9, 30, 30] = original
    mpirun_salient(mpiexec, 2, salient, [*score_arguments(scored[1], pool), "--batch-size", "4"])
    report = json.load(open(os.path.join(scored[1], "rounds", "000", "score-report.json")))
    assert report["shards_already_scored"] == 2 and report["parts_merged"] == 1, report
    assert tables(scored[1]) == ["shard-00000.h5", "shard-00001.h5", "shard-00002.h5"], tables(scored[1])

    # Labels and ids are checked whenever a shard is opened, with values that are valid.
    for dataset, row, value in (("labels", 3, [1, 1, 1, 1]), ("ids", 3, b"renamed-after-writing")):
        with h5py.File(os.path.join(pool, "shard-00002.h5"), "r+") as shard:
            before = shard[dataset][:]
            changed = before.copy()
            changed[row] = value
            assert (changed != before).any()
            shard[dataset][:] = changed
        _, result, message = score(1)
        assert result.returncode != 0 and f"shard-00002.h5', dataset '{dataset}': CRC-32" in message, message
        with h5py.File(os.path.join(pool, "shard-00002.h5"), "r+") as shard:
            shard[dataset][:] = before

    # A mask byte: caught by a job that reads masks (alignment), not by one that does not.
    flip(shard_1, "roi", (12, 10, 10))
    _, result, message = score(2, criteria="prediction,alignment")
    assert result.returncode != 0 and "shard-00001.h5', dataset 'roi': CRC-32" in message, message
    score(2, check=True)
    verify = run([salient, "inspect", pool, "--verify"], check=False)
    assert verify.returncode != 0 and "dataset 'roi': CRC-32" in verify.stdout + verify.stderr, verify.stdout
    print("a pixel, a mask byte, a label and an id changed after writing are caught by CRC on 1 and 2 ranks; "
          "skip leaves the shard out; the repaired pool resumes")


def main():
    salient, mpiexec, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=120, shard_size=64, seed=3)
    check_exhausted_pool(salient, work, pool)
    check_one_job_per_study(salient, mpiexec, work, pool)
    check_select_on_labeled_round(salient, work, pool)
    check_synth_builds_like_pack(salient, work, pool)
    check_bad_pools(salient, work, pool)
    check_bad_settings(salient, work, pool)
    check_pool_identity(salient, work)
    check_damaged_shards(salient, mpiexec, work)
    check_out_of_memory(salient, work)


if __name__ == "__main__":
    main()
