"""Parameterized queries over a snapshot: search, one offering's details, completeness stats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.records import PLAN_PRICE_SQL
from catalog.snapshot import Snapshot
from catalog.sql import dicts
from catalog.vocab import AREAS


@dataclass(frozen=True)
class SearchQuery:
    text: str | None = None
    provider: str | None = None
    category: str | None = None
    accepted_by: str | None = None
    kind: str | None = None
    delivery: str | None = None
    max_price: float | None = None
    limit: int = 50


def search_offerings(snap: Snapshot, q: SearchQuery) -> list[dict[str, Any]]:
    """Offerings matching every given filter, cheapest first; all values are bound parameters."""
    where, params = ["TRUE"], []
    for word in (q.text or "").split():
        where.append("strpos(lower(title || ' ' || description || ' ' || provider), lower(?)) > 0")
        params.append(word)
    if q.provider:
        where.append("lower(provider) = lower(?)")
        params.append(q.provider)
    if q.category:
        where.append(f"(coalesce(credits_{_area(q.category)}, 0) > 0 OR areas = ?)")
        params.append(q.category)
    if q.accepted_by:
        where.append("(list_contains(accepted_by, ?) OR list_contains(approved_by, ?))")
        params += [q.accepted_by, q.accepted_by]
    if q.kind:
        where.append("kind = ?")
        params.append(q.kind)
    if q.delivery:
        where.append("delivery = ?")
        params.append(q.delivery)
    if q.max_price is not None:
        where.append(f"{PLAN_PRICE_SQL} <= ?")
        params.append(q.max_price)
    sql = (
        f"SELECT * FROM offerings WHERE {' AND '.join(where)} "
        f"ORDER BY {PLAN_PRICE_SQL} NULLS LAST, provider, title, id"
    )
    if q.limit:
        sql += " LIMIT ?"
        params.append(q.limit)
    return dicts(snap.con.execute(sql, params))


def _area(name: str) -> str:
    if name not in AREAS:
        raise ValueError(name)
    return name


def describe_offering(snap: Snapshot, offering_id: str) -> dict[str, Any] | None:
    rows = dicts(snap.con.execute("SELECT * FROM offerings WHERE id = ?", [offering_id]))
    if not rows:
        return None
    sources = dicts(
        snap.con.execute(
            "SELECT source, source_line, url, price_usd, retrieved_at FROM offering_sources WHERE offering_id = ? "
            "ORDER BY source, source_line",
            [offering_id],
        )
    )
    covered_by = dicts(
        snap.con.execute(
            "SELECT membership_id, discount_pct FROM coverage WHERE offering_id = ? ORDER BY membership_id",
            [offering_id],
        )
    )
    covers = [
        r[0]
        for r in snap.con.execute(
            "SELECT offering_id FROM coverage WHERE membership_id = ? ORDER BY offering_id", [offering_id]
        ).fetchall()
    ]
    return {
        "snapshot": snap.id,
        "offering": rows[0],
        "sources": sources,
        "covered_by": covered_by,
        "covers": covers,
    }


def provider_stats(snap: Snapshot) -> list[dict[str, Any]]:
    return dicts(snap.con.execute("SELECT * FROM providers ORDER BY provider"))
