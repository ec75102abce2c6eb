#!/usr/bin/env python3
"""`salient run` on a study whose disk fills up: on a 4 MiB tmpfs mounted for the test, a
filler file leaves from 8 KiB to 1.6 MiB free, so that the disk fills while writing a
different file each time (the initial model, configurations, score tables, selections,
montages, training state, checkpoints, curves). Every run must stop with exit status 1 and
an error that names the file and "No space left on device" (not an abort, exit 134, or a
crash at exit, 139); every file the study then holds must be whole; and with the filler
removed, the same command must resume and finish.

usage: check_full_disk.py SALIENT WORKDIR   (needs root, to mount the tmpfs)
"""
import csv
import json
import os
import shutil
import subprocess
import sys

import h5py

from round_support import run, synth_pool

DISK_KIB = 4096
FREE_KIB = (8, 64, 420, 430, 445, 460, 480, 600, 800, 1000, 1200, 1600)


def run_arguments(study, pool):
    return ["--log-level", "warn", "run", "--study", study, "--pool", pool, "--model", "small-cnn",
            "--input-size", "32", "--strategy", "random", "--budget", "20", "--rounds", "2", "--epochs", "1",
            "--threads", "1", "--no-progress"]


def check_whole(study):
    """Every file but the temporaries of the failed writer reads back."""
    for directory, _, names in os.walk(study):
        for name in names:
            path = os.path.join(directory, name)
            if ".tmp-" in name or name == ".salient.lock":
                continue
            if name.endswith(".h5"):
                with h5py.File(path, "r") as table:
                    assert len(table["index"]) > 0, path
            elif name.endswith(".json"):
                json.load(open(path))
            elif name.endswith(".csv"):
                list(csv.reader(open(path)))
            elif name.endswith((".png", ".pt", ".toml")):
                assert os.path.getsize(path) > 0, path


def main():
    salient, work = sys.argv[1:3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=120, shard_size=64, seed=3)
    disk = os.path.join(work, "disk")
    os.makedirs(disk)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_KIB}k", "tmpfs", disk], check=True)
    try:
        for free in FREE_KIB:
            for name in os.listdir(disk):
                shutil.rmtree(os.path.join(disk, name)) if name == "study" else os.remove(os.path.join(disk, name))
            filler = os.path.join(disk, "filler")
            subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1k", f"count={DISK_KIB - free}"],
                           check=True, capture_output=True)
            study = os.path.join(disk, "study")
            failed = run([salient, *run_arguments(study, pool)], check=False)
            message = failed.stdout + failed.stderr
            assert failed.returncode == 1, f"{free} KiB free: exit {failed.returncode}\n{message[-2000:]}"
            assert "No space left on device" in message and study in message, f"{free} KiB free:\n{message[-2000:]}"
            check_whole(study)
            os.remove(filler)
            resumed = run([salient, *run_arguments(study, pool)])
            assert "finished: 2 round(s) done" in resumed.stdout, resumed.stdout
            cause = message.strip().splitlines()[-1]
            print(f"{free:5d} KiB free: {cause[:150]}")
    finally:
        subprocess.run(["umount", disk], check=False)
    print(f"a full disk stopped the run cleanly {len(FREE_KIB)} times, naming the file; each resumed once freed")


if __name__ == "__main__":
    main()
