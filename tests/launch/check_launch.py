#!/usr/bin/env python3
"""`salient launch` from the command line: the Slurm and PBS scripts rendered for 2 nodes of
4 GPUs ask for what the options say and pass bash's syntax check; the study's salient.toml
then holds the configuration with the pool's absolute path; a time the schedulers would
reject fails before anything is written; the mpirun script, submitted (run) for real on 2
CPU ranks, runs a round of the loop, and run again it resumes the finished study without
acquiring a label twice.

usage: check_launch.py SALIENT WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "round"))
from round_support import run, synth_pool  # noqa: E402
from run_support import read_csv  # noqa: E402

LOOP = ["--model", "small-cnn", "--input-size", "32", "--strategy", "entropy", "--budget", "8", "--epochs", "1",
        "--threads", "1", "--set", "training.validation_fraction=0.3"]


def lines(text):
    return text.splitlines()


def check_rendered(salient, work, pool):
    study = os.path.join(work, "gpu-study")
    relative_pool = os.path.relpath(pool, work)
    slurm = run([salient, "launch", "--scheduler", "slurm", "--nodes", "2", "--gpus-per-node", "4", "--time",
                 "06:00:00", "--partition", "gpu", "--study", "gpu-study", "--pool", relative_pool, "--rounds", "7",
                 *LOOP], cwd=work)
    script = lines(slurm.stdout)
    for line in ["#SBATCH --nodes=2", "#SBATCH --ntasks-per-node=4", "#SBATCH --gpus-per-node=4",
                 "#SBATCH --time=06:00:00", "#SBATCH --partition=gpu", "#SBATCH --requeue",
                 f"#SBATCH --output={study}/logs/slurm-%x-%j.out",
                 f"srun --mpi=pmix --kill-on-bad-exit=1 {salient} --log-level info run --study {study} --no-progress"]:
        assert line in script, (line, slurm.stdout)
    assert not any("--account" in line for line in script), slurm.stdout
    saved = os.path.join(study, "launch", "run-slurm.sh")
    assert open(saved).read() == slurm.stdout and "sbatch " + saved in slurm.stderr, slurm.stderr
    subprocess.run(["bash", "-n", saved], check=True)
    config = open(os.path.join(study, "salient.toml")).read()
    assert f'pool = "{pool}"' in config and "rounds = 7" in config, config

    pbs = run([salient, "launch", "--scheduler", "pbs", "--job", "score", "--round", "2", "--nodes", "2",
               "--gpus-per-node", "4", "--cpus-per-task", "4", "--study", study])
    script = lines(pbs.stdout)
    for line in ["#PBS -l nodes=2:ppn=16:gpus=4", "#PBS -r y", "flags=(-np 8 --map-by ppr:4:node --bind-to none)",
                 f'exec mpirun "${{flags[@]}}" {salient} --log-level info score --study {study} --round 2 '
                 "--select --no-progress"]:
        assert line in script, (line, pbs.stdout)
    subprocess.run(["bash", "-n", os.path.join(study, "launch", "score-pbs.sh")], check=True)

    before = open(os.path.join(study, "salient.toml")).read()
    bad = run([salient, "launch", "--study", study, "--time", "2h", "--rounds", "9"], check=False)
    assert bad.returncode != 0 and "--time '2h'" in bad.stderr, bad.stderr
    assert open(os.path.join(study, "salient.toml")).read() == before, "a refused launch must not write"


def check_mpirun_job(salient, work, pool):
    study = os.path.join(work, "cpu-study")
    command = [salient, "--log-level", "warn", "launch", "--scheduler", "mpirun", "--tasks-per-node", "2",
               "--study", study, "--pool", pool, "--rounds", "1", *LOOP, "--submit"]
    run(command)
    status = json.load(open(os.path.join(study, "status.json")))
    assert status["state"] == "finished" and status["labels"] == 8, status
    log = open(os.path.join(study, "logs", "mpirun.log")).read()
    assert "finished: 1 round(s) done" in log, log
    run([salient, "--log-level", "warn", "launch", "--scheduler", "mpirun", "--tasks-per-node", "2",
         "--study", study, "--submit"])
    labels = read_csv(os.path.join(study, "labels.csv"))
    assert len(labels) == 8 and len({row["id"] for row in labels}) == 8, labels
    assert open(os.path.join(study, "logs", "mpirun.log")).read().count("finished: 1 round(s) done") == 2


def main():
    salient, work = sys.argv[1:3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pool = synth_pool(salient, work, count=48, shard_size=24, seed=5)
    check_rendered(salient, work, pool)
    check_mpirun_job(salient, work, pool)
    print("launch: Slurm and PBS scripts as asked; a bad time refused; the mpirun script ran a round and resumed")


if __name__ == "__main__":
    main()
