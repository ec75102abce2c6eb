#!/usr/bin/env python3
"""Fails when ctest skipped a test for any reason but the lack of a GPU.

A test that skips passes in ctest's count; a reference test that skips because its
reference could not be installed would keep CI green while checking nothing. This reads
ctest's JUnit report and accepts only skips whose reason says that there is no GPU (or
that the build has no CUDA), as the CUDA twins and NCCL tests give on a CPU machine.

usage: check_skips.py CTEST-JUNIT.xml
"""
import re
import sys
import xml.etree.ElementTree as ElementTree

NO_GPU = re.compile(r"no CUDA device|built without CUDA|NCCL needs a GPU", re.IGNORECASE)


def skip_reason(output):
    """GoogleTest prints 'FILE:LINE: Skipped' then the reason; a script prints its own lines."""
    match = re.search(r": Skipped\n(.*?)\n\[  SKIPPED \]", output, re.DOTALL)
    return (match.group(1) if match else output).strip()


def main(path):
    skipped, refused = 0, []
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        if case.find("skipped") is None:
            continue
        skipped += 1
        output = case.findtext("system-out") or ""
        reason = skip_reason(output)
        if not NO_GPU.search(reason):
            refused.append(f"{case.get('name')}: {reason[-400:] or 'no reason given'}")
    if refused:
        print(f"check_skips: {len(refused)} test(s) skipped for a reason other than the lack of a GPU:")
        for line in refused:
            print("  " + line)
        return 1
    print(f"check_skips: {skipped} test(s) skipped, each for the lack of a GPU")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
