"""CPU baseline for bench/bench_glcm.cpp: scikit-image graycomatrix + graycoprops (its six
properties: contrast, dissimilarity, homogeneity, ASM, energy, correlation) on the same kind
of 320x320 float32 saliency maps, binned like PyRadiomics' binCount (numpy.histogram edges,
numpy.digitize), distance 1, the four angles, symmetric and normalised. One process, one core.
Prints maps per second per core as a Markdown table.

usage: glcm_baselines.py [MAPS]   (default 16)
"""
import sys
import time

import numpy as np

from map_features_baselines import saliency_maps

PROPERTIES = ("contrast", "dissimilarity", "homogeneity", "ASM", "energy", "correlation")


def levels_of(m, bins):
    """PyRadiomics binCount levels 1..bins (binning.h)."""
    edges = np.histogram(m.ravel(), bins)[1]
    edges[-1] += 1
    return np.digitize(m, edges)


def skimage_glcm(m, bins):
    from skimage.feature import graycomatrix, graycoprops
    glcm = graycomatrix(levels_of(m, bins).astype(np.uint8), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4],
                        levels=bins + 1, symmetric=True, normed=True)
    return [float(np.mean(graycoprops(glcm, p))) for p in PROPERTIES]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    maps = saliency_maps(n, 320)
    print("| bins | implementation | features | maps/s per core |")
    print("| --- | --- | --- | --- |")
    for bins in (32, 64):
        skimage_glcm(maps[0], bins)  # warm-up: imports and first-call costs are not timed
        start = time.perf_counter()
        for m in maps:
            skimage_glcm(m, bins)
        rate = n / (time.perf_counter() - start)
        print(f"| {bins} | scikit-image graycomatrix + graycoprops | 6 | {rate:.1f} |")


if __name__ == "__main__":
    main()
