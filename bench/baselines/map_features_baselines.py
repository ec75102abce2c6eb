"""Baselines for bench/bench_map_features.cpp: the same computations on the same kind of
320x320 float32 saliency maps in PyRadiomics and in numpy/scipy/scikit-image/PyTorch, one
process on one core (pin it with taskset -c K for a per-core figure). Each is called once on
one map before it is timed (imports, first-call caches). Prints maps per second per core for
each, as a Markdown table.

usage: map_features_baselines.py [MAPS]   (default 16 maps; PyRadiomics shape2D is O(V^2))
"""
import logging
import sys
import time

import numpy as np

SIDE, CAM = 320, 14


def saliency_maps(n, side, seed=7):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:side, 0:side]
    maps = rng.normal(0, 0.02, size=(n, side, side))
    for i in range(n):
        for _ in range(3):
            cy, cx, s = rng.uniform(0, side), rng.uniform(0, side), 5 + rng.uniform(0, side / 6)
            maps[i] += np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * s * s))
    return maps.astype(np.float32)


def first_order_numpy(m, bin_width=0.01):
    x = m.ravel().astype(np.float64)
    low = np.float32(x.min()) - np.float32(x.min()) % bin_width
    edges = np.arange(low, x.max() + 2 * bin_width, bin_width)
    _, counts = np.unique(np.digitize(x, edges), return_counts=True)
    p = counts / x.size
    from scipy import stats
    p10, p25, p50, p75, p90 = np.percentile(x, [10, 25, 50, 75, 90])
    mean = x.mean()
    robust = x[(x >= p10) & (x <= p90)]
    return [np.sum(x ** 2), -np.sum(p * np.log2(p + np.spacing(1))), x.min(), p10, p90, x.max(), mean,
            np.median(x), p75 - p25, x.max() - x.min(), np.mean(np.abs(x - mean)),
            np.mean(np.abs(robust - robust.mean())), np.sqrt(np.mean(x ** 2)), x.std(), stats.skew(x),
            stats.kurtosis(x, fisher=False), x.var(), np.sum(p ** 2)]


def shape_numpy(m, q=0.7):
    from skimage import measure
    shape = m >= np.quantile(m.astype(np.float64), q)
    props = measure.regionprops(shape.astype(np.int32))[0]
    contours = measure.find_contours(np.pad(shape, 1).astype(np.float64), 0.5)
    vertices = np.concatenate(contours)
    from scipy.spatial import ConvexHull
    from scipy.spatial.distance import pdist
    hull = vertices[ConvexHull(vertices).vertices]
    return [props.area, props.perimeter, props.axis_major_length, props.axis_minor_length, pdist(hull).max()]


def alignment_torch_numpy(cam, roi, tau=0.5):
    import torch
    u = torch.nn.functional.interpolate(torch.from_numpy(cam).double()[None, None], size=roi.shape,
                                        mode="bilinear", align_corners=False)[0, 0].numpy()
    g = (u - u.min()) / (u.max() - u.min())
    r = roi.astype(np.float64)
    b = g >= tau
    order = np.argsort(-u.ravel(), kind="stable")
    s, y = u.ravel()[order], r.ravel()[order]
    last = np.r_[np.diff(s) != 0, True]
    tp = np.cumsum(y)[last]
    precision, recall = tp / (np.arange(1, s.size + 1))[last], tp / y.sum()
    return [2 * (b * r).sum() / (b.sum() + r.sum()), 2 * (g * r).sum() / (g.sum() + r.sum()),
            np.sum(np.diff(np.r_[0.0, recall]) * precision), float(roi.ravel()[np.argmax(u)])]


def pyradiomics(maps, feature_class, **settings):
    import SimpleITK as sitk
    import radiomics
    radiomics.setVerbosity(logging.ERROR)
    for m in maps:
        if feature_class.__name__ == "RadiomicsShape2D":
            mask = (m >= np.quantile(m.astype(np.float64), 0.7)).astype(np.uint8)
            f = feature_class(sitk.GetImageFromArray(m), sitk.GetImageFromArray(mask), **settings)
        else:
            f = feature_class(sitk.GetImageFromArray(m[None]), sitk.GetImageFromArray(np.ones((1,) + m.shape, np.uint8)),
                              **settings)
        f.enableAllFeatures()
        f.execute()


def rate(run, n, warm_up):
    """Maps per second of run() over n maps, after warm_up() (imports, first-call caches)."""
    warm_up()
    start = time.perf_counter()
    run()
    return n / (time.perf_counter() - start)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    maps = saliency_maps(n, SIDE)
    cams = saliency_maps(n, CAM, seed=8)
    rois = np.zeros((n, SIDE, SIDE), np.uint8)
    rois[:, 60:230, 40:200] = 1
    from radiomics import firstorder, shape2D
    few = max(2, n // 8)
    rows = [
        ("first-order", "numpy/scipy", rate(lambda: [first_order_numpy(m) for m in maps], n,
                                            lambda: first_order_numpy(maps[0]))),
        ("first-order", "PyRadiomics", rate(lambda: pyradiomics(maps, firstorder.RadiomicsFirstOrder, binWidth=0.01), n,
                                            lambda: pyradiomics(maps[:1], firstorder.RadiomicsFirstOrder, binWidth=0.01))),
        ("shape2D", "scikit-image/scipy", rate(lambda: [shape_numpy(m) for m in maps], n, lambda: shape_numpy(maps[0]))),
        ("shape2D", "PyRadiomics", rate(lambda: pyradiomics(maps[:few], shape2D.RadiomicsShape2D), few,
                                        lambda: pyradiomics(maps[:1], shape2D.RadiomicsShape2D))),
        ("alignment", "PyTorch/numpy", rate(lambda: [alignment_torch_numpy(c, r) for c, r in zip(cams, rois)], n,
                                            lambda: alignment_torch_numpy(cams[0], rois[0]))),
    ]
    print("| family | implementation | maps/s per core |")
    print("| --- | --- | --- |")
    for family, implementation, maps_per_s in rows:
        print(f"| {family} | {implementation} | {maps_per_s:.1f} |")


if __name__ == "__main__":
    main()
