#!/usr/bin/env python3
"""Faults of `salient score` under mpirun:
- a rank killed with SIGKILL mid-run: the files left are whole (temporaries aside), and
  rerunning the job completes the round with tables identical, byte for byte, to those of
  an uninterrupted run;
- an unreadable shard: the job fails naming its file, or with --on-bad-image=skip skips it,
  reports it in score-report.json, and `salient select` chooses among the other images.

usage: check_score_resume.py SALIENT MPIEXEC WORKDIR
"""
import filecmp
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import h5py

from round_support import mpirun_command, mpirun_salient, synth_pool

SHARDS = 8


def score_arguments(study, pool, extra=()):
    return ["score", "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "64",
            "--batch-size", "6", "--threads", "1", "--seed", "3",
            "--criteria", "prediction,mc_dropout,firstorder,glcm,shape2D", *extra]


def scores_dir(study):
    return os.path.join(study, "rounds", "000", "scores")


def complete_tables(study):
    directory = scores_dir(study)
    if not os.path.isdir(directory):
        return []
    return sorted(n for n in os.listdir(directory) if n.startswith("shard-") and n.endswith(".h5") and len(n) == 14)


def rank_processes(study):
    """PIDs of the salient processes of the job scoring @study."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            arguments = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if arguments and os.path.basename(arguments[0]) == b"salient" and study.encode() in arguments:
            pids.append(int(entry))
    return pids


def kill_one_rank_mid_run(salient, mpiexec, study, pool):
    job = subprocess.Popen(mpirun_command(mpiexec, 2, salient, score_arguments(study, pool)),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not complete_tables(study):
        assert job.poll() is None, f"the job ended before any table was written:\n{job.communicate()[1]}"
        assert time.time() < deadline, "no score table after 120 s"
        time.sleep(0.05)
    victims = rank_processes(study)
    assert victims, "no rank process found"
    os.kill(max(victims), signal.SIGKILL)
    _, stderr = job.communicate(timeout=120)
    assert job.returncode != 0, "mpirun must report the killed rank"
    done = complete_tables(study)
    assert len(done) < SHARDS, f"the kill came too late to test anything: {done}"
    # Whatever is visible is whole: every table but AtomicOutput's temporaries opens and is full.
    for name in os.listdir(scores_dir(study)):
        if ".tmp-" in name:
            continue
        with h5py.File(os.path.join(scores_dir(study), name), "r") as table:
            assert len(table["index"]) == len(table["criteria/entropy"]) > 0, name
    return len(done)


def check_kill_and_resume(salient, mpiexec, work, pool):
    reference = os.path.join(work, "uninterrupted")
    mpirun_salient(mpiexec, 2, salient, score_arguments(reference, pool))
    study = os.path.join(work, "killed")
    done = kill_one_rank_mid_run(salient, mpiexec, study, pool)
    # A writer killed mid-table leaves its temporary file; the rerun must clear every one
    # (this one is planted, so that the check does not depend on where the kill landed).
    open(os.path.join(scores_dir(study), "shard-00001.h5.tmp-99999"), "w").write("half a table")
    mpirun_salient(mpiexec, 2, salient, score_arguments(study, pool))
    report = json.load(open(os.path.join(study, "rounds", "000", "score-report.json")))
    assert report["shards_already_scored"] == done, (report["shards_already_scored"], done)
    names = sorted(os.listdir(scores_dir(study)))
    assert names == complete_tables(reference), f"left over after the rerun: {names}"
    for name in names:
        assert filecmp.cmp(os.path.join(scores_dir(reference), name), os.path.join(scores_dir(study), name),
                           shallow=False), f"{name} differs after the resume"
    print(f"killed a rank after {done} of {SHARDS} tables; the rerun completed the round identically")


def check_unreadable_shard(salient, mpiexec, work, pool):
    broken = os.path.join(work, "broken-pool")
    shutil.copytree(pool, broken)
    bad = os.path.join(broken, sorted(n for n in os.listdir(broken) if n.endswith(".h5"))[2])
    with open(bad, "r+b") as shard:
        shard.truncate(2048)

    failed = mpirun_salient(mpiexec, 2, salient, score_arguments(os.path.join(work, "fail"), broken), check=False)
    assert failed.returncode != 0 and os.path.basename(bad) in failed.stderr, failed.stderr

    study = os.path.join(work, "skip")
    mpirun_salient(mpiexec, 2, salient, score_arguments(study, broken, [
        "--on-bad-image", "skip", "--strategy", "entropy", "--budget", "4", "--select"]))
    report = json.load(open(os.path.join(study, "rounds", "000", "score-report.json")))
    assert [bad["shard"] for bad in report["unreadable_shards"]] == [2], report["unreadable_shards"]
    assert complete_tables(study) == [f"shard-{s:05d}.h5" for s in range(SHARDS) if s != 2]
    lines = open(os.path.join(study, "rounds", "000", "selection.csv")).read().splitlines()[1:]
    shards = {int(line.split(",")[3]) for line in lines}
    assert len(lines) == 4 and 2 not in shards, lines
    print(f"an unreadable shard fails the job naming {os.path.basename(bad)}, or is skipped and reported")


def main():
    salient, mpiexec, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=SHARDS * 16, shard_size=16, seed=11)
    check_kill_and_resume(salient, mpiexec, work, pool)
    check_unreadable_shard(salient, mpiexec, work, pool)


if __name__ == "__main__":
    main()
