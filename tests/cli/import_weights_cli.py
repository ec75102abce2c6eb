"""`salient import-weights` as a user runs it, then the checkpoint in `salient score`:
torchxrayvision's DenseNet (tests/engine/reference/import_weights_reference.py's seeded
state_dict) imported for a phantom pool's four findings scores that pool, its outputs named
as the pool's labels; imported in another order it is refused, naming both; an unknown
output name and a torchxrayvision ResNet are refused naming what there is.

usage: import_weights_cli.py SALIENT STATE_DICT
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py

FINDINGS = "Effusion,Nodule,Consolidation,Cardiomegaly"  # salient synth's labels, in order


def run(*command, fail=False):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if (result.returncode != 0) != fail:
        sys.exit(f"FAILED (exit {result.returncode}): {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def main():
    salient, state_dict = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        run(salient, "synth", "--count", 6, "--size", 64, "--seed", 2, "--out", work / "pool")
        out = run(salient, "import-weights", "--from", "torchxrayvision", state_dict, "--arch", "densenet121",
                  "--labels", FINDINGS, "--out", work / "xrv.pt")
        assert "4 output(s) (Effusion, Nodule, Consolidation, Cardiomegaly), 224×224 px input" in out, out
        assert "(u − 0.5) / 0.00048828125" in out, out
        run(salient, "score", "--study", work / "study", "--pool", work / "pool", "--model", work / "xrv.pt",
            "--criteria", "prediction", "--no-progress")
        with h5py.File(work / "study/rounds/000/scores/shard-00000.h5", "r") as table:
            assert table["criteria/entropy"].shape == (6,)
        report = json.loads((work / "study/rounds/000/score-report.json").read_text())
        assert report["images_scored"] == 6, report
        print("imported for the pool's labels: scored the pool")

        run(salient, "import-weights", "--from", "torchxrayvision", state_dict, "--labels",
            "Nodule,Effusion,Consolidation,Cardiomegaly", "--out", work / "swapped.pt")
        out = run(salient, "score", "--study", work / "study2", "--pool", work / "pool", "--model", work / "swapped.pt",
                  "--criteria", "prediction", "--no-progress", fail=True)
        assert ("predicts Nodule, Effusion, Consolidation, Cardiomegaly and the pool is labelled Effusion, Nodule, "
                "Consolidation, Cardiomegaly") in out, out
        out = run(salient, "import-weights", "--from", "torchxrayvision", state_dict, "--labels", "Effusion,Infiltrate",
                  "--out", work / "bad.pt", fail=True)
        assert "no output is called 'Infiltrate' (its outputs: Atelectasis, Consolidation" in out, out
        out = run(salient, "import-weights", "--from", "torchxrayvision", state_dict, "--arch", "resnet50",
                  "--out", work / "bad.pt", fail=True)
        assert "torchxrayvision's weights import as densenet121" in out, out
        assert not (work / "bad.pt").exists()
        print("refused: outputs in another order than the pool's labels, an unknown output, a torchxrayvision ResNet")
    print("OK")


if __name__ == "__main__":
    main()
