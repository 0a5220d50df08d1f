"""Prices that depend on who you are: member prices of a body's own offerings, offerings you already hold.

Used by `recommender.answer`; each returns a new `OfferingTable` (tables are never changed in place).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from recommender.plans import Plan
from recommender.table import OfferingTable


def rows_of(table: OfferingTable, ids: Sequence[str]) -> dict[str, int]:
    """id -> row index for a few ids (vectorized: no dict over a large table)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    return {str(table.id[k]): int(k) for k in np.flatnonzero(np.isin(table.id, ids))}


def body_rows(table: OfferingTable, body: str) -> np.ndarray:
    """Offerings the body itself provides (provider 'AAMA', 'AAMA (Maryland Society ...)')."""
    codes, names = table.codes("provider")
    hit = np.array(
        [str(n).upper() == body or str(n).upper().startswith(body + " ") for n in names], dtype=bool
    )
    return hit[codes] if len(codes) else np.zeros(0, dtype=bool)


def member_priced_bodies(table: OfferingTable) -> set[str]:
    from catalog.vocab import BODIES

    rows = np.flatnonzero(table.member_price_cents >= 0)
    providers = {str(p).upper() for p in table.provider[rows]}
    return {b for b in BODIES if any(p == b or p.startswith(b + " ") for p in providers)}


def with_member_prices(table: OfferingTable, bodies: set[str]) -> OfferingTable:
    """Members of `bodies` pay the stated member price of the offerings those bodies provide."""
    if not bodies or not (table.member_price_cents >= 0).any():
        return table
    use = np.zeros(len(table), dtype=bool)
    for b in bodies:
        use |= body_rows(table, b)
    use &= table.member_price_cents >= 0
    if not use.any():
        return table
    return dataclasses.replace(
        table,
        price_cents=np.where(use, table.member_price_cents, table.price_cents),
        price_is_estimate=table.price_is_estimate & ~use,
        _masks={},
    )


def note_member_prices(p: Plan, table: OfferingTable, bodies: set[str]) -> None:
    ids = {s["id"] for s in p.selected}
    rows = rows_of(table, list(ids))
    for b in sorted(bodies):
        mine = body_rows(table, b)
        hits = [table.title[k] for i, k in rows.items() if mine[k] and table.member_price_cents[k] >= 0]
        if hits:
            p.notes.append(f"{b} member prices: " + "; ".join(hits))


def priced_zero(table: OfferingTable, ids: set[str]) -> OfferingTable:
    if not ids:
        return table
    free = np.isin(table.id, list(ids))
    return dataclasses.replace(
        table,
        price_cents=np.where(free, 0, table.price_cents),
        price_is_estimate=table.price_is_estimate & ~free,
        _masks={},
    )
