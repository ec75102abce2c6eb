"""What the PyRadiomics reference scripts share: writing the reference file, or, when
PyRadiomics cannot be imported, a file that records why ("pyradiomics_missing"), so that the
C++ tests fail with that reason: they never skip, and the build never stops for a missing
reference."""
import json
import logging

import numpy as np


def write_pyradiomics_reference(path, seed, cases):
    """Writes {"seed", "pyradiomics_version", "cases": cases(numpy Generator(seed))} to path."""
    out = {"seed": seed}
    try:
        import radiomics
        radiomics.setVerbosity(logging.ERROR)
        out["pyradiomics_version"] = radiomics.__version__
    except Exception as error:  # the C++ tests fail with this reason
        out["pyradiomics_missing"] = f"PyRadiomics cannot be imported ({error!r}): run scripts/install-deps.sh"
    else:
        out["cases"] = cases(np.random.default_rng(seed))
    with open(path, "w") as file:
        json.dump(out, file)
