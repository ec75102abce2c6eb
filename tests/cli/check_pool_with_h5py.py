#!/usr/bin/env python3
"""Checks a salient pool with h5py and zlib alone (independently of salient's reader):
the manifest's shards exist and hold `images`, `ids`, `labels` (and `roi`) of the shapes
and types the manifest states, label values are 1/0/-1, and each shard's CRC-32s equal
the manifest's (docs/pool-format.md): images, labels and masks over their bytes in row
order, ids over each id's bytes followed by a NUL."""
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
            datasets = {"crc32": images, "labels_crc32": h5["labels"][...]}
            if "roi" in h5:
                assert h5["roi"].shape == (n, height, width), shard["path"]
                datasets["roi_crc32"] = h5["roi"][...]
            crcs = {key: zlib.crc32(np.ascontiguousarray(values).tobytes()) for key, values in datasets.items()}
            crcs["ids_crc32"] = zlib.crc32(b"".join(bytes(i) + b"\0" for i in h5["ids"][...]))
            for key, crc in crcs.items():
                assert crc == int(shard[key], 16), (shard["path"], key, f"{crc:08x}", shard[key])
            total += n
    assert total == manifest["total"], (total, manifest["total"])
    print(f"h5py: {total} images in {len(manifest['shards'])} shards, checksums match")


if __name__ == "__main__":
    main(sys.argv[1])
