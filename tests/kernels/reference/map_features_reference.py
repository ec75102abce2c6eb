"""Reference values for salient's binning, first-order, shape2D and alignment kernels.

Writes random maps and the values that independent implementations compute from them to a
JSON file that tests/kernels/test_map_features_reference.cpp reads:
  binning      radiomics.imageoperations.binImage (PyRadiomics 3.0.1's own code)
  first-order  radiomics.firstorder.RadiomicsFirstOrder; scipy.stats.kurtosis(fisher=False)
               and numpy.percentile for ideal_Kurtosis and the percentiles
  (binning, first-order and shape2D on float32 maps, and again on float64 maps, which
  PyRadiomics bins and measures in double)
  shape2D      radiomics.shape2D.RadiomicsShape2D on the binarised map; skimage.measure.regionprops
  alignment    torch.nn.functional.interpolate (bilinear, align_corners=False) and numpy Dice;
               sklearn.metrics.average_precision_score of the upsampled map evaluated in
               PyTorch's formula order (upsampled_in_formula_order says why); these need no
               PyRadiomics and are drawn from a generator of their own
When PyRadiomics (or scikit-learn) cannot be imported the file records why
("pyradiomics_missing", "sklearn_missing"), and the C++ tests that compare with it fail with
that reason: they never skip, and the build never stops for a missing reference.

usage: map_features_reference.py OUTPUT.json
"""
import json
import logging
import sys

import numpy as np

SEED = 20261122


def as_list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def smooth_map(rng, h, w, blobs=3, dtype=np.float32):
    """A saliency-like map: a few Gaussian blobs plus a little noise."""
    y, x = np.mgrid[0:h, 0:w]
    m = np.zeros((h, w))
    for _ in range(blobs):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        s = rng.uniform(1.5, max(2.0, min(h, w) / 3))
        m += rng.uniform(0.3, 1.0) * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * s * s))
    m += rng.normal(0, 0.02, size=(h, w))
    return m.astype(dtype)


def image(a):
    import SimpleITK as sitk
    return sitk.GetImageFromArray(a)


def first_order_cases(rng, dtype=np.float32, count=48):
    """Maps of dtype; PyRadiomics bins and measures float32 images in float32 steps, float64
    images in float64."""
    from radiomics import firstorder, imageoperations
    from scipy import stats

    cases = []
    specs = [("width", 25.0), ("width", 0.1), ("width", 0.05), ("width", 0.25), ("width", 3.0), ("width", 1.0 / 3),
             ("count", 16), ("count", 64), ("count", 5), ("count", 256)]
    for index in range(count):
        h, w = int(rng.integers(5, 40)), int(rng.integers(5, 40))
        kind, value = specs[index % len(specs)]
        style = index % 6
        if style == 0:
            m = rng.normal(0.3, 2.0, size=(h, w)).astype(dtype)
        elif style == 1:
            m = smooth_map(rng, h, w, dtype=dtype)
        elif style == 2:  # values exactly on binWidth edges and repeated: digitize ties
            step = value if kind == "width" else 0.25
            m = (rng.integers(-20, 20, size=(h, w)) * dtype(step)).astype(dtype)
        elif style == 3:  # large offset: the rounding of the edges matters
            m = (rng.normal(0, 50, size=(h, w)) + 1000.0).astype(dtype)
        elif style == 4:  # negative values: Python's float modulo
            m = (-np.abs(rng.normal(3, 10, size=(h, w)))).astype(dtype)
        else:
            m = rng.uniform(0, 255, size=(h, w)).round().astype(dtype)
        mask = (rng.random((h, w)) < rng.uniform(0.3, 1.0)).astype(np.uint8)
        mask.flat[int(rng.integers(0, h * w))] = 1
        mask.flat[int(rng.integers(0, h * w))] = 1
        masked = m[mask.astype(bool)]
        if masked.min() == masked.max():
            continue
        settings = {"binWidth": value} if kind == "width" else {"binCount": int(value)}
        levels, _ = imageoperations.binImage(m.copy(), mask.astype(bool), **settings)
        img, msk = image(m[None]), image(mask[None])
        fo = firstorder.RadiomicsFirstOrder(img, msk, **settings)
        fo.enableAllFeatures()
        fo.enableFeatureByName("StandardDeviation")
        values = {("firstorder_" + k): float(np.asarray(v).ravel()[0]) for k, v in fo.execute().items()}
        x = masked.astype(np.float64)
        cases.append({
            "h": h, "w": w, "map": as_list(m), "mask": [int(v) for v in mask.ravel()],
            "bin_kind": kind, "bin_value": float(value),
            "levels": [int(v) for v in np.where(mask.astype(bool), levels, 0).ravel()],
            "gray_levels": int(levels[mask.astype(bool)].max()),
            "pyradiomics": values,
            "scipy_kurtosis": float(stats.kurtosis(x, fisher=False)),
            "numpy_percentiles": {str(q): float(np.percentile(x, q)) for q in (10, 25, 50, 75, 90)},
        })
    return cases


def shape_cases(rng, dtype=np.float32, count=40):
    from radiomics import shape2D
    from skimage import measure

    cases = []
    for index in range(count):
        h, w = int(rng.integers(4, 48)), int(rng.integers(4, 48))
        m = smooth_map(rng, h, w, blobs=int(rng.integers(1, 4)), dtype=dtype) if index % 3 else \
            rng.normal(size=(h, w)).astype(dtype)
        mask = np.ones((h, w), np.uint8) if index % 4 else (rng.random((h, w)) < 0.8).astype(np.uint8)
        mask.flat[int(rng.integers(0, h * w))] = 1
        quantile = [0.7, 0.5, 0.9, 0.95][index % 4]
        threshold = float(np.quantile(m[mask.astype(bool)].astype(np.float64), quantile))
        shape = (mask.astype(bool) & (m.astype(np.float64) >= threshold)).astype(np.uint8)
        sh = shape2D.RadiomicsShape2D(image(m), image(shape))
        sh.enableAllFeatures()
        sh.enableFeatureByName("SphericalDisproportion")
        values = {("shape2D_" + k): float(np.asarray(v).ravel()[0]) for k, v in sh.execute().items()}
        props = measure.regionprops(shape.astype(np.int32))[0]
        cases.append({
            "h": h, "w": w, "map": as_list(m), "mask": [int(v) for v in mask.ravel()],
            "quantile": quantile, "threshold": threshold,
            "pyradiomics": values,
            "skimage": {"area": float(props.area), "axis_major_length": float(props.axis_major_length),
                        "axis_minor_length": float(props.axis_minor_length)},
        })
    return cases


def bilinear_taps(out_size, in_size):
    """PyTorch's bilinear source taps along one axis (aten/src/ATen/native/UpSample.h,
    align_corners=False): src = max(0, (in/out)(i + 0.5) - 0.5), i0 = floor(src),
    i1 = min(i0 + 1, in - 1), lambda = src - i0."""
    src = np.maximum((in_size / out_size) * (np.arange(out_size) + 0.5) - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    return i0, np.minimum(i0 + 1, in_size - 1), np.clip(src - i0, 0.0, 1.0)


def upsampled_in_formula_order(m, rh, rw):
    """U = (1 - ly)((1 - lx) x00 + lx x01) + ly((1 - lx) x10 + lx x11), every operation one
    rounded double (numpy ufuncs). torch's CPU kernel groups the same terms otherwise, and
    its U differs in the last bits (checked below): harmless for Dice, but rounded to float32
    (the scores AUPRC and the pointing hit rank, where equal values tie) a few values in a
    thousand fall on the other side of a float32 rounding boundary, which splits or joins
    ties. The ranking reference therefore evaluates the formula in its written order."""
    y0, y1, ly = bilinear_taps(rh, m.shape[0])
    x0, x1, lx = bilinear_taps(rw, m.shape[1])
    x = m.astype(np.float64)
    top = (1.0 - lx)[None, :] * x[y0][:, x0] + lx[None, :] * x[y0][:, x1]
    bottom = (1.0 - lx)[None, :] * x[y1][:, x0] + lx[None, :] * x[y1][:, x1]
    return (1.0 - ly)[:, None] * top + ly[:, None] * bottom


def alignment_cases(rng):
    import torch
    from sklearn.metrics import average_precision_score

    cases = []
    for index in range(24):
        gh, gw = int(rng.integers(3, 15)), int(rng.integers(3, 15))
        rh, rw = int(rng.integers(gh, 64)), int(rng.integers(gw, 64))
        m = rng.normal(size=(gh, gw)).astype(np.float32)
        if index % 5 == 4:  # ties in the scores: a plateau of maxima
            m = np.round(m).astype(np.float32)
        roi = np.zeros((rh, rw), np.uint8)
        y0, x0 = int(rng.integers(0, rh - 2)), int(rng.integers(0, rw - 2))
        roi[y0:int(rng.integers(y0 + 1, rh)), x0:int(rng.integers(x0 + 1, rw))] = 1
        u = torch.nn.functional.interpolate(torch.from_numpy(m).double()[None, None], size=(rh, rw),
                                            mode="bilinear", align_corners=False)[0, 0].numpy()
        ordered = upsampled_in_formula_order(m, rh, rw)
        assert np.allclose(ordered, u, rtol=0, atol=1e-13), np.abs(ordered - u).max()
        g = (u - u.min()) / (u.max() - u.min())
        r = roi.astype(np.float64)
        tau = 0.5
        b = (g >= tau).astype(np.float64)
        # AUPRC and the pointing hit rank U rounded to float32 (the map's precision), so values
        # that are equal up to double rounding tie, as in salient's kernel.
        tied = ordered.astype(np.float32)
        cases.append({
            "map_h": gh, "map_w": gw, "roi_h": rh, "roi_w": rw, "map": as_list(m),
            "roi": [int(v) for v in roi.ravel()], "tau": tau,
            "hard_dice": float(2 * (b * r).sum() / (b.sum() + r.sum())),
            "soft_dice": float(2 * (g * r).sum() / (g.sum() + r.sum())),
            "auprc": float(average_precision_score(roi.ravel().astype(np.int64), tied.ravel())),
            "pointing_hit": float(bool(roi[tied == tied.max()].any())),
        })
    return cases


def main():
    out = {"seed": SEED}
    try:
        out["alignment"] = alignment_cases(np.random.default_rng(SEED + 1))
    except ImportError as error:  # the C++ test fails with this reason
        out["sklearn_missing"] = f"{error!r}: run scripts/install-deps.sh"
    try:
        import radiomics
        radiomics.setVerbosity(logging.ERROR)
        out["pyradiomics_version"] = radiomics.__version__
    except Exception as error:  # the C++ tests fail with this reason
        out["pyradiomics_missing"] = f"PyRadiomics cannot be imported ({error!r}): run scripts/install-deps.sh"
    else:
        rng = np.random.default_rng(SEED)
        out["first_order"] = first_order_cases(rng)
        out["shape2d"] = shape_cases(rng)
        out["first_order_float64"] = first_order_cases(rng, np.float64, 30)
        out["shape2d_float64"] = shape_cases(rng, np.float64, 20)
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
