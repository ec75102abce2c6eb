"""The same-run comparison of docs/benchmarks.md "Map features against every peer": first-order
(PyRadiomics' 19 and IDEAL's kurtosis) together with GLCM (24 features) of the same float32
saliency-like maps, whole-map mask, binWidth 0.05, on one core, by each implementation a user
could pick:
  salient                  `salient features --families firstorder,glcm --bin-width 0.05` on an
                           HDF5 file of the maps: the whole process (start-up, reading, CSV)
  PyRadiomics 3.0.1        RadiomicsFirstOrder and RadiomicsGLCM, map by map
  fastrad 1.0.0            FeatureExtractor(firstorder, glcm) on the CPU with one PyTorch thread,
                           each map a 1×H×W volume (its GLCM is the 3-D one: it is not
                           PyRadiomics' 2-D GLCM, so only its time is compared)
  numpy + scikit-image     18 first-order statistics (numpy, scipy.stats) and graycomatrix +
                           graycoprops (6 properties): less work than the others
This process pins itself to one core (salient's process inherits it) and warms each Python peer
on one map before timing it. Every run checks that salient's values equal PyRadiomics' on the
maps (relative 1e-9), so the times compare the same work. Prints milliseconds per map and
salient's speed-up over each peer as a Markdown table. --quick: 4 maps of 64×64, for a smoke
test that every peer runs and agrees (its times mean nothing).

usage: feature_peers.py SALIENT [--quick] [--maps N] [--side S]
"""
import argparse
import csv
import logging
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

from glcm_baselines import PROPERTIES
from map_features_baselines import first_order_numpy, saliency_maps

BIN_WIDTH = 0.05


def pyradiomics_features(m):
    import SimpleITK as sitk
    from radiomics import firstorder, glcm
    image = sitk.GetImageFromArray(m[None])
    mask = sitk.GetImageFromArray(np.ones((1,) + m.shape, np.uint8))
    values = {}
    for family, feature_class in (("firstorder", firstorder.RadiomicsFirstOrder), ("glcm", glcm.RadiomicsGLCM)):
        extractor = feature_class(image, mask, binWidth=BIN_WIDTH, force2D=True)
        extractor.enableAllFeatures()
        values.update({f"{family}_{name}": float(value) for name, value in extractor.execute().items()})
    return values


def fastrad_features(m):
    import torch
    from fastrad import FeatureExtractor, FeatureSettings, Mask, MedicalImage
    settings = FeatureSettings(feature_classes=["firstorder", "glcm"], bin_width=BIN_WIDTH, device="cpu")
    volume = torch.from_numpy(m[None].astype(np.float32))
    return FeatureExtractor(settings).extract(MedicalImage(volume), Mask(torch.ones_like(volume)))


def numpy_skimage_features(m):
    from skimage.feature import graycomatrix, graycoprops
    low = np.float32(m.min()) - np.float32(m.min()) % BIN_WIDTH
    levels = np.floor((m - low) / BIN_WIDTH).astype(np.int64)
    glcm = graycomatrix(levels.astype(np.uint8), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4],
                        levels=int(levels.max()) + 1, symmetric=True, normed=True)
    return first_order_numpy(m, BIN_WIDTH) + [float(np.mean(graycoprops(glcm, p))) for p in PROPERTIES]


def per_map_ms(compute, maps):
    compute(maps[0])  # imports and first-call caches are not timed
    start = time.perf_counter()
    for m in maps:
        compute(m)
    return 1000 * (time.perf_counter() - start) / len(maps)


def salient_ms(salient, maps, work):
    path = os.path.join(work, "maps.h5")
    with h5py.File(path, "w") as file:
        file["maps"] = maps
    out = os.path.join(work, "features.csv")
    command = [salient, "--log-level", "warn", "features", "--in", path, "--maps", "maps", "--families",
               "firstorder,glcm", "--bin-width", str(BIN_WIDTH), "--out", out]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    elapsed = time.perf_counter() - start
    with open(out, newline="") as file:
        rows = list(csv.DictReader(file))
    return 1000 * elapsed / len(maps), rows


def check_equal(rows, maps):
    """salient's value of every feature PyRadiomics computes, within 1e-9 relative."""
    compared = 0
    for row, m in zip(rows, maps):
        for name, expected in pyradiomics_features(m).items():
            if name not in row:
                continue
            value = float(row[name])
            assert abs(value - expected) <= 1e-9 * max(1.0, abs(expected)), (name, value, expected)
            compared += 1
    return compared


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("salient")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--maps", type=int, default=384)
    parser.add_argument("--side", type=int, default=320)
    arguments = parser.parse_args()
    count, side = (4, 64) if arguments.quick else (arguments.maps, arguments.side)
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import torch
    torch.set_num_threads(1)
    import radiomics
    radiomics.setVerbosity(logging.ERROR)
    logging.getLogger("fastrad").setLevel(logging.ERROR)
    maps = saliency_maps(count, side)
    with tempfile.TemporaryDirectory() as work:
        salient, rows = salient_ms(arguments.salient, maps, work)
    compared = check_equal(rows[:4], maps[:4])
    peers = [("PyRadiomics 3.0.1", per_map_ms(pyradiomics_features, maps)),
             ("fastrad 1.0.0 (PyTorch, CPU, 1 thread)", per_map_ms(fastrad_features, maps)),
             ("numpy + scipy + scikit-image (18 first-order statistics, 6 GLCM properties)",
              per_map_ms(numpy_skimage_features, maps))]
    print(f"{count} maps of {side}x{side}, whole-map mask, binWidth {BIN_WIDTH}, first-order and GLCM, one core "
          f"(core {sorted(os.sched_getaffinity(0))[0]}); salient equal to PyRadiomics on {compared} values\n")
    print("| implementation | ms per map | salient's speed-up |")
    print("| --- | ---: | ---: |")
    print(f"| salient features (whole process) | {salient:.2f} | 1× |")
    for name, ms in peers:
        print(f"| {name} | {ms:.2f} | {ms / salient:.1f}× |")
    if arguments.quick:
        print("\n(quick mode: a smoke test; these times mean nothing)")


if __name__ == "__main__":
    sys.exit(main())
