#!/usr/bin/env python3
"""Checks a salient pool with h5py and zlib alone (independently of salient's reader):
the manifest's shards exist and hold `images`, `ids`, `labels` (and `roi`) of the shapes
and types the manifest states, label values are 1/0/-1, and each shard's CRC-32 over its
image bytes equals the manifest's."""
import json
import os
import sys
import zlib

import h5py
import numpy as np


def main(pool):
    with open(os.path.join(pool, "pool.json")) as f:
        manifest = json.load(f)
    height, width = manifest["image"]["height"], manifest["image"]["width"]
    dtype = np.dtype(manifest["image"]["dtype"])
    labels = len(manifest["labels"])
    total = 0
    for shard in manifest["shards"]:
        with h5py.File(os.path.join(pool, shard["path"]), "r") as h5:
            n = shard["count"]
            images = h5["images"][...]
            assert images.shape == (n, height, width) and images.dtype == dtype, (shard["path"], images.shape, images.dtype)
            assert h5["ids"].shape == (n,), shard["path"]
            assert h5["labels"].shape == (n, labels) and h5["labels"].dtype == np.int8, shard["path"]
            assert set(np.unique(h5["labels"][...])) <= {-1, 0, 1}, shard["path"]
            if "roi" in h5:
                assert h5["roi"].shape == (n, height, width), shard["path"]
            crc = zlib.crc32(np.ascontiguousarray(images).tobytes())
            assert crc == int(shard["crc32"], 16), (shard["path"], hex(crc), shard["crc32"])
            total += n
    assert total == manifest["total"], (total, manifest["total"])
    print(f"h5py: {total} images in {len(manifest['shards'])} shards, checksums match")


if __name__ == "__main__":
    main(sys.argv[1])
