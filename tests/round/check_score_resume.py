#!/usr/bin/env python3
"""Faults of `salient score` under mpirun:
- a rank killed with SIGKILL mid-run: the files left are whole (temporaries aside), and
  rerunning the job completes the round with tables identical, byte for byte, to those of
  an uninterrupted run (embeddings and probabilities included);
- parts of a one-shard pool left by a killed 2-rank run with another seed: a 3-rank rerun
  removes them, says so, and writes the table a clean run writes, byte for byte;
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


def score_arguments(study, pool, extra=(), seed=3):
    return ["score", "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "64",
            "--batch-size", "6", "--threads", "1", "--seed", str(seed),
            "--criteria", "prediction,mc_dropout,firstorder,glcm,shape2D", "--embeddings", "fp16", *extra]


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


def split_into_parts(table_path, cuts):
    """The table at @table_path as the part files a job killed before its merge leaves, one
    per row range [cuts[k], cuts[k + 1]); the table itself is removed."""
    directory, name = os.path.split(table_path)
    for first, end in zip(cuts, cuts[1:]):
        part = os.path.join(directory, name.replace(".h5", f".rows-{first:06d}-{end:06d}.h5"))
        with h5py.File(table_path, "r") as table, h5py.File(part, "w") as out:
            for key, value in table.attrs.items():
                out.attrs[key] = value
            out.create_dataset("reason_names", data=table["reason_names"][:], dtype=table["reason_names"].dtype)
            for dataset in ["index", "ids"] + [f"{group}/{criterion}" for group in ("criteria", "reasons")
                                               for criterion in table["criteria"]]:
                out.create_dataset(dataset, data=table[dataset][first:end], dtype=table[dataset].dtype)
    os.remove(table_path)


def check_stale_parts(salient, mpiexec, work):
    pool = synth_pool(salient, work, count=24, shard_size=32, seed=13, name="one-shard-pool")
    clean = os.path.join(work, "clean-seed-4")
    mpirun_salient(mpiexec, 1, salient, score_arguments(clean, pool, seed=4))
    study = os.path.join(work, "stale-parts")
    mpirun_salient(mpiexec, 2, salient, score_arguments(study, pool, seed=3))
    # A 2-rank job cuts the 4 batches of 6 at row 12.
    split_into_parts(os.path.join(scores_dir(study), "shard-00000.h5"), [0, 12, 24])
    rerun = mpirun_salient(mpiexec, 3, salient, score_arguments(study, pool, seed=4))
    log = rerun.stdout + rerun.stderr
    assert all(f"removed {scores_dir(study)}/shard-00000.rows-{rows}.h5" in log
               for rows in ("000000-000012", "000012-000024")) and "seed" in log, \
        f"the rerun must say which stale parts it removed and why:\n{log}"
    assert sorted(os.listdir(scores_dir(study))) == ["shard-00000.h5"], os.listdir(scores_dir(study))
    assert filecmp.cmp(os.path.join(scores_dir(clean), "shard-00000.h5"),
                       os.path.join(scores_dir(study), "shard-00000.h5"), shallow=False), \
        "the rerun's table differs from a clean seed-4 run's: stale parts were merged"
    print("parts of a killed seed-3 run were removed by a seed-4 rerun, whose table equals a clean run's")


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
    check_stale_parts(salient, mpiexec, work)
    check_unreadable_shard(salient, mpiexec, work, pool)


if __name__ == "__main__":
    main()
