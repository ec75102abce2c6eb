#!/usr/bin/env python3
"""`salient run --labels human` from the command line: the run stops with its selection
"awaiting labels"; `salient labels template` lists the awaited images; an import with an
image outside the selection, or one labeled twice, fails naming the file and the image and
adds nothing; the filled template is imported, and the next `salient run` fine-tunes and
stops at the next selection, until the last round.

usage: check_run_human.py SALIENT WORKDIR
"""
import csv
import json
import os
import shutil
import sys

from round_support import run, synth_pool
from run_support import pool_records, read_csv

ROUNDS, BUDGET = 2, 6


def status(study):
    return json.load(open(os.path.join(study, "status.json")))


def fill_template(template, label_names, records, out, extra_id=None):
    rows = read_csv(template)
    assert rows and all(all(row[name] == "" for name in label_names) for row in rows), rows
    ids = [row["id"] for row in rows] + ([extra_id] if extra_id else [])
    with open(out, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["source", *reversed(label_names), "id"])  # columns in any order
        for image in ids:
            writer.writerow(["dr-a", *reversed(records[image][1]), image])
    return [row["id"] for row in rows]


def main():
    salient, work = sys.argv[1:3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=64, shard_size=32, seed=8)
    label_names, records = pool_records(pool)
    study = os.path.join(work, "study")
    run([salient, "--log-level", "warn", "run", "--study", study, "--pool", pool, "--model", "small-cnn",
         "--input-size", "32", "--strategy", "margin", "--budget", str(BUDGET), "--rounds", str(ROUNDS),
         "--labels", "human", "--epochs", "2", "--threads", "1", "--no-progress", "--montage-count", "2",
         "--set", "training.validation_fraction=0.3"])
    labels_csv = os.path.join(study, "labels.csv")
    for round_ in range(ROUNDS):
        state = status(study)
        assert state["state"] == "awaiting labels" and state["round"] == round_ and state["awaited"] == BUDGET, state
        template = os.path.join(work, f"template-{round_}.csv")
        run([salient, "labels", "template", "--study", study, "--out", template])
        labeled_before = read_csv(labels_csv) if os.path.exists(labels_csv) else []
        # An image that is not in the selection: refused, nothing added.
        outsider = next(i for i in records if i not in {r["id"] for r in read_csv(template)}
                        and i not in {r["id"] for r in labeled_before})
        bad = os.path.join(work, f"bad-{round_}.csv")
        fill_template(template, label_names, records, bad, extra_id=outsider)
        failed = run([salient, "labels", "import", bad, "--study", study], check=False)
        assert failed.returncode != 0 and bad in failed.stderr and outsider in failed.stderr, failed.stderr
        assert (read_csv(labels_csv) if os.path.exists(labels_csv) else []) == labeled_before
        good = os.path.join(work, f"labels-{round_}.csv")
        selected = fill_template(template, label_names, records, good)
        imported = run([salient, "labels", "import", good, "--study", study])
        assert "the round is labeled" in imported.stdout, imported.stdout
        again = run([salient, "labels", "import", good, "--study", study], check=False)
        assert again.returncode != 0, "a second import of a labeled round must fail"
        rows = [row for row in read_csv(labels_csv) if int(row["round"]) == round_]
        assert sorted(row["id"] for row in rows) == sorted(selected)
        for row in rows:
            assert row["source"] == "dr-a" and tuple(int(row[n]) for n in label_names) == records[row["id"]][1]
        run([salient, "--log-level", "warn", "run", "--study", study, "--no-progress"])
    state = status(study)
    assert state["state"] == "finished" and state["labels"] == ROUNDS * BUDGET, state
    curve = read_csv(os.path.join(study, "curve.csv"))
    assert [int(row["labels"]) for row in curve] == [BUDGET * r for r in range(ROUNDS + 1)], curve
    print(f"human mode: {ROUNDS} rounds of template, import and run; bad imports refused; curve {len(curve)} points")


if __name__ == "__main__":
    main()
