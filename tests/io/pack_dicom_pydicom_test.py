"""`salient pack --dicom` against pydicom 3.0.2, file by file, on the DICOM files pydicom's
wheel ships (pydicom/data/test_files, the dicomdirtests images included): implicit and
explicit VR, little and big endian (16- and 32-bit), deflate, RLE, JPEG baseline, extended
and lossless, JPEG-LS and JPEG 2000.

Each file is packed alone at its own size (square images: the resize is the identity, within
1; the others are compared after Pillow's resize of the reference, within 1 + ½ for the rounding). The reference is pydicom's
decoding (with pylibjpeg-libjpeg and pyjpegls for JPEG and JPEG-LS) put through the DICOM
standard's display pipeline written out here: the modality LUT (rescale slope and
intercept), then the first VOI window with PS3.3 C.11.2.1.2.1's linear function (without a
window, min to max of the modality values), MONOCHROME1 inverted, scaled to 0..255; overlays
are not burnt in.

What salient does not pack must be refused with its reason, never packed wrong: colour,
multi-frame, objects without pixels (RT plan, structured report, waveforms), JPEG 2000,
and files that cannot be decoded (truncated ones). The test fails on a file packed that
pydicom decodes otherwise, and on a grayscale single-frame file that both pydicom and
salient should decode but salient refuses.

usage: pack_dicom_pydicom_test.py SALIENT
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import h5py
import numpy as np
import pydicom
from PIL import Image
from pydicom.pixels import apply_modality_lut

TEST_FILES = Path(pydicom.__file__).parent / "data" / "test_files"
# pydicom's README: JPGExtended.dcm is the fixed version of JPEG-lossy.dcm, whose 12-bit JPEG
# stream has sequential-mode SOS parameters that libjpeg refuses and DCMTK reads; the fixed
# file's decoding is the reference for both.
FIXED_VERSION = {"JPEG-lossy.dcm": "JPGExtended.dcm"}
JPEG_2000 = {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
             "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"}


def files():
    top = sorted(TEST_FILES.glob("*.dcm"))
    nested = sorted(Path(p) for p in glob.glob(str(TEST_FILES / "dicomdirtests" / "**" / "*"), recursive=True)
                    if os.path.isfile(p) and "DICOMDIR" not in p and "README" not in os.path.basename(p))
    return top + nested


def window(values, center, width):
    """PS3.3 C.11.2.1.2.1, output 0..255."""
    low, high = center - 0.5 - (width - 1) / 2, center - 0.5 + (width - 1) / 2
    out = ((values - (center - 0.5)) / (width - 1) + 0.5) * 255.0
    return np.where(values <= low, 0.0, np.where(values > high, 255.0, out))


def first(value):
    return float(value[0]) if isinstance(value, pydicom.multival.MultiValue) else float(value)


def reference(dataset):
    values = apply_modality_lut(dataset.pixel_array.astype(np.float64), dataset).astype(np.float64)
    if "WindowCenter" in dataset and "WindowWidth" in dataset:
        shown = window(values, first(dataset.WindowCenter), first(dataset.WindowWidth))
    else:
        low, high = values.min(), values.max()
        shown = (values - low) / (high - low) * 255.0 if high > low else np.zeros_like(values)
    if dataset.PhotometricInterpretation == "MONOCHROME1":
        shown = 255.0 - shown
    return shown


def expected_refusal(dataset, decodes):
    """The reasons salient may give for not packing @p dataset (the first is its own; "cannot
    read DICOM" is DCMTK's for a file it cannot parse), or None when it must pack it."""
    if "PixelData" not in dataset:
        return ("is not an image", "cannot read DICOM")
    if dataset.get("PhotometricInterpretation") not in ("MONOCHROME1", "MONOCHROME2"):
        return ("is not a grayscale radiograph", "cannot read DICOM")
    frames = str(dataset.get("NumberOfFrames", "1")).strip()
    if frames != "1":
        return ("frames",) if frames.isdigit() else ("Number of Frames",)
    if dataset.file_meta.get("TransferSyntaxUID") in JPEG_2000:
        return ("transfer syntax JPEG 2000",)
    if not decodes:
        return ("",)  # any reason: pydicom cannot decode it either
    return None


def pack(salient, path, work):
    folder = work / "in"
    folder.mkdir(parents=True)
    (folder / (path.name if path.suffix == ".dcm" else path.name + ".dcm")).write_bytes(path.read_bytes())
    rows_columns = None
    try:
        dataset = pydicom.dcmread(path, stop_before_pixels=True)
        rows_columns = (int(dataset.Rows), int(dataset.Columns))
    except Exception:
        pass
    size = rows_columns[1] if rows_columns and rows_columns[0] == rows_columns[1] else 64
    result = subprocess.run([salient, "--log-level", "warn", "pack", "--dicom", folder, "--labels", "Finding",
                             "--size", str(max(size, 8)), "--out", work / "pool", "--threads", "1"],
                            capture_output=True, text=True)
    return result, max(size, 8)


def packed_pixels(pool):
    manifest = json.loads((pool / "pool.json").read_text())
    with h5py.File(pool / manifest["shards"][0]["path"], "r") as shard:
        return shard["images"][0].astype(np.float64)


def main():
    salient = sys.argv[1]
    warnings.simplefilter("ignore")
    failures, table = [], []
    for number, path in enumerate(files()):
        name = str(path.relative_to(TEST_FILES))
        try:
            dataset = pydicom.dcmread(path)
        except Exception as error:  # no preamble and no meta: not a DICOM file for either reader
            dataset, why = None, type(error).__name__
        with tempfile.TemporaryDirectory() as temp:
            result, size = pack(salient, path, Path(temp))
            message = (result.stdout + result.stderr).strip().splitlines()
            message = message[-1] if message else ""
            if dataset is None:
                outcome = "refused" if result.returncode != 0 else "PACKED"
                if result.returncode == 0:
                    failures.append(f"{name}: pydicom cannot read it ({why}), salient packed it")
                table.append((name, "-", outcome))
                continue
            syntax = dataset.file_meta.get("TransferSyntaxUID")
            syntax_name = syntax.name if syntax else "?"
            decodes = True
            if "PixelData" in dataset:
                try:
                    dataset.pixel_array
                except Exception:
                    decodes = False
            reference_dataset = dataset
            if name in FIXED_VERSION:
                reference_dataset = pydicom.dcmread(TEST_FILES / FIXED_VERSION[name])
                decodes = True
            refusal = expected_refusal(dataset, decodes)
            if refusal is not None:
                if result.returncode == 0:
                    failures.append(f"{name}: packed, but should be refused ({refusal[0] or 'pydicom cannot decode it'})")
                elif not any(reason in message for reason in refusal):
                    failures.append(f"{name}: refused without saying '{refusal[0]}': {message}")
                table.append((name, syntax_name, f"refused: {refusal[0] or 'undecodable'}"))
                continue
            if result.returncode != 0:
                failures.append(f"{name} ({syntax_name}): refused, pydicom decodes it: {message}")
                table.append((name, syntax_name, "REFUSED"))
                continue
            expected = reference(reference_dataset)
            tolerance = 1.0
            if expected.shape != (size, size):
                # salient resizes DCMTK's output (within 1 of the reference): the triangle filter's
                # weights are positive, so the resized values stay within 1, and are rounded once more.
                plane = Image.fromarray(expected.astype(np.float32), mode="F")
                expected = np.asarray(plane.resize((size, size), resample=Image.Resampling.BILINEAR), np.float64)
                tolerance = 1.5
            worst = np.abs(packed_pixels(Path(temp) / "pool") - expected).max()
            if worst > tolerance + 1e-9:
                failures.append(f"{name} ({syntax_name}): packed pixels differ from pydicom's by up to {worst:.2f}")
            table.append((name, syntax_name, f"packed, max |salient - pydicom| = {worst:.2f}"
                          + (f" (reference: {FIXED_VERSION[name]})" if name in FIXED_VERSION else "")))
    for row in table:
        print(" | ".join(row))
    packed = sum(row[2].startswith("packed") for row in table)
    print(f"{len(table)} files: {packed} packed equal to pydicom within 1 (1.5 resized), {len(table) - packed} refused")
    if failures:
        sys.exit("\n".join(["FAILED:", *failures]))


if __name__ == "__main__":
    main()
