"""`--offerings` CSVs read column-wise (big files) give the planner the same table, and so the same
plan, as the row reader (small files)."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

import recommender.api as api
from catalog.loaders.manual_csv import load_manual_files
from catalog.loaders.manual_table import load_manual_table
from recommender.table import OfferingTable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from plan_markets import write_csv  # noqa: E402

GAPS = "general=10,clinical=10,administrative=10,total=60,approved:AAMA=30"


def same_table(a: OfferingTable, b: OfferingTable) -> None:
    for f in dataclasses.fields(OfferingTable):
        if f.name == "_masks":
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), f.name
        else:
            assert x.tolist() == y.tolist(), f.name


@pytest.mark.parametrize("market", ["realistic", "hard"])
def test_columnar_table_equals_the_row_readers(tmp_path, market):
    path = write_csv(3000, market, 7, tmp_path / f"{market}.csv")
    columnar = api.OfferingTable.from_arrow(load_manual_table([path]))
    same_table(columnar, OfferingTable.from_offerings(load_manual_files([path])))


def test_shipped_fixture_with_memberships_and_audiences(tmp_path):
    path = ROOT / "tests" / "fixtures" / "offerings" / "employer.csv"
    columnar = api.OfferingTable.from_arrow(load_manual_table([path]))
    same_table(columnar, OfferingTable.from_offerings(load_manual_files([path])))


def test_the_plan_is_the_same_whichever_reader(tmp_path, monkeypatch):
    path = write_csv(2000, "realistic", 7, tmp_path / "m.csv")
    rows = api.plan(GAPS, ["CMA"], offerings_files=[path], as_of=date(2026, 1, 15))
    monkeypatch.setattr(api, "COLUMNAR_MIN_BYTES", 0)
    columns = api.plan(GAPS, ["CMA"], offerings_files=[path], as_of=date(2026, 1, 15))
    assert rows.status == columns.status == "optimal"
    assert rows.proof["cost_cents"] == columns.proof["cost_cents"]
    assert rows.proof["minutes"] == columns.proof["minutes"]
    ids = lambda p: sorted(o["id"] for o in p.selected + p.memberships)  # noqa: E731
    assert ids(rows) and ids(rows) == ids(columns)
