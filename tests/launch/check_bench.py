#!/usr/bin/env python3
"""`salient bench` end to end: strong and weak scaling over 1 and 2 ranks on a small synthetic
pool; the JSON holds every run with its stages, each checked against the reference run
(every criterion value and the selection identical, so #wrong is 0) and the charts are PNGs.
A bench whose jobs fail (a salient that is not salient) exits non-zero and says why.

usage: check_bench.py SALIENT WORKDIR
"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "round"))
from round_support import run  # noqa: E402
from run_support import is_png  # noqa: E402

SMALL = ["--images", "24", "--size", "64", "--input-size", "32", "--batch-size", "8", "--budget", "4",
         "--threads", "1", "--ranks", "1,2"]


def main():
    salient, work = sys.argv[1:3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    report = os.path.join(work, "bench.json")
    out = run([salient, "--log-level", "warn", "bench", *SMALL, "--scaling", "both", "--work", work,
               "--json", report, "--plot"])
    bench = json.load(open(report))
    runs = [(r["scaling"], r["ranks"], r["images"]) for r in bench["runs"]]
    assert runs == [("strong", 1, 24), ("strong", 2, 24), ("weak", 1, 24), ("weak", 2, 48)], runs
    assert bench["wrong"] == 0 and "#wrong: 0" in out.stdout, out.stdout
    for r in bench["runs"]:
        check = r["check"]
        assert check["selection_identical"] and check["wrong"] == 0, check
        assert check["reference"] or check["values_compared"] > 0, check
        stages = {s["stage"]: s for s in r["stages"]}
        assert list(stages) == ["read", "saliency", "model", "kernels", "write"], list(stages)
        assert all(len(s["rank_seconds"]) == r["ranks"] for s in stages.values())
        assert stages["read"]["bytes"] == r["images"] * 64 * 64 * 2, stages["read"]  # pixels and ROI masks
        assert sum(stages["kernels"]["rank_images"]) >= r["images"]
    for chart in ("bench-stages.png", "bench-scaling.png"):
        assert is_png(os.path.join(work, chart)), chart

    failed = run([salient, "bench", *SMALL, "--work", os.path.join(work, "false"), "--salient", "/bin/false"],
                 check=False)
    assert failed.returncode != 0 and "the job failed with status 1" in failed.stdout, failed.stdout
    print("bench: 4 runs, every value and selection identical to the reference; a failing job fails the bench")


if __name__ == "__main__":
    main()
