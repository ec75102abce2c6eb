#!/usr/bin/env python3
"""ZIP archives written by Python's zipfile, and zipfile's own listing of them, for
test_zip_directory.cpp: stored and deflated records, an archive comment, a ZIP64 directory
(as written for files over 4 GiB), and a torch.save file.

usage: zip_reference.py OUT_DIR
"""
import json
import os
import struct
import sys

import torch
import zipfile


def write(path, records, comment=b""):
    with zipfile.ZipFile(path, "w") as archive:
        archive.comment = comment
        for name, data, method in records:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            with archive.open(info, "w") as record:
                record.write(data)


def rewrite_as_zip64(path):
    """Rewrites the directory of a stored archive the way writers of files over 4 GiB do: each
    entry's sizes 0xFFFFFFFF with the real ones in a ZIP64 extra field, and a ZIP64 end of
    directory with its locator before the classic record, whose counts are 0xFFFF."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    data = open(path, "rb").read()
    directory_at = struct.unpack_from("<I", data, len(data) - 22 + 16)[0]
    body, directory = data[:directory_at], b""
    for info in infos:
        name = info.filename.encode()
        extra = struct.pack("<HHQQ", 1, 16, info.file_size, info.compress_size)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0, 0, 0, 0, info.CRC, 0xFFFFFFFF,
                                 0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, info.header_offset) + name + extra
    zip64_end_at = len(body) + len(directory)
    zip64_end = struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, len(infos), len(infos), len(directory),
                            len(body))
    locator = struct.pack("<IIQI", 0x07064b50, 0, zip64_end_at, 1)
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(path, "wb") as file:
        file.write(body + directory + zip64_end + locator + end)


def listing(path):
    with zipfile.ZipFile(path) as archive:
        return [{"name": i.filename, "compressed": i.compress_size, "uncompressed": i.file_size,
                 "method": i.compress_type} for i in archive.infolist()]


def main(out):
    os.makedirs(out, exist_ok=True)
    text = b"salient " * 500
    cases = {
        "stored_and_deflated.zip": dict(records=[("a.txt", text, zipfile.ZIP_STORED),
                                                 ("dir/b.bin", text, zipfile.ZIP_DEFLATED),
                                                 ("empty", b"", zipfile.ZIP_STORED)], comment=b"a comment" * 30),
        "zip64.zip": dict(records=[("big", text, zipfile.ZIP_STORED), ("small", b"x", zipfile.ZIP_STORED)]),
    }
    expected = {}
    for name, case in cases.items():
        write(os.path.join(out, name), **case)
        if name == "zip64.zip":
            rewrite_as_zip64(os.path.join(out, name))
        expected[name] = listing(os.path.join(out, name))  # zipfile reads the rewritten directory back
    torch.save({"weight": torch.arange(12.0).reshape(3, 4), "bias": torch.zeros(3)}, os.path.join(out, "state.pt"))
    expected["state.pt"] = listing(os.path.join(out, "state.pt"))
    with open(os.path.join(out, "listing.json"), "w") as file:
        json.dump(expected, file)


if __name__ == "__main__":
    main(sys.argv[1])
