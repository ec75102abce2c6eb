"""Reference values for salient's texture kernels GLRLM, GLSZM, GLDM and NGTDM
(tests/kernels/test_glrlm.cpp, test_glszm.cpp, test_gldm.cpp, test_ngtdm.cpp).

Writes random, smooth, flat and thin float32 maps (and float64 maps) with masks and bin
settings, and for each every feature of each family's PyRadiomics class
(radiomics.glrlm.RadiomicsGLRLM, glszm.RadiomicsGLSZM, gldm.RadiomicsGLDM, ngtdm.RadiomicsNGTDM:
PyRadiomics 3.0.1's own code, defaults: no distance weighting, gldm_a = 0, distance 1). When PyRadiomics cannot be imported the file
records why ("pyradiomics_missing"), and the C++ tests fail with that reason: they never skip.

usage: texture_reference.py OUTPUT.json
"""
import sys

import numpy as np

from pyradiomics_reference import write_pyradiomics_reference

SEED = 20261206
GLRLM = ["ShortRunEmphasis", "LongRunEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
            "RunLengthNonUniformity", "RunLengthNonUniformityNormalized", "RunPercentage", "GrayLevelVariance",
            "RunVariance", "RunEntropy", "LowGrayLevelRunEmphasis", "HighGrayLevelRunEmphasis",
            "ShortRunLowGrayLevelEmphasis", "ShortRunHighGrayLevelEmphasis", "LongRunLowGrayLevelEmphasis",
            "LongRunHighGrayLevelEmphasis"]
GLDM = ["SmallDependenceEmphasis", "LargeDependenceEmphasis", "GrayLevelNonUniformity", "DependenceNonUniformity",
        "DependenceNonUniformityNormalized", "GrayLevelVariance", "DependenceVariance", "DependenceEntropy",
        "LowGrayLevelEmphasis", "HighGrayLevelEmphasis", "SmallDependenceLowGrayLevelEmphasis",
        "SmallDependenceHighGrayLevelEmphasis", "LargeDependenceLowGrayLevelEmphasis",
        "LargeDependenceHighGrayLevelEmphasis"]
GLSZM = ["SmallAreaEmphasis", "LargeAreaEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
         "SizeZoneNonUniformity", "SizeZoneNonUniformityNormalized", "ZonePercentage", "GrayLevelVariance",
         "ZoneVariance", "ZoneEntropy", "LowGrayLevelZoneEmphasis", "HighGrayLevelZoneEmphasis",
         "SmallAreaLowGrayLevelEmphasis", "SmallAreaHighGrayLevelEmphasis", "LargeAreaLowGrayLevelEmphasis",
         "LargeAreaHighGrayLevelEmphasis"]
NGTDM = ["Coarseness", "Contrast", "Busyness", "Complexity", "Strength"]


def smooth_map(rng, h, w, dtype):
    """A saliency-like map: a few Gaussian blobs plus a little noise."""
    y, x = np.mgrid[0:h, 0:w]
    m = np.zeros((h, w))
    for _ in range(3):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        s = rng.uniform(1.5, max(2.0, min(h, w) / 3))
        m += rng.uniform(0.3, 1.0) * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * s * s))
    m += rng.normal(0, 0.01, size=(h, w))
    return m.astype(dtype)


def cases(rng):
    import SimpleITK as sitk
    from radiomics import gldm, glrlm, glszm, ngtdm
    families = {"glrlm": (glrlm.RadiomicsGLRLM, GLRLM), "glszm": (glszm.RadiomicsGLSZM, GLSZM),
                "gldm": (gldm.RadiomicsGLDM, GLDM),
                "ngtdm": (ngtdm.RadiomicsNGTDM, NGTDM)}

    specs = [("count", 32), ("count", 8), ("width", 0.05), ("count", 64), ("width", 0.25), ("count", 3)]
    out = []
    for index in range(40):
        dtype = np.float64 if index % 4 == 3 else np.float32
        if index < 4:  # one row, one column, two rows and a flat map: the angles that exist
            h, w = [(1, 17), (13, 1), (2, 9), (7, 6)][index]
        else:
            h, w = int(rng.integers(4, 40)), int(rng.integers(4, 40))
        kind, value = specs[index % len(specs)]
        style = "flat" if index == 3 else ("smooth" if index % 2 else "random")
        if style == "flat":
            m = np.full((h, w), 0.75, dtype)
        elif style == "smooth":
            m = smooth_map(rng, h, w, dtype)
        else:
            m = rng.normal(0.3, 1.0, size=(h, w)).astype(dtype)
        full = index % 3 == 0
        mask = np.ones((h, w), np.uint8) if full else (rng.random((h, w)) < rng.uniform(0.5, 0.95)).astype(np.uint8)
        mask.flat[int(rng.integers(0, h * w))] = 1
        settings = {"binWidth": value} if kind == "width" else {"binCount": int(value)}
        case = {"h": h, "w": w, "float64": dtype == np.float64, "style": style,
                "map": [float(v) for v in m.ravel()], "mask": [int(v) for v in mask.ravel()],
                "bin_kind": kind, "bin_value": float(value), "pyradiomics": {}}
        for family, (feature_class, names) in families.items():
            features = feature_class(sitk.GetImageFromArray(m[None]), sitk.GetImageFromArray(mask[None]), **settings)
            features.enableAllFeatures()
            values = {k: float(np.asarray(v).ravel()[0]) for k, v in features.execute().items()}
            assert sorted(values) == sorted(names), (family, sorted(values))
            case["pyradiomics"].update({f"{family}_{f}": values[f] for f in names})
        out.append(case)
    return out


if __name__ == "__main__":
    write_pyradiomics_reference(sys.argv[1], SEED, cases)
