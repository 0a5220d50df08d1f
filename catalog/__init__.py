"""CEU Planner catalog: offerings from manual CSVs and crawls, published as immutable snapshots.

Public API (lazy imports keep `import catalog` cheap):

- ``open_snapshot(home=None, snapshot_id=None)``: the published (or a given) snapshot, read-only;
  ``.table(name)`` is a DuckDB relation, ``.df(name)`` a DataFrame, ``.offerings()`` records.
- ``list_snapshots(home=None)``: every valid snapshot in the home, oldest first.
- ``build(source_dirs=None, home=None)``: validate manual CSVs and publish a snapshot.
"""

from __future__ import annotations

from typing import Any

__all__ = ["open_snapshot", "list_snapshots", "build"]


def __getattr__(name: str) -> Any:
    if name in ("open_snapshot", "list_snapshots"):
        from catalog import snapshot

        return getattr(snapshot, name)
    if name == "build":
        from catalog.builder import build

        return build
    raise AttributeError(name)
