"""CPU baseline for bench/bench_texture.cpp: PyRadiomics 3.0.1's GLRLM, GLSZM, GLDM and NGTDM
classes (all features, binCount 32, whole-map mask) on the same kind of 320x320 float32
saliency maps. One process, one core. Prints maps per second per core as a Markdown table.

usage: texture_baselines.py [MAPS]   (default 8)
"""
import logging
import sys
import time

import numpy as np

from map_features_baselines import saliency_maps


def main():
    import SimpleITK as sitk
    import radiomics
    from radiomics import gldm, glrlm, glszm, ngtdm
    radiomics.setVerbosity(logging.ERROR)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    maps = saliency_maps(n, 320)
    mask = sitk.GetImageFromArray(np.ones((1, 320, 320), np.uint8))
    print("| family | implementation | features | maps/s per core |")
    print("| --- | --- | --- | --- |")
    for name, feature_class in (("glrlm", glrlm.RadiomicsGLRLM), ("glszm", glszm.RadiomicsGLSZM),
                                ("gldm", gldm.RadiomicsGLDM), ("ngtdm", ngtdm.RadiomicsNGTDM)):
        def features(m):
            extractor = feature_class(sitk.GetImageFromArray(m[None]), mask, binCount=32)
            extractor.enableAllFeatures()
            return extractor.execute()
        count = len(features(maps[0]))  # warm-up: imports and first-call costs are not timed
        start = time.perf_counter()
        for m in maps:
            features(m)
        rate = n / (time.perf_counter() - start)
        print(f"| {name} | PyRadiomics {radiomics.__version__} | {count} | {rate:.1f} |")


if __name__ == "__main__":
    main()
