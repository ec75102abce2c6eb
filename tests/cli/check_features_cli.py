#!/usr/bin/env python3
"""`salient features` end to end against PyRadiomics 3.0.1.

Random float64 maps and uint8 masks are written to HDF5; `salient --device cpu features` runs
on them (binWidth, both families), and every column is compared with PyRadiomics computed
here on the same float64 images: RadiomicsFirstOrder (ideal_Kurtosis against its Kurtosis),
and RadiomicsShape2D on the map binarised at the masked values' 0.7 quantile (numpy.quantile
in float64). Agreement: 1e-9 relative (1e-12 absolute for values that are 0), which only a
computation in double reaches. A map with an empty mask and a constant map must come back NaN
with their reasons. A second run on the same maps as float32, without masks and with binCount,
compares with PyRadiomics on the float32 images; a third, with --device auto, must keep float64
maps on the CPU and write the first run's CSV byte for byte.

The alignment family (maps against expert ROI masks, --roi) is checked first, on maps whose
values are derived by hand, and needs no PyRadiomics.

usage: check_features_cli.py SALIENT   (fails, naming the reason, when PyRadiomics cannot be
imported: scripts/install-deps.sh installs it)
"""
import csv
import logging
import math
import subprocess
import sys
import tempfile

import h5py
import numpy as np

RELATIVE, ABSOLUTE = 1e-9, 1e-12
QUANTILE = 0.7
EMPTY_MASK_ROW, CONSTANT_ROW = 5, 9


def salient_features(salient, device, args, out):
    subprocess.run([salient, "--device", device, "features", *args, "--out", out], check=True)
    with open(out) as f:
        return list(csv.DictReader(f))


def make_maps(rng, n, h, w):
    y, x = np.mgrid[0:h, 0:w]
    maps = np.empty((n, h, w))
    for i in range(n):
        if i % 3 == 0:  # saliency-like: Gaussian blobs and a little noise
            m = rng.normal(0, 0.02, size=(h, w))
            for _ in range(3):
                cy, cx, s = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(2, 8)
                m += rng.uniform(0.3, 1.0) * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * s * s))
        elif i % 3 == 1:
            m = rng.normal(0.3, 2.0, size=(h, w))
        else:  # a large offset: float32 would lose the digits that float64 keeps
            m = rng.normal(1000.0, 3.0, size=(h, w))
        maps[i] = m
    masks = (rng.random((n, h, w)) < rng.uniform(0.6, 1.0, size=(n, 1, 1))).astype(np.uint8)
    masks[EMPTY_MASK_ROW] = 0
    maps[CONSTANT_ROW] = 0.625
    return maps, masks


def pyradiomics_features(image, mask, settings):
    """PyRadiomics' first-order and shape2D features of one 2-D map, by salient's column names."""
    import SimpleITK as sitk
    from radiomics import firstorder, shape2D

    inside = mask.astype(bool)
    first = firstorder.RadiomicsFirstOrder(sitk.GetImageFromArray(image[None]),
                                           sitk.GetImageFromArray(mask[None].astype(np.uint8)), **settings)
    first.enableAllFeatures()
    first.enableFeatureByName("StandardDeviation")
    values = {"firstorder_" + k: float(np.asarray(v).ravel()[0]) for k, v in first.execute().items()}
    values["ideal_Kurtosis"] = values["firstorder_Kurtosis"]
    threshold = np.quantile(image[inside].astype(np.float64), QUANTILE)
    shape = (inside & (image.astype(np.float64) >= threshold)).astype(np.uint8)
    sh = shape2D.RadiomicsShape2D(sitk.GetImageFromArray(image), sitk.GetImageFromArray(shape))
    sh.enableAllFeatures()
    sh.enableFeatureByName("SphericalDisproportion")
    values.update({"shape2D_" + k: float(np.asarray(v).ravel()[0]) for k, v in sh.execute().items()})
    return values


def agree(got, want):
    if math.isnan(want):
        return math.isnan(got)
    return abs(got - want) <= RELATIVE * abs(want) + ABSOLUTE


def compare(rows, maps, masks, settings, special_rows):
    feature_columns = [c for c in rows[0] if c != "index" and not c.endswith("_reason")]
    compared = 0
    for i, row in enumerate(rows):
        assert int(row["index"]) == i, row["index"]
        if i in special_rows:
            continue
        assert row["firstorder_reason"] == "", (i, row["firstorder_reason"])
        want = pyradiomics_features(maps[i], masks[i], settings)
        for name in feature_columns:
            got = float(row[name])
            assert agree(got, want[name]), f"map {i}, {name}: salient {got!r}, PyRadiomics {want[name]!r}"
            compared += 1
        if math.isnan(want["shape2D_Elongation"]):
            assert row["shape2D_reason"] == "degenerate_shape", row["shape2D_reason"]
    return compared, len(feature_columns)


def check_special_rows(rows):
    empty = rows[EMPTY_MASK_ROW]
    assert empty["firstorder_reason"] == "empty_mask" and empty["shape2D_reason"] == "empty_mask", empty
    assert all(v == "nan" for k, v in empty.items() if k != "index" and not k.endswith("_reason")), empty
    constant = rows[CONSTANT_ROW]
    assert constant["firstorder_reason"] == "constant_map", constant
    for name in ("firstorder_Skewness", "firstorder_Kurtosis", "ideal_Kurtosis"):
        assert constant[name] == "nan", (name, constant[name])
    assert float(constant["firstorder_Variance"]) == 0.0 and float(constant["firstorder_Mean"]) == 0.625, constant


def texture_classes():
    """The PyRadiomics class of each texture family of `salient features`, with the extra
    command-line arguments and PyRadiomics settings it is run with."""
    from radiomics import glcm, gldm, glrlm, glszm, ngtdm
    return {
        "glcm": (glcm.RadiomicsGLCM, ["--distances", "1,2"], {"distances": [1, 2]}),
        "glrlm": (glrlm.RadiomicsGLRLM, [], {}),
        "glszm": (glszm.RadiomicsGLSZM, [], {}),
        "gldm": (gldm.RadiomicsGLDM, [], {}),
        "ngtdm": (ngtdm.RadiomicsNGTDM, [], {}),
    }


def check_texture(salient, h5path, maps, masks, out, family):
    """`--families FAMILY` on float64 maps with masks: every column of a texture family against
    PyRadiomics' class, 1e-9 relative; GLCM's MCC 1e-6 (PyRadiomics takes it from a general
    eigen-solver). The empty mask's row is NaN with its reason, as is the flat map's for the
    GLCM and NGTDM features that are 0/0 there (tests/kernels compare those with PyRadiomics'
    arbitrary values)."""
    import SimpleITK as sitk
    feature_class, args, settings = texture_classes()[family]
    rows = salient_features(salient, "cpu", ["--in", h5path, "--maps", "maps", "--masks", "masks", "--families", family,
                                             "--bin-width", "0.25", *args], out)
    compared = 0
    for i, row in enumerate(rows):
        if i == EMPTY_MASK_ROW:
            assert row[family + "_reason"] == "empty_mask", row[family + "_reason"]
            continue
        if i == CONSTANT_ROW and family in ("glcm", "ngtdm"):  # 0/0 where PyRadiomics returns arbitrary values
            assert row[family + "_reason"] == "constant_map", row[family + "_reason"]
            continue
        features = feature_class(sitk.GetImageFromArray(maps[i][None]), sitk.GetImageFromArray(masks[i][None]),
                                 binWidth=0.25, force2D=True, **settings)
        features.enableAllFeatures()
        for name, value in features.execute().items():
            got, want = float(row[family + "_" + name]), float(np.asarray(value).ravel()[0])
            tolerance = 1e-6 if name == "MCC" else RELATIVE
            assert abs(got - want) <= tolerance * abs(want) + ABSOLUTE, f"map {i}, {family}_{name}: {got!r} vs {want!r}"
            compared += 1
    print(f"float64, masks, {family}: {compared} values agree with PyRadiomics")


def check_alignment(salient, tmp):
    """Three 4×4 maps, each 1 on its top-left 2×2 block and 0 elsewhere, against ROIs of the
    same block, of the opposite block, and none. The min-max scaled map G is the map itself
    and B = [G >= 0.5] the block. Same block: Dice |B∩R| = 4 → 2·4/(4+4) = 1, soft Dice
    2·ΣGR/(ΣG+|R|) = 1, every top pixel in R → AUPRC 1, pointing hit 1. Opposite block: Dice 0,
    soft Dice 0, no hit; AUPRC: the 4 top pixels hold no ROI pixel (recall 0), then all 16 at
    score 0 give recall 1 at precision 4/16, so 0.25. No ROI: roi_missing."""
    maps = np.zeros((3, 4, 4), np.float32)
    maps[:, :2, :2] = 1.0
    roi = np.zeros((3, 4, 4), np.uint8)
    roi[0, :2, :2] = 1
    roi[1, 2:, 2:] = 1
    path = f"{tmp}/alignment.h5"
    with h5py.File(path, "w") as h5:
        h5["maps"] = maps
        h5["roi"] = roi
    rows = salient_features(salient, "cpu", ["--in", path, "--maps", "maps", "--roi", "roi", "--families",
                                             "alignment"], f"{tmp}/alignment.csv")
    expected = [{"alignment_HardDice": 1.0, "alignment_SoftDice": 1.0, "alignment_AUPRC": 1.0,
                 "alignment_PointingHit": 1.0},
                {"alignment_HardDice": 0.0, "alignment_SoftDice": 0.0, "alignment_AUPRC": 0.25,
                 "alignment_PointingHit": 0.0}]
    for row, want in zip(rows, expected):
        assert row["alignment_reason"] == "", row
        for name, value in want.items():
            assert float(row[name]) == value, (row["index"], name, row[name], value)
    assert rows[2]["alignment_reason"] == "roi_missing" and rows[2]["alignment_HardDice"] == "nan", rows[2]
    refused = subprocess.run([salient, "features", "--in", path, "--maps", "maps", "--families", "alignment",
                              "--out", f"{tmp}/none.csv"], capture_output=True, text=True)
    assert refused.returncode != 0 and "--roi" in refused.stderr, refused.stderr
    print("alignment: hand-derived Dice, soft Dice, AUPRC and pointing hits; no --roi is refused")


def main(salient):
    with tempfile.TemporaryDirectory() as tmp:
        check_alignment(salient, tmp)
    try:
        import radiomics
        radiomics.setVerbosity(logging.ERROR)
    except Exception as error:  # noqa: BLE001 - any import failure means no reference
        sys.exit(f"PyRadiomics cannot be imported ({error!r}): run scripts/install-deps.sh")

    rng = np.random.default_rng(20261122)
    maps, masks = make_maps(rng, n=18, h=23, w=29)
    with tempfile.TemporaryDirectory() as tmp:
        h5path = f"{tmp}/maps.h5"
        with h5py.File(h5path, "w") as h5:
            h5["maps"] = maps
            h5["maps32"] = maps.astype(np.float32)
            h5["masks"] = masks

        double_args = ["--in", h5path, "--maps", "maps", "--masks", "masks", "--families", "firstorder,shape2D",
                       "--bin-width", "0.25", "--quantile", str(QUANTILE)]
        rows = salient_features(salient, "cpu", double_args, f"{tmp}/double.csv")
        check_special_rows(rows)
        compared, columns = compare(rows, maps, masks, {"binWidth": 0.25}, {EMPTY_MASK_ROW, CONSTANT_ROW})
        print(f"float64, masks, binWidth: {compared} values ({columns} columns) agree with PyRadiomics")

        salient_features(salient, "auto", double_args, f"{tmp}/auto.csv")
        with open(f"{tmp}/double.csv", "rb") as a, open(f"{tmp}/auto.csv", "rb") as b:
            assert a.read() == b.read(), "--device auto must compute float64 maps on the CPU, in double"

        for family in texture_classes():
            check_texture(salient, h5path, maps, masks, f"{tmp}/{family}.csv", family)

        single_args = ["--in", h5path, "--maps", "maps32", "--families", "shape2D,firstorder", "--bin-count", "16"]
        rows = salient_features(salient, "cpu", single_args, f"{tmp}/single.csv")
        header = list(rows[0])
        assert header[1] == "shape2D_MeshSurface" and header[11] == "shape2D_reason", header[:12]
        maps32 = maps.astype(np.float32)
        everywhere = np.ones(maps.shape, np.uint8)
        compared, columns = compare(rows, maps32, everywhere, {"binCount": 16}, {CONSTANT_ROW})
        print(f"float32, no masks, binCount: {compared} values ({columns} columns) agree with PyRadiomics")


if __name__ == "__main__":
    main(sys.argv[1])
