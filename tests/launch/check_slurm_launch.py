#!/usr/bin/env python3
"""`salient launch --scheduler slurm --submit` on a real Slurm: a single-node cluster
(slurmctld, slurmd, munge) started by scripts/slurm-local.sh for this test, a chain of two
jobs of 2 CPU tasks each (the second starting after the first ends), the rendered script
starting the ranks with srun. The first job runs two rounds of the loop; the second, like a
requeued job, resumes the finished study and acquires nothing. Checked after both end:
both COMPLETED with exit code 0, two ranks scored each round, the labels, selections and
learning curve on disk, and each job's output in the study's logs/. The daemons are stopped
at the end, whatever happened.

usage: check_slurm_launch.py SALIENT SLURM_LOCAL WORKDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "round"))
from round_support import run, synth_pool  # noqa: E402
from run_support import read_csv  # noqa: E402

ROUNDS, BUDGET = 2, 8
SKIP = 77


def wait_for(job_ids, env, seconds=240):
    deadline = time.time() + seconds
    while time.time() < deadline:
        pending = run(["squeue", "-h", "-j", ",".join(job_ids), "-o", "%i %T"], env=env, check=False).stdout
        if not pending.strip():
            return
        time.sleep(0.5)
    raise AssertionError(f"jobs {job_ids} still queued or running after {seconds} s:\n{pending}")


def job_fields(job_id, env):
    text = run(["scontrol", "show", "job", "-o", job_id], env=env).stdout
    return dict(re.findall(r"(\w+)=(\S+)", text))


def check_study(study, job_ids):
    status = json.load(open(os.path.join(study, "status.json")))
    assert status["state"] == "finished" and status["labels"] == ROUNDS * BUDGET, status
    labels = read_csv(os.path.join(study, "labels.csv"))
    assert len(labels) == ROUNDS * BUDGET and len({row["id"] for row in labels}) == len(labels), labels
    for round_ in range(ROUNDS):
        directory = os.path.join(study, "rounds", f"{round_:03d}")
        assert len(read_csv(os.path.join(directory, "selection.csv"))) == BUDGET
        report = json.load(open(os.path.join(directory, "score-report.json")))
        assert len(report["ranks"]) == 2, report["ranks"]
        assert os.path.exists(os.path.join(study, "rounds", f"{round_ + 1:03d}", "model.pt"))
    curve = read_csv(os.path.join(study, "curve.csv"))
    assert [int(row["labels"]) for row in curve] == [BUDGET * r for r in range(ROUNDS + 1)], curve
    for job_id in job_ids:
        output = open(os.path.join(study, "logs", f"slurm-salient-test-{job_id}.out")).read()
        assert f"finished: {ROUNDS} round(s) done" in output, output


def main():
    salient, slurm_local, work = sys.argv[1:4]
    if not os.path.exists("/usr/sbin/slurmctld"):
        print("slurm-wlm is not installed (scripts/install-deps.sh installs it): skipped")
        return SKIP
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    state = os.path.join(work, "slurm")
    started = run([slurm_local, "start", state])
    env = dict(os.environ, SLURM_CONF=started.stdout.strip().split("=", 1)[1])
    try:
        pool = synth_pool(salient, work, count=48, shard_size=24, seed=6)
        study = os.path.join(work, "study")
        submitted = run([salient, "launch", "--scheduler", "slurm", "--tasks-per-node", "2", "--time", "00:10:00",
                         "--job-name", "salient-test", "--chain", "2", "--submit",
                         "--study", study, "--pool", pool, "--model", "small-cnn", "--input-size", "32",
                         "--strategy", "entropy", "--budget", str(BUDGET), "--rounds", str(ROUNDS), "--epochs", "1",
                         "--threads", "1", "--set", "training.validation_fraction=0.3"], env=env)
        job_ids = submitted.stdout.split()
        assert len(job_ids) == 2, submitted.stdout
        wait_for(job_ids, env)
        for job_id in job_ids:
            fields = job_fields(job_id, env)
            assert fields.get("JobState") == "COMPLETED" and fields.get("ExitCode") == "0:0", fields
        assert job_fields(job_ids[1], env).get("Dependency") in ("(null)", f"afterany:{job_ids[0]}(unfulfilled)",
                                                                  f"afterany:{job_ids[0]}")
        check_study(study, job_ids)
    finally:
        subprocess.run([slurm_local, "stop", state], check=False)
    print(f"slurm: jobs {' and '.join(job_ids)} completed; {ROUNDS} rounds on 2 ranks; the second job resumed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
