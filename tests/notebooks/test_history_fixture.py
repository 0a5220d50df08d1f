"""The history fixture home: two snapshots, and the changes the analytics find are the ones the
fixture script made."""

from __future__ import annotations

from catalog import analytics as ca


def test_home_holds_the_older_synthetic_snapshot_first(history_home):
    home, made = history_home
    snaps = ca.history_snapshots(home)
    assert [s.id for s in snaps] == [made["older"], made["current"]]


def test_changes_found_are_the_changes_made(history_home):
    home, made = history_home
    df = ca.history_changes(ca.history_snapshots(home)).df()
    for change in ("added", "removed", "repriced"):
        assert sorted(df[df.change == change].id) == made[change], change
    repriced = df[df.change == "repriced"]
    assert ((repriced.new_price / repriced.old_price).round(4) == 1.25).all()  # older = 80% of today's


def test_current_snapshot_is_the_shipped_catalog(history_home):
    home, made = history_home
    from catalog.snapshot import open_snapshot

    with open_snapshot(home) as current, open_snapshot(home, "embedded") as shipped:
        assert current.id == made["current"]
        assert sorted(current.df().id) == sorted(shipped.df().id)
