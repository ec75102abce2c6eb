"""`salient synth --like` on NIH ChestX-ray14's real Data_Entry_2017_v2020.csv and
BBox_List_2017.csv, with the 517 real lung masks of torchxrayvision's wheel (all unpacked
by scripts/install-deps.sh into .venv/salient-data/). Everything expected is read here from
the files with Python's csv module, never from salient.
- `--rows 3000`: the pool's ids, labels, patients and views equal the file's rows, in file
  order; every patient is whole; each finding's prevalence is within 4 standard errors of
  the file's (ratio estimator over whole-patient clusters).
- Every image with a finding has an ROI, every "No Finding" image none; follow-ups of a
  patient look more alike than images of different patients.
- 1 and 2 drawing threads write the same datasets, bit for bit.
- `--skip-rows`: a source pool of the same sample seed shares no patient with the target.
- `--boxes`: boxes are stored scaled to the pool's pixels, and a boxed finding's ROI lies
  inside its box.
- Bad input is refused naming the file and line (or folder).

usage: synth_like_test.py SALIENT DATA_DIR
"""
import csv
import json
import math
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

FINDINGS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
            "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"]
ROWS, SIZE = 3000, 128


def run(*command, fail=False):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if (result.returncode != 0) != fail:
        sys.exit(f"FAILED (exit {result.returncode}): {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def labels_of(text):
    row = [0] * len(FINDINGS)
    if text != "No Finding":
        for finding in text.split("|"):
            row[FINDINGS.index(finding)] = 1
    return tuple(row)


def read_pool(pool):
    manifest = json.loads((pool / "pool.json").read_text())
    datasets = defaultdict(list)
    for shard in manifest["shards"]:
        with h5py.File(pool / shard["path"], "r") as h5:
            first = sum(len(ids) for ids in datasets["ids"])
            for name in ("images", "roi", "labels", "ids", "patient_ids", "views"):
                datasets[name].append(h5[name][...])
            if "boxes" in h5:
                datasets["box_row"].append(h5["boxes/row"][...] + first)
                datasets["box_label"].append(h5["boxes/label"][...])
                datasets["box_xywh"].append(h5["boxes/xywh"][...])
    pool_data = {name: np.concatenate(parts) for name, parts in datasets.items()}
    for name in ("ids", "patient_ids", "views"):
        pool_data[name] = [value.decode() for value in pool_data[name]]
    return manifest, pool_data


def check_rows(entries, data):
    ids = data["ids"]
    assert len(ids) == ROWS, len(ids)
    lines = [entries[i]["line"] for i in ids]
    assert lines == sorted(lines), "rows are not in file order"
    for k, image in enumerate(ids):
        row = entries[image]
        assert data["patient_ids"][k] == row["Patient ID"], (image, data["patient_ids"][k])
        assert data["views"][k] == row["View Position"], (image, data["views"][k])
        assert tuple(int(v) for v in data["labels"][k]) == labels_of(row["Finding Labels"]), image
    print(f"{ROWS} rows: ids, labels, patients and views equal the file's, in file order")


def check_whole_patients_and_prevalence(entries, data):
    rows_of = defaultdict(list)
    for image, row in entries.items():
        rows_of[row["Patient ID"]].append(image)
    patients = set(data["patient_ids"])
    kept = set(data["ids"])
    for patient in patients:
        assert all(image in kept for image in rows_of[patient]), f"patient {patient} is split"
    # Ratio estimator p = Σy/Σm over sampled clusters (patients): its variance
    # Σ(y_i − p·m_i)² / ((n − 1)·n·m̄²), from the file's own patients.
    sizes = {p: len(images) for p, images in rows_of.items()}
    mean_size = sum(sizes.values()) / len(sizes)
    n = len(patients)
    for f, finding in enumerate(FINDINGS):
        counts = defaultdict(int)
        for row in entries.values():
            counts[row["Patient ID"]] += labels_of(row["Finding Labels"])[f]
        p_file = sum(counts.values()) / len(entries)
        spread = sum((counts[q] - p_file * sizes[q]) ** 2 for q in sizes) / (len(sizes) - 1)
        error = math.sqrt(spread / (n * mean_size ** 2))
        p_pool = float(data["labels"][:, f].mean())
        print(f"  {finding:20s} file {p_file:.4f}  pool {p_pool:.4f}  ({(p_pool - p_file) / error:+.2f} s.e.)")
        assert abs(p_pool - p_file) <= 4 * error, finding
    print(f"{n} whole patients; every finding's prevalence within 4 standard errors of the file's")


def check_appearance(data):
    roi_pixels = data["roi"].reshape(len(data["ids"]), -1).sum(axis=1)
    sick = data["labels"].sum(axis=1) > 0
    assert (roi_pixels[sick] > 0).all(), "an image with a finding has no ROI"
    assert (roi_pixels[~sick] == 0).all(), "a No Finding image has an ROI"
    images = data["images"].astype(np.float64)
    by_patient = defaultdict(list)
    for k, patient in enumerate(data["patient_ids"]):
        by_patient[patient].append(k)
    same = [np.abs(images[ks[0]] - images[ks[1]]).mean() for ks in by_patient.values() if len(ks) >= 2]
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, len(images), (len(same), 2))
    other = [np.abs(images[a] - images[b]).mean() for a, b in pairs if data["patient_ids"][a] != data["patient_ids"][b]]
    print(f"mean |difference|: follow-ups {np.mean(same):.2f}, other patients {np.mean(other):.2f} grey levels")
    assert np.mean(same) < 0.8 * np.mean(other)


def check_boxes(salient, data_dir, entries, work, masks):
    with open(data_dir / "BBox_List_2017.csv", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        boxes = [row for row in reader]
    boxed = sorted({row[0] for row in boxes})[:120]
    subset = work / "Data_Entry_boxed.csv"
    with open(data_dir / "Data_Entry_2017_v2020.csv", newline="") as f, open(subset, "w", newline="") as out:
        reader, writer = csv.reader(f), csv.writer(out)
        writer.writerow(next(reader))
        writer.writerows(row for row in reader if row[0] in boxed)
    box_file = work / "BBox_boxed.csv"
    with open(box_file, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(row for row in boxes if row[0] in boxed)
    pool = work / "boxed"
    run(salient, "synth", "--like", subset, "--boxes", box_file, "--lung-masks", masks, "--size", SIZE, "--seed", 5,
        "--out", pool)
    _, data = read_pool(pool)
    index = {image: k for k, image in enumerate(data["ids"])}
    expected = defaultdict(list)
    for row in boxes:
        if row[0] in boxed:
            entry = entries[row[0]]
            sx, sy = SIZE / int(entry["OriginalImage[Width"]), SIZE / int(entry["Height]"])
            x, y, w, h = (float(v) for v in row[2:6])
            finding = "Infiltration" if row[1] == "Infiltrate" else row[1]
            expected[index[row[0]]].append((FINDINGS.index(finding), x * sx, y * sy, w * sx, h * sy))
    stored = defaultdict(list)
    for r, label, xywh in zip(data["box_row"], data["box_label"], data["box_xywh"]):
        stored[int(r)].append((int(label), *(float(v) for v in xywh)))
    assert set(stored) == set(expected)
    for k in expected:
        for (l1, *b1), (l2, *b2) in zip(sorted(expected[k]), sorted(stored[k])):
            assert l1 == l2 and np.allclose(b1, b2, atol=1e-3), (data["ids"][k], b1, b2)
    # Images whose every finding is boxed: the ROI lies inside the boxes, and in each box.
    checked = 0
    for k, image_boxes in expected.items():
        listed = set(np.flatnonzero(data["labels"][k]))
        if listed != {b[0] for b in image_boxes}:
            continue
        inside = np.zeros((SIZE, SIZE), bool)
        rows, cols = np.mgrid[0:SIZE, 0:SIZE] + 0.5
        for _, x, y, w, h in image_boxes:
            in_box = (cols >= x) & (cols < x + w) & (rows >= y) & (rows < y + h)
            assert (data["roi"][k] & in_box).any(), f"{data['ids'][k]}: nothing drawn inside a box"
            inside |= in_box
        assert not (data["roi"][k].astype(bool) & ~inside).any(), f"{data['ids'][k]}: ROI outside its boxes"
        checked += 1
    assert checked >= 40, checked
    print(f"--boxes: {sum(map(len, expected.values()))} boxes stored scaled; {checked} images whose findings are all "
          "boxed have their ROI inside the boxes and in each")


def check_disjoint_source(salient, data_dir, entries, work, masks, target):
    """--skip-rows 3000 with the target's sample seed: a source pool sharing no patient."""
    run(salient, "synth", "--like", data_dir / "Data_Entry_2017_v2020.csv", "--lung-masks", masks, "--rows", 1000,
        "--skip-rows", ROWS, "--sample-seed", 7, "--size", 64, "--seed", 4, "--out", work / "source")
    _, source = read_pool(work / "source")
    assert len(source["ids"]) == 1000
    assert not set(source["patient_ids"]) & set(target["patient_ids"]), "the source shares patients with the target"
    kept = set(source["ids"])
    patients = set(source["patient_ids"])
    for image, row in entries.items():
        if row["Patient ID"] in patients:
            assert image in kept, f"patient {row['Patient ID']} is split"
    print(f"--skip-rows {ROWS}: 1000 images of {len(set(source['patient_ids']))} whole patients, none of the target's")


def check_refusals(salient, data_dir, work, masks):
    entries = data_dir / "Data_Entry_2017_v2020.csv"
    out = run(salient, "synth", "--like", entries, "--lung-masks", masks, "--rows", 200000, "--out", work / "x",
              fail=True)
    assert "lists only 112120 images" in out, out
    bad = work / "bad.csv"
    lines = entries.read_text().splitlines()[:4]
    lines[3] = lines[3].replace(",PA,", ",LL,").replace(",AP,", ",LL,")
    bad.write_text("\n".join(lines) + "\n")
    out = run(salient, "synth", "--like", bad, "--lung-masks", masks, "--out", work / "x", fail=True)
    assert f"'{bad}' line 4, column 'View Position': 'LL' is neither PA nor AP" in out, out
    empty = work / "no-lungs"
    empty.mkdir()
    Image.fromarray(np.zeros((40, 40), np.uint8)).save(empty / "blank.png")
    out = run(salient, "synth", "--like", entries, "--lung-masks", empty, "--rows", 10, "--out", work / "x", fail=True)
    assert f"none of the 1 masks in '{empty}' shows two lungs side by side" in out, out
    assert not (work / "x").exists()
    print("refused: --rows beyond the file, a view that is not PA or AP, a folder without lungs")


def main():
    salient, data_dir = sys.argv[1], Path(sys.argv[2])
    masks = data_dir / "lung_masks"
    entries = {}
    with open(data_dir / "Data_Entry_2017_v2020.csv", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            row["line"] = line
            entries[row["Image Index"]] = row
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        common = ["--like", data_dir / "Data_Entry_2017_v2020.csv", "--lung-masks", masks, "--rows", ROWS,
                  "--sample-seed", 7, "--size", SIZE, "--seed", 3, "--shard-size", 1000]
        run(salient, "synth", *common, "--threads", 1, "--out", work / "one")
        run(salient, "synth", *common, "--threads", 2, "--out", work / "two")
        manifest, data = read_pool(work / "one")
        _, again = read_pool(work / "two")
        for name in data:
            assert np.array_equal(np.asarray(data[name]), np.asarray(again[name])), f"{name} differs with 2 threads"
        second = json.loads((work / "two" / "pool.json").read_text())
        assert [s["crc32"] for s in manifest["shards"]] == [s["crc32"] for s in second["shards"]]
        print("1 and 2 threads: every dataset equal, bit for bit")
        assert "verified" in run(salient, "inspect", work / "one", "--verify")
        check_rows(entries, data)
        check_whole_patients_and_prevalence(entries, data)
        check_appearance(data)
        check_disjoint_source(salient, data_dir, entries, work, masks, data)
        check_boxes(salient, data_dir, entries, work, masks)
        check_refusals(salient, data_dir, work, masks)
    print("OK")


if __name__ == "__main__":
    main()
