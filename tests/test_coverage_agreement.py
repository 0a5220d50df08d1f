"""The snapshot's `coverage` table (SQL) and the planner's `OfferingTable.covered_by` (numpy) read a
membership's `covers` filter the same way; the planner needs its own for `--offerings` CSVs."""

from __future__ import annotations

import numpy as np

from catalog.builder import build
from catalog.snapshot import open_snapshot
from recommender.table import OfferingTable


def _agree(snap) -> int:
    table = OfferingTable.from_duckdb(snap.con)
    sql = {}
    for mid, oid in snap.con.execute("SELECT membership_id, offering_id FROM coverage").fetchall():
        sql.setdefault(mid, set()).add(oid)
    checked = 0
    for i in np.flatnonzero(table.is_covering()):
        assert set(table.id[table.covered_by(table.covers[i])]) == sql.get(table.id[i], set()), table.id[i]
        checked += 1
    return checked


def test_shipped_catalog_coverage_agrees(tmp_path):
    with open_snapshot(tmp_path / "fresh-home") as snap:
        assert _agree(snap) >= 5


def test_fixture_catalog_coverage_agrees(tmp_path, small_sources):
    with build([small_sources], tmp_path / "home", enrich=False) as snap:
        assert _agree(snap) == 1
