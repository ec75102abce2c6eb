"""`salient pack` end to end: an NIH-style folder (8- and 16-bit PNGs, a JPEG, a
non-square image, boxes) packed with each filter, checked by `salient inspect --verify`,
read back with h5py, and every stored image compared with Pillow's resize of the same
file (Pillow is the independent reference for the resampler; mode "F", so its float
result is compared before any 8-bit fixed-point shortcut).

usage: pack_cli_test.py SALIENT
"""
import json
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

SIZE = 32
FILTERS = {"box": Image.Resampling.BOX, "triangle": Image.Resampling.BILINEAR, "lanczos3": Image.Resampling.LANCZOS}
FINDINGS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
            "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"]
# Agreement asked of every filter and pixel type: each stored value is Pillow's float
# result rounded to the nearest integer (halves up, as Pillow's own 8-bit path rounds):
# |stored − Pillow| ≤ ½ plus float32 noise, and equal to ⌊Pillow + ½⌋ on ≥ 99.9% of pixels
# (a value within rounding noise of a half may go either way). Measured: 100% everywhere.
MAX_DIFFERENCE = 0.51
MIN_EQUAL_FRACTION = 0.999


def chest_like(rng, height, width, peak):
    """Smooth structure plus noise and a few sharp edges: what antialiasing is for."""
    y, x = np.mgrid[0:height, 0:width] / max(height, width)
    smooth = 0.5 + 0.3 * np.sin(9 * x) * np.cos(7 * y) - 0.25 * ((x - 0.5) ** 2 + (y - 0.5) ** 2)
    image = smooth + 0.08 * rng.standard_normal((height, width))
    image[height // 3: height // 2, width // 4: width // 2] += 0.35
    return np.clip(image, 0, 1) * peak


def write_folder(root, rng):
    images = root / "images_001" / "images"
    images.mkdir(parents=True)
    files = {
        "00000001_000.png": chest_like(rng, 100, 100, 255).round().astype(np.uint8),
        "00000001_001.png": chest_like(rng, 90, 120, 65535).round().astype(np.uint16),
        "00000002_000.jpg": chest_like(rng, 64, 64, 255).round().astype(np.uint8),
        "00000003_000.png": chest_like(rng, 20, 27, 255).round().astype(np.uint8),  # enlarged
    }
    for name, pixels in files.items():
        if name.endswith(".jpg"):
            Image.fromarray(pixels).save(images / name, quality=95)
        else:
            Image.fromarray(pixels).save(images / name)
    (root / "Data_Entry_2017.csv").write_text(
        "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,"
        "OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]\n"
        "00000001_000.png,Effusion|Mass,0,1,50,F,PA,1,1,1,1\n"
        "00000001_001.png,No Finding,1,1,50,F,PA,1,1,1,1\n"
        "00000002_000.jpg,Hernia,0,2,60,M,AP,1,1,1,1\n"
        "00000003_000.png,Nodule,0,3,70,M,PA,1,1,1,1\n")
    (root / "BBox_List_2017.csv").write_text(
        "Image Index,Finding Label,Bbox [x,y,w,h],,,\n"
        "00000001_000.png,Mass,10,20,30,40,,,\n"
        "00000001_001.png,Infiltrate,60,45,12,9,,,\n")
    return [images / name for name in files]


def pillow_reference(path, dtype, resample):
    """Pillow's resize of the file on the pool's scale (8 ↔ 16 bits by 257), clamped, not rounded."""
    image = Image.open(path)
    sixteen_bit = image.mode in ("I", "I;16")
    pixels = np.asarray(image if sixteen_bit else image.convert("L"))
    out_max = 65535.0 if dtype == np.uint16 else 255.0
    gain = out_max / (65535.0 if sixteen_bit else 255.0)
    plane = Image.fromarray((pixels.astype(np.float64) * gain).astype(np.float32), mode="F")
    resized = np.asarray(plane.resize((SIZE, SIZE), resample=resample), dtype=np.float64)
    return np.clip(resized, 0, out_max)


def run(*command, expect_success=True):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if (result.returncode == 0) != expect_success:
        sys.exit(f"FAILED (exit {result.returncode}): {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def check_pool(pool, files, dtype, resample):
    manifest = json.loads((pool / "pool.json").read_text())
    assert manifest["labels"] == FINDINGS, manifest["labels"]
    worst, equal, total = 0, 0, 0
    with h5py.File(pool / manifest["shards"][0]["path"], "r") as shard:
        images, labels = shard["images"][...], shard["labels"][...]
        ids = [i.decode() if isinstance(i, bytes) else i for i in shard["ids"][...]]
        assert images.shape == (4, SIZE, SIZE) and images.dtype == dtype, (images.shape, images.dtype)
        assert ids == [f.name for f in files], ids
        assert labels[0].tolist() == [1 if f in ("Effusion", "Mass") else 0 for f in FINDINGS]
        assert labels[1].tolist() == [0] * 14
        # The manifest's checksums of labels and ids (docs/pool-format.md), by zlib; no masks.
        entry = manifest["shards"][0]
        assert zlib.crc32(np.ascontiguousarray(labels).tobytes()) == int(entry["labels_crc32"], 16), entry
        assert zlib.crc32(b"".join(i.encode() + b"\0" for i in ids)) == int(entry["ids_crc32"], 16), entry
        assert "roi_crc32" not in entry, entry
        # Boxes scale with their image: 100 → 32 and 120 x 90 → 32 x 32.
        rows, box_labels, xywh = shard["boxes/row"][...], shard["boxes/label"][...], shard["boxes/xywh"][...]
        assert rows.tolist() == [0, 1] and box_labels.tolist() == [4, 3], (rows, box_labels)
        np.testing.assert_allclose(xywh[0], np.array([10, 20, 30, 40]) * SIZE / 100, rtol=1e-6)
        np.testing.assert_allclose(xywh[1], [60 * SIZE / 120, 45 * SIZE / 90, 12 * SIZE / 120, 9 * SIZE / 90], rtol=1e-6)
        for image, path in zip(images, files):
            reference = pillow_reference(path, dtype, resample)
            worst = max(worst, np.abs(image - reference).max())
            equal += int((image == np.floor(reference + 0.5)).sum())
            total += image.size
    return worst, equal / total


def check_bad_images(salient, folder, work):
    """A corrupt file stops the pack naming it, leaving no pool; skip lists it and goes on."""
    corrupt = folder / "images_001" / "images" / "00000004_000.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"cut short")
    entries = folder / "Data_Entry_2017.csv"
    entries.write_text(entries.read_text() + "00000004_000.png,Mass,0,4,40,F,PA,1,1,1,1\n")
    failed = run(salient, "pack", "--nih", folder, "--out", work / "failed", expect_success=False)
    assert f"bad image '{corrupt}'" in failed, failed
    assert not (work / "failed").exists() and not list(work.glob("failed.tmp-*")), list(work.iterdir())
    skipped = run(salient, "pack", "--nih", folder, "--out", work / "skipped", "--size", SIZE,
                  "--on-bad-image", "skip")
    assert f"skipped '{corrupt}'" in skipped and "1 bad image(s) left out" in skipped, skipped
    run(salient, "inspect", work / "skipped", "--verify")


def main():
    salient = Path(sys.argv[1])
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory(prefix="salient-pack-cli-") as work:
        work = Path(work)
        files = write_folder(work / "nih", rng)
        failures = 0
        # Every filter at 8 bits; the default filter at 16 bits too (the scaling to the
        # pool's range does not depend on the filter).
        runs = [(name, np.uint8) for name in FILTERS] + [("triangle", np.uint16)]
        for name, dtype in runs:
            pool = work / f"pool-{name}-{dtype.__name__}"
            run(salient, "pack", "--nih", work / "nih", "--out", pool, "--size", SIZE, "--filter", name,
                "--dtype", dtype.__name__, "--shard-size", 8, "--threads", 2)
            report = run(salient, "inspect", pool, "--verify")
            assert "verified  every image read, checksums match" in report, report
            worst, equal = check_pool(pool, files, dtype, FILTERS[name])
            ok = worst <= MAX_DIFFERENCE and equal >= MIN_EQUAL_FRACTION
            failures += not ok
            print(f"{name:9} {dtype.__name__:6} vs Pillow: max |stored - Pillow float| {worst:.6f}, "
                  f"stored = round(Pillow) on {100 * equal:.2f}%{'' if ok else '  FAILED'}")
        check_bad_images(salient, work / "nih", work)
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
