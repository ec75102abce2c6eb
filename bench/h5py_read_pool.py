#!/usr/bin/env python3
"""What a user would otherwise write: h5py reading a salient pool's shards in batches.

Reads every image of the pool at POOL in batches of --batch (slicing `images`, as a
PyTorch Dataset over HDF5 would), --repeats times, and prints JSON with images/s and MB/s
of the fastest repeat. With --checksum it also checks each shard's images against the
manifest's CRC-32 with zlib.crc32, batch by batch, as salient's reader does. Pages are
expected to be in the page cache (run salient's benchmark on the same pool first)."""
import argparse
import json
import os
import time
import zlib

import h5py


def read_pool(pool, batch, checksum):
    with open(os.path.join(pool, "pool.json")) as f:
        manifest = json.load(f)
    images = 0
    nbytes = 0
    for shard in manifest["shards"]:
        crc = 0
        with h5py.File(os.path.join(pool, shard["path"]), "r") as h5:
            dataset = h5["images"]
            for first in range(0, dataset.shape[0], batch):
                block = dataset[first:first + batch]
                if checksum:
                    crc = zlib.crc32(block, crc)
                images += block.shape[0]
                nbytes += block.nbytes
        if checksum and crc != int(shard["crc32"], 16):
            raise SystemExit(f"{shard['path']}: CRC-32 {crc:08x} differs from the manifest's {shard['crc32']}")
    return images, nbytes


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pool")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--checksum", action="store_true", help="check each shard's CRC-32 with zlib.crc32")
    args = parser.parse_args()
    best = None
    for _ in range(args.repeats):
        start = time.perf_counter()
        images, nbytes = read_pool(args.pool, args.batch, args.checksum)
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
    reader = "h5py " + h5py.__version__ + (" + zlib.crc32" if args.checksum else "")
    print(json.dumps({"reader": reader, "batch": args.batch, "images": images,
                      "seconds": best, "images_per_s": images / best, "MB_per_s": nbytes / best / 1e6}))


if __name__ == "__main__":
    main()
