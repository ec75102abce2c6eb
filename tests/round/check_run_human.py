#!/usr/bin/env python3
"""`salient run --labels human` from the command line: the run stops with its selection
"awaiting labels"; `salient labels template` lists the awaited images; an import with an
image outside the selection, or one labeled twice, fails naming the file and the image and
adds nothing; the filled template is imported, and the next `salient run` fine-tunes and
stops at the next selection, until the last round. After the first import, labels.csv gets
a cell that is not a label (as an older salient copied from a bad pool): `run` stops naming
the cell and the repair, and `salient labels import --replace` corrects it and another
label, keeping rows, order and rounds; partial repairs are refused without writing.

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


def check_replace(salient, study, labels_csv, label_names, records, work):
    rows = read_csv(labels_csv)
    broken, corrected = rows[0]["id"], rows[1]["id"]
    lines = open(labels_csv).read().splitlines()
    cells = lines[1].split(",")
    cells[lines[0].split(",").index(label_names[1])] = "7"
    lines[1] = ",".join(cells)
    open(labels_csv, "w").write("\n".join(lines) + "\n")
    damaged = open(labels_csv, "rb").read()
    refused = run([salient, "--log-level", "warn", "run", "--study", study, "--no-progress"], check=False)
    assert refused.returncode != 0, refused.stdout
    assert f"line 2 column '{label_names[1]}': '7' is not a label" in refused.stderr, refused.stderr
    assert "salient labels import FILE --replace" in refused.stderr, refused.stderr

    def replace(name, replacements):
        path = os.path.join(work, name)
        with open(path, "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["id", *label_names, "source"])
            writer.writerows([image, *labels, source] for image, labels, source in replacements)
        return run([salient, "labels", "import", path, "--replace", "--study", study], check=False)

    truth = {image: list(record[1]) for image, record in records.items()}
    flipped = [1 - value for value in truth[corrected]]
    outsider = next(image for image in records if image not in {row["id"] for row in rows})
    for replacements, message in (([(outsider, truth[outsider], "dr-b")], f"image '{outsider}' has no label"),
                                  ([(corrected, flipped, "dr-b")], f"does not replace image '{broken}'")):
        failed = replace("partial.csv", replacements)
        assert failed.returncode != 0 and message in failed.stderr, failed.stderr
        assert open(labels_csv, "rb").read() == damaged, "a refused repair wrote labels.csv"

    fixed = replace("repair.csv", [(broken, truth[broken], "dr-b"), (corrected, flipped, "dr-b")])
    assert fixed.returncode == 0, fixed.stderr
    assert "labels of 2 images replaced" in fixed.stdout and "1 cell(s) that were not labels repaired" in fixed.stdout, fixed.stdout
    after = read_csv(labels_csv)
    assert [row["id"] for row in after] == [row["id"] for row in rows], "rows and their order are kept"
    for before, row in zip(rows, after):
        expected = {broken: (truth[broken], "dr-b"), corrected: (flipped, "dr-b")}.get(row["id"])
        if expected is None:
            assert row == before, (row, before)
        else:
            assert [int(row[name]) for name in label_names] == expected[0] and row["source"] == expected[1], row
            assert row["round"] == before["round"], row
    assert replace("restore.csv", [(corrected, truth[corrected], "dr-a"), (broken, truth[broken], "dr-a")]).returncode == 0
    assert read_csv(labels_csv) == rows, "restored"


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
        if round_ == 0:
            check_replace(salient, study, labels_csv, label_names, records, work)
        run([salient, "--log-level", "warn", "run", "--study", study, "--no-progress"])
    state = status(study)
    assert state["state"] == "finished" and state["labels"] == ROUNDS * BUDGET, state
    curve = read_csv(os.path.join(study, "curve.csv"))
    assert [int(row["labels"]) for row in curve] == [BUDGET * r for r in range(ROUNDS + 1)], curve
    print(f"human mode: {ROUNDS} rounds of template, import and run; bad imports refused; curve {len(curve)} points")


if __name__ == "__main__":
    main()
