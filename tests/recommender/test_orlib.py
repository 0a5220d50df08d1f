"""OR-Library scp41 through `recommend --offerings` returns exactly the published optimum (429)."""

import json
from pathlib import Path

import pytest

from tests.helpers import SHARED, recommend

ORLIB = SHARED / "benchmarks" / "orlib"


@pytest.mark.skipif(not (ORLIB / "scp41.txt").is_file(), reason="OR-Library files not present")
def test_scp41_optimum(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from orlib import write_csv

    csv_path, gaps = write_csv(ORLIB / "scp41.txt", tmp_path / "scp41.csv")
    proc = recommend("--offerings", csv_path, "--gaps", gaps, "--format", "json")
    out = json.loads(proc.stdout)
    assert proc.returncode == 0 and out["total_cost"] == 429 and out["proof"]["status"] == "optimal"
