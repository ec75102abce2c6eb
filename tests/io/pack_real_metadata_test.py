"""`salient pack` on the real metadata files, as a user with a partial download has them:
NIH ChestX-ray14's Data_Entry_2017_v2020.csv and BBox_List_2017.csv, and CheXpert's
train.csv (the copies inside torchxrayvision's wheel, unpacked by scripts/install-deps.sh
into .venv/salient-data/). Images are written for a few hundred rows only.
- NIH: the 2020 file is read and named; the rows without a file are reported in one line
  and listed in missing-images.csv; the pool's labels, patients, views and boxes equal the rows',
  parsed here with Python's csv module.
- CheXpert: frontal views only by default, lateral ones with --views; uncertain labels as
  U-Ignore (unknown), U-Zeros or U-Ones.

usage: pack_real_metadata_test.py SALIENT DATA_DIR
"""
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

NIH_FINDINGS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
                "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"]
SIZE = 16


def run(*command):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED (exit {result.returncode}): {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def write_image(path, seed):
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(seed).integers(0, 256, (24, 24), dtype=np.uint8)
    Image.fromarray(pixels).save(path)


def read_pool(pool):
    manifest = json.loads((pool / "pool.json").read_text())
    ids, labels, patients, views, boxes = [], [], [], [], {}
    for shard in manifest["shards"]:
        with h5py.File(pool / shard["path"], "r") as h5:
            first = len(ids)
            ids += [i.decode() for i in h5["ids"][...]]
            labels += [tuple(int(v) for v in row) for row in h5["labels"][...]]
            patients += [p.decode() for p in h5["patient_ids"][...]] if "patient_ids" in h5 else []
            views += [v.decode() for v in h5["views"][...]]
            if "boxes" in h5:
                for row, label in zip(h5["boxes/row"][...], h5["boxes/label"][...]):
                    boxes.setdefault(ids[first + row], []).append(int(label))
    return manifest, ids, labels, patients, views, boxes


def check_nih(salient, data, work):
    folder = work / "nih"
    folder.mkdir()
    shutil.copy(data / "Data_Entry_2017_v2020.csv", folder)
    shutil.copy(data / "BBox_List_2017.csv", folder)
    with open(data / "Data_Entry_2017_v2020.csv", newline="") as file:
        rows = list(csv.reader(file))[1:]
    with open(data / "BBox_List_2017.csv", newline="") as file:
        boxed = {row[0]: row[1] for row in list(csv.reader(file))[1:]}
    # Every 500th row, and the rows of ten images with boxes: a partial download of 12 folders.
    present = {row[0]: row for row in rows[::500]}
    present.update({row[0]: row for row in rows if row[0] in set(list(boxed)[:10])})
    for n, name in enumerate(sorted(present)):
        write_image(folder / f"images_{1 + n % 12:03d}" / "images" / name, n)

    out = run(salient, "pack", "--nih", folder, "--out", work / "nih-pool", "--size", SIZE, "--threads", 2)
    assert "(Data_Entry_2017_v2020.csv)" in out, out
    missing = len(rows) - len(present)
    assert out.count("have no image file") == 1 and f"{missing} of {len(rows)} rows" in out, out
    assert len(out.splitlines()) < 20, f"one line per missing row?\n{out[:2000]}"
    with open(work / "nih-pool" / "missing-images.csv", newline="") as file:
        listed = list(csv.DictReader(file))
    assert len(listed) == missing and not {row["id"] for row in listed} & set(present), len(listed)
    line_of = {row[0]: n + 2 for n, row in enumerate(rows)}
    assert all(int(row["line"]) == line_of[row["id"]] for row in listed[:1000])

    manifest, ids, labels, patients, views, boxes = read_pool(work / "nih-pool")
    assert manifest["labels"] == NIH_FINDINGS and sorted(ids) == sorted(present), (len(ids), len(present))
    for image, label, patient, view in zip(ids, labels, patients, views):
        row = present[image]
        assert view == row[6], (image, view, row[6])
        findings = set(row[1].split("|")) - {"No Finding"}
        assert label == tuple(int(name in findings) for name in NIH_FINDINGS), (image, row[1], label)
        assert patient == row[3], (image, patient, row[3])
    names = {**{n: n for n in NIH_FINDINGS}, "Infiltrate": "Infiltration"}
    assert {image: [NIH_FINDINGS[b] for b in found] for image, found in boxes.items()} == \
        {image: [names[boxed[image]]] for image in present if image in boxed}, boxes
    print(f"NIH: {len(present)} of {len(rows)} rows packed from Data_Entry_2017_v2020.csv, {len(boxes)} with boxes; "
          f"{missing} missing reported once")


def check_chexpert(salient, data, work):
    folder = work / "chexpert"
    folder.mkdir()
    shutil.copy(data / "chexpert_train.csv", folder)
    with open(data / "chexpert_train.csv", newline="") as file:
        reader = csv.DictReader(file)
        label_names = [name for name in reader.fieldnames
                       if name not in ("Path", "Sex", "Age", "Frontal/Lateral", "AP/PA")]
        rows = list(reader)
    present = rows[:300]
    for n, row in enumerate(present):
        write_image(folder / row["Path"], 1000 + n)
    views = {row["Path"]: row["Frontal/Lateral"] for row in present}
    assert set(views.values()) == {"Frontal", "Lateral"}, "the first rows hold both views"

    def expected(row, uncertain):
        return tuple({"": -1, "1.0": 1, "0.0": 0, "-1.0": uncertain}[row[name]] for name in label_names)

    for arguments, wanted, uncertain in (([], {"Frontal"}, -1),
                                         (["--views", "lateral", "--uncertain", "ones"], {"Lateral"}, 1),
                                         (["--views", "all", "--uncertain", "zeros"], {"Frontal", "Lateral"}, 0)):
        pool = work / f"chexpert-{'-'.join(arguments) or 'default'}"
        out = run(salient, "pack", "--chexpert", folder / "chexpert_train.csv", "--out", pool, "--size", SIZE,
                  "--threads", 2, *arguments)
        in_view = [row for row in rows if row["Frontal/Lateral"] in wanted]
        assert out.count("have no image file") == 1, out
        assert f"{len(in_view) - sum(views[p] in wanted for p in views)} of {len(in_view)} rows" in out, out
        _, ids, labels, patients, stored_views, _ = read_pool(pool)
        by_path = {row["Path"]: row for row in present}
        assert ids == [row["Path"] for row in present if row["Frontal/Lateral"] in wanted], ids[:3]
        assert labels == [expected(by_path[image], uncertain) for image in ids]
        assert patients == [image.split("/")[2] for image in ids]
        assert stored_views == [by_path[image]["AP/PA"] or by_path[image]["Frontal/Lateral"] for image in ids]
        print(f"CheXpert {' '.join(arguments) or '(defaults)'}: {len(ids)} images, labels as the rows say")


def main():
    salient, data = sys.argv[1], Path(sys.argv[2])
    for name in ("Data_Entry_2017_v2020.csv", "BBox_List_2017.csv", "chexpert_train.csv"):
        assert (data / name).is_file(), f"{data / name} is missing: run scripts/install-deps.sh"
    with tempfile.TemporaryDirectory() as temp:
        check_nih(salient, data, Path(temp))
        check_chexpert(salient, data, Path(temp))


if __name__ == "__main__":
    main()
