"""Helpers of the round tests: a synthetic pool, and salient run under mpirun."""
import os
import subprocess


def run(command, check=True, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def synth_pool(salient, work, count, shard_size, seed, size=64, name="pool"):
    pool = os.path.join(work, name)
    run([salient, "synth", "--count", str(count), "--size", str(size), "--shard-size", str(shard_size),
         "--seed", str(seed), "--out", pool])
    return pool


def mpirun_command(mpiexec, ranks, salient, arguments):
    return [mpiexec, "-np", str(ranks), salient, "--log-level", "warn", *arguments]


def mpirun_salient(mpiexec, ranks, salient, arguments, check=True):
    return run(mpirun_command(mpiexec, ranks, salient, arguments), check=check)
