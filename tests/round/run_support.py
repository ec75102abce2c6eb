"""Helpers of the `salient run` checks: a study's files as Python sees them, the pool's own
labels and patients read with h5py (the oracle, independently of salient), and the
uninterrupted run the loop checks start from."""
import csv
import json
import os
import shutil

import h5py

from round_support import mpirun_salient, synth_pool


def read_csv(path):
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def pool_records(pool):
    """id → (global index, labels tuple, patient id) from the pool's shards."""
    manifest = json.load(open(os.path.join(pool, "pool.json")))
    records = {}
    index = 0
    for shard in manifest["shards"]:
        with h5py.File(os.path.join(pool, shard["path"]), "r") as file:
            ids = [i.decode() if isinstance(i, bytes) else i for i in file["ids"][:]]
            patients = [p.decode() if isinstance(p, bytes) else p for p in file["patient_ids"][:]]
            labels = file["labels"][:]
            for row, image in enumerate(ids):
                records[image] = (index, tuple(int(v) for v in labels[row]), patients[row])
                index += 1
    return manifest["labels"], records


def trapezoid_alc(points):
    """IDEAL/ACFT's area under the learning curve: trapezoids over (labels, AUC) divided by
    the span of labels."""
    if len(points) == 1:
        return points[0][1]
    area = sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in zip(points, points[1:]))
    return area / (points[-1][0] - points[0][0])


def is_png(path):
    with open(path, "rb") as file:
        return file.read(8) == b"\x89PNG\r\n\x1a\n"


def uninterrupted_run(salient, mpiexec, work, run_arguments):
    """A fresh WORKDIR holding the loop tests' pool (128 images in shards of 32) and, in
    WORKDIR/uninterrupted, the run of run_arguments(study, pool) on 2 ranks: (pool, study)."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=128, shard_size=32, seed=21)
    reference = os.path.join(work, "uninterrupted")
    mpirun_salient(mpiexec, 2, salient, run_arguments(reference, pool))
    return pool, reference
