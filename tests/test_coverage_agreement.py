"""The snapshot's `coverage` table (catalog.filters compiled to SQL) and the planner's coverage
(catalog.filters evaluated on numpy columns: `OfferingTable.covered_rows`, which `model.candidates`
prices memberships with) read a membership's `covers` filter the same way; the planner needs its
own for `--offerings` CSVs."""

from __future__ import annotations

import numpy as np

from catalog.builder import build
from catalog.snapshot import open_snapshot
from recommender.api import requirements
from recommender.model import candidates
from recommender.rules import known_credentials
from recommender.table import OfferingTable


def _sql_coverage(snap) -> dict[str, set[str]]:
    sql: dict[str, set[str]] = {}
    for mid, oid in snap.con.execute("SELECT membership_id, offering_id FROM coverage").fetchall():
        sql.setdefault(mid, set()).add(oid)
    return sql


def _agree(snap) -> int:
    table = OfferingTable.from_duckdb(snap.con)
    sql = _sql_coverage(snap)
    checked = 0
    for i in np.flatnonzero(table.is_covering()):
        expected = sql.get(table.id[i], set())
        assert set(table.id[table.covered_rows(table.covers[i])]) == expected, table.id[i]
        assert set(table.id[table.covered_by(table.covers[i])]) == expected, table.id[i]
        checked += 1
    return checked


def _planner_pairs(snap, credentials: list[str], gaps: str | None) -> set[tuple[str, str]]:
    """(membership, offering) pairs the planner's candidates() can buy through a membership."""
    table = OfferingTable.from_duckdb(snap.con)
    reqs, _ = requirements(credentials, gaps, table, stated_only=False)
    c = candidates(table, reqs, np.ones(len(table), dtype=bool))
    offerings, memberships = table.id[c.offerings], table.id[c.memberships]
    return {(memberships[m], offerings[o]) for o, m in zip(c.pair_o, c.pair_m, strict=True)}


def test_shipped_catalog_coverage_agrees(tmp_path):
    with open_snapshot(tmp_path / "fresh-home") as snap:
        assert _agree(snap) >= 5


def test_the_planners_membership_pairs_are_snapshot_coverage(tmp_path):
    """Every credential's planning problem, and a contact-hours one, over the shipped catalog."""
    with open_snapshot(tmp_path / "fresh-home") as snap:
        sql = {(m, o) for m, offerings in _sql_coverage(snap).items() for o in offerings}
        problems = [([c], None) for c in known_credentials()] + [([], "total=1")]
        seen = set()
        for credentials, gaps in problems:
            pairs = _planner_pairs(snap, credentials, gaps)
            assert pairs <= sql, credentials
            seen |= pairs
        assert seen


def test_fixture_catalog_coverage_agrees(tmp_path, small_sources):
    with build([small_sources], tmp_path / "home", enrich=False) as snap:
        assert _agree(snap) == 1
