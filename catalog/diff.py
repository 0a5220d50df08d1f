"""Compare two snapshots by offering id: added, removed, repriced, changed.

A diff shows what changed in the sources. Columns the build derives (the classifier's area and
confidence for rows whose area is inferred) are left out unless `derived=True`: a retrained
classifier moving a confidence is not a changed offering.
"""

from __future__ import annotations

from typing import Any

import duckdb

from catalog.records import plan_price
from catalog.snapshot import Snapshot
from catalog.sql import dicts, literal

PRICE_FIELDS = ("price_usd", "price_min_usd", "price_max_usd", "price_basis")
IGNORED = {"source_line", "retrieved_at"}
#: Columns the build derives rather than reads from a source (always, or for inferred areas).
DERIVED = {"area_source", "area_confidence"}
AREA_COLUMNS = {"areas", "credits_general", "credits_clinical", "credits_administrative"}


def diff_snapshots(old: Snapshot, new: Snapshot, *, derived: bool = False) -> dict[str, Any]:
    con = duckdb.connect()
    try:
        con.execute(f"CREATE VIEW a AS SELECT * FROM read_parquet({literal(old.parquet())})")
        con.execute(f"CREATE VIEW b AS SELECT * FROM read_parquet({literal(new.parquet())})")
        cols = [r[0] for r in con.execute("DESCRIBE b").fetchall()]
        added = dicts(
            con.execute("SELECT id, provider, title, price_usd FROM b ANTI JOIN a USING (id) ORDER BY id")
        )
        removed = dicts(
            con.execute("SELECT id, provider, title, price_usd FROM a ANTI JOIN b USING (id) ORDER BY id")
        )
        common = [c for c in cols if c not in IGNORED and c != "id"]
        checks = ", ".join(f"(a.{c} IS DISTINCT FROM b.{c}) AS {c}" for c in common)
        changed_rows = con.execute(
            "SELECT a.id, b.title, a.price_usd, b.price_usd, a.price_max_usd, b.price_max_usd, "
            f"a.area_source = 'inferred' OR b.area_source = 'inferred', {checks} "
            "FROM a JOIN b USING (id) ORDER BY a.id"
        ).fetchall()
    finally:
        con.close()
    repriced, changed = [], []
    for row in changed_rows:
        oid, title, op, np_, omax, nmax, inferred, *flags = row
        fields = [c for c, f in zip(common, flags, strict=True) if f]
        if not derived:
            fields = [c for c in fields if c not in DERIVED and not (inferred and c in AREA_COLUMNS)]
        if any(f in PRICE_FIELDS for f in fields):
            repriced.append(
                {
                    "id": oid,
                    "title": title,
                    "old_price": plan_price(op, omax),
                    "new_price": plan_price(np_, nmax),
                    "fields": [f for f in fields if f in PRICE_FIELDS],
                }
            )
        other = [f for f in fields if f not in PRICE_FIELDS]
        if other:
            changed.append({"id": oid, "fields": other})
    return {
        "old": old.id,
        "new": new.id,
        "added": added,
        "removed": removed,
        "repriced": repriced,
        "changed": changed,
    }
