"""Reference values for salient's GLCM kernel (tests/kernels/test_glcm_reference.cpp).

Writes random and smooth float32 maps with masks, bin settings and distances, and for each:
  pyradiomics  radiomics.glcm.RadiomicsGLCM (PyRadiomics 3.0.1's own code), all 24 features
  skimage      for full masks: skimage.feature.graycomatrix(symmetric, normed) + graycoprops
               (contrast, dissimilarity, homogeneity, ASM, correlation) on the levels of
               radiomics.imageoperations.binImage, averaged over the four angles
When PyRadiomics cannot be imported the file records why ("pyradiomics_missing"), and the C++
tests fail with that reason: they never skip.

usage: glcm_reference.py OUTPUT.json
"""
import sys

import numpy as np

from pyradiomics_reference import write_pyradiomics_reference

SEED = 20261123
FEATURES = ["Autocorrelation", "JointAverage", "ClusterProminence", "ClusterShade", "ClusterTendency", "Contrast",
            "Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance", "JointEnergy",
            "JointEntropy", "Imc1", "Imc2", "Idm", "MCC", "Idmn", "Id", "Idn", "InverseVariance",
            "MaximumProbability", "SumAverage", "SumEntropy", "SumSquares"]


def smooth_map(rng, h, w, blobs=3):
    """A saliency-like map: a few Gaussian blobs plus a little noise, float32."""
    y, x = np.mgrid[0:h, 0:w]
    m = np.zeros((h, w))
    for _ in range(blobs):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        s = rng.uniform(1.5, max(2.0, min(h, w) / 3))
        m += rng.uniform(0.3, 1.0) * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * s * s))
    m += rng.normal(0, 0.01, size=(h, w))
    return m.astype(np.float32)


def skimage_properties(levels, gray_levels):
    from skimage.feature import graycomatrix, graycoprops
    angles = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
    glcm = graycomatrix(levels.astype(np.int64), [1], angles, levels=gray_levels + 1, symmetric=True, normed=True)
    return {prop: float(np.mean(graycoprops(glcm, prop)))
            for prop in ("contrast", "dissimilarity", "homogeneity", "ASM", "correlation")}


def cases(rng):
    import SimpleITK as sitk
    from radiomics import glcm, imageoperations

    specs = [("count", 32), ("count", 64), ("width", 0.05), ("count", 8), ("count", 256), ("width", 0.25)]
    out = []
    for index in range(36):
        h, w = int(rng.integers(6, 40)), int(rng.integers(6, 40))
        kind, value = specs[index % len(specs)]
        smooth = index % 2 == 1
        m = smooth_map(rng, h, w) if smooth else rng.normal(0.3, 1.0, size=(h, w)).astype(np.float32)
        full = index % 3 == 0
        mask = np.ones((h, w), np.uint8) if full else (rng.random((h, w)) < rng.uniform(0.5, 0.95)).astype(np.uint8)
        distances = [1, 2] if index % 5 == 4 else [1]
        settings = {"binWidth": value} if kind == "width" else {"binCount": int(value)}
        levels, _ = imageoperations.binImage(m.copy(), mask.astype(bool), **settings)
        gray_levels = int(levels[mask.astype(bool)].max())
        features = glcm.RadiomicsGLCM(sitk.GetImageFromArray(m[None]), sitk.GetImageFromArray(mask[None]),
                                      distances=distances, **settings)
        features.enableAllFeatures()
        values = {("glcm_" + k): float(np.asarray(v).ravel()[0]) for k, v in features.execute().items()}
        case = {"h": h, "w": w, "map": [float(v) for v in m.ravel()], "mask": [int(v) for v in mask.ravel()],
                "bin_kind": kind, "bin_value": float(value), "distances": distances, "smooth": smooth,
                "pyradiomics": {("glcm_" + f): values["glcm_" + f] for f in FEATURES}}
        if full and distances == [1]:
            case["skimage"] = skimage_properties(levels, gray_levels)
        out.append(case)
    return out


if __name__ == "__main__":
    write_pyradiomics_reference(sys.argv[1], SEED, cases)
