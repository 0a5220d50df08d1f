"""Assumptions: what a proven plan may not use, and what an estimated plan may, each with its basis.

A *proven* plan uses stated facts only: exact prices, verified unit conversions, stated areas and
areas inferred at confidence >= 0.8. When none exists, an *estimated* plan may also use, and lists:
  * pool     a membership's stated aggregate amount (``pool_credits`` per ``pool_per``; ACE: "more than
             40 CEUs every year" = at least 40 a year), drawn on within the areas the source says it
             spans or its covered offerings are known or inferred to span;
  * area     an area inferred by the classifier below the confidence threshold (with its confidence);
  * price    a price published only as a range, planned at its upper end (the cost becomes a range);
  * unit     a unit conversion the credential file marks ``verified = false``.
Unknown prices are never assumed. Everything here transforms the *inputs* of the planner (the
table and each credential's view), so the optimizer itself is unchanged: a pool becomes one credit
row per membership term, covered by that term's membership, whose own cap row limits it to the
stated amount while its credits may go to any spanned area.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.table import AREAS, OfferingTable

POOL_TAG = "~pool"  # ids of pool rows: f"{membership}{POOL_TAG}{term}"
TERM_TAG = "~term"  # ids of extra membership terms: f"{membership}{TERM_TAG}{term}"


@dataclass(frozen=True)
class Settings:
    """Which assumptions an estimate may use (each set names what one 'without it' run disables)."""

    estimate: bool = False
    no_pool: frozenset[str] = frozenset()  # membership ids
    no_range: frozenset[str] = frozenset()  # offering ids
    no_area: frozenset[str] = frozenset()  # offering ids
    no_unit: frozenset[tuple[str, str]] = frozenset()  # (credential code, unit)
    window_months: int = 12  # months from today to the finish-by date (membership terms that fit)


def unverified_units(cred: Any) -> set[str]:
    """Units whose conversion the credential file marks `verified = false`."""
    return {w.split(".", 1)[1] for w in getattr(cred, "unverified", ()) if w.startswith("units.")}


class CredentialUnder:
    """A credential whose view follows `Settings`: proven (verified units only) or estimating."""

    def __init__(self, cred: Any, settings: Settings, pools: dict[int, PoolRow] | None = None):
        self._cred, self._s, self._pools = cred, settings, pools or {}
        units = dict(cred.units)
        if not settings.estimate:
            units = {u: v for u, v in units.items() if u not in unverified_units(cred)}
        else:
            units = {u: v for u, v in units.items() if (cred.code, u) not in settings.no_unit}
        self._strict = dataclasses.replace(cred, units=units)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cred, name)

    @property
    def rules(self) -> Any:
        """The credential itself (a transcript is evaluated under its full rules)."""
        return self._cred

    def view(self, table: OfferingTable, *, stated_only: bool = False, min_area_confidence: float = 0.8):
        s = self._s
        conf = min_area_confidence if (not s.estimate or stated_only) else 0.0
        v = self._strict.view(table, stated_only=stated_only, min_area_confidence=conf)
        if s.estimate and s.no_area:
            v.area_value[np.isin(table.id, list(s.no_area)) & table.area_inferred] = 0.0
        if s.estimate:
            self._pool_view(table, v)
        return v

    def _pool_view(self, table: OfferingTable, v: Any) -> None:
        from recommender.rules import Cap

        for i, pool in self._pools.items():
            if i >= len(table) or table.id[i] != pool.id or not v.counts[i]:
                continue
            spans = [AREAS.index(a) for a in pool.areas if a in AREAS]
            v.area_value[i] = 0.0
            v.area_value[i, spans] = v.value[i]
            mask = np.zeros(len(table), dtype=bool)
            mask[i] = True
            v.caps.append(Cap(f"pool:{pool.id}", mask, float(v.value[i])))


@dataclass(frozen=True)
class PoolRow:
    id: str
    membership: int  # table index of the real membership
    term: int  # 1 = the membership itself, 2.. = renewals
    areas: tuple[str, ...]
    area_basis: str  # "stated" (the pool row says) or "inferred from covered offerings"


@dataclass
class EstimateInputs:
    table: OfferingTable
    pools: dict[int, PoolRow] = field(default_factory=dict)


def proven_table(table: OfferingTable) -> OfferingTable:
    """Ranged prices become unknown: a proven plan never relies on them."""
    if not table.price_is_estimate.any():
        return table
    return dataclasses.replace(
        table,
        price_cents=np.where(table.price_is_estimate, -1, table.price_cents),
        price_is_estimate=np.zeros(len(table), dtype=bool),
        _masks={},
    )


def estimate_inputs(table: OfferingTable, s: Settings) -> EstimateInputs:
    """The table an estimate plans over: pool rows (and renewal terms) added, disabled ranges removed."""
    if s.no_range:
        off = np.isin(table.id, list(s.no_range)) & table.price_is_estimate
        table = dataclasses.replace(
            table,
            price_cents=np.where(off, -1, table.price_cents),
            price_is_estimate=table.price_is_estimate & ~off,
            _masks={},
        )
    rows, pools = pool_rows(table, s)
    if not rows:
        return EstimateInputs(table)
    extra = OfferingTable.from_records(rows)
    n = len(table)
    merged = concat(table, extra)
    return EstimateInputs(merged, {n + k: p for k, p in enumerate(pools) if p is not None})


def concat(a: OfferingTable, b: OfferingTable) -> OfferingTable:
    kw = {}
    for name in a.__dataclass_fields__:
        if name == "_masks":
            continue
        x, y = getattr(a, name), getattr(b, name)
        kw[name] = np.concatenate([x, y.astype(x.dtype, copy=False)])
    return OfferingTable(**kw)


def pool_rows(table: OfferingTable, s: Settings) -> tuple[list[dict], list[PoolRow | None]]:
    """One credit row per membership term with a stated pool; renewal terms as their own memberships."""
    rows: list[dict] = []
    pools: list[PoolRow | None] = []
    has_pool = np.flatnonzero(~np.isnan(table.pool_credits) & table.is_covering() & (table.price_cents >= 0))
    for m in has_pool:
        mid = str(table.id[m])
        disc = table.discount_pct[m]
        if mid in s.no_pool or not (np.isnan(disc) or disc >= 100):
            continue
        covers = dict(table.covers[m])
        if "id" in covers:
            continue
        covered = table.covered_rows(table.covers[m])
        areas, basis = tuple(table.pool_areas[m]), "stated"
        if not areas:
            known = table.area_credits[covered]
            seen = ~np.isnan(known) & (known > 0)
            areas = tuple(a for j, a in enumerate(AREAS) if seen[:, j].any())
            basis = "inferred from covered offerings"
        approved = set.intersection(*(set(table.approved_by[c]) for c in covered)) if len(covered) else set()
        term = table.term_months[m]
        term = int(term) if not np.isnan(term) else (12 if table.price_basis[m] == "per_year" else 0)
        amount = float(table.pool_credits[m])
        if table.pool_per[m] == "year" and term:
            amount = amount * term / 12.0
        # renewal terms are rows of their own, kept out of the membership's filter by their provider
        terms = max(1, s.window_months // term) if term and "provider" in covers else 1
        for k in range(1, terms + 1):
            pid = f"{mid}{POOL_TAG}{k}"
            row = {
                "id": pid,
                "title": f"Credits from {table.title[m]}" + (f" (term {k})" if terms > 1 else ""),
                "provider": covers.get("provider", table.provider[m])
                + (f" (renewal term {k})" if k > 1 else ""),
                "kind": covers.get("kind", "course"),
                "credit_unit": table.pool_unit[m],
                "credits": amount,
                "price_usd": None,
                "price_basis": "one_time",
                "delivery": covers.get("delivery", table.delivery[m]),
                "url": table.url[m],
                "approved_by": tuple(sorted(approved | {v for f, v in covers.items() if f == "approved_by"})),
                "accepted_by": tuple(table.accepted_by[m])
                + ((covers["accepted_by"],) if "accepted_by" in covers else ()),
                "topics": (covers["topic"],)
                if "topic" in covers
                else ((covers["topics"],) if "topics" in covers else ()),
                "pool_areas": (),
            }
            rows.append(row)
            pools.append(PoolRow(pid, int(m), k, areas, basis))
            if k > 1:
                rows.append(
                    {
                        "id": f"{mid}{TERM_TAG}{k}",
                        "title": f"{table.title[m]} (renewal: term {k})",
                        "provider": table.provider[m],
                        "kind": table.kind[m],
                        "credit_unit": "contact_hour",
                        "price_usd": table.price_cents[m] / 100.0,
                        "price_basis": table.price_basis[m],
                        "url": table.url[m],
                        "covers": (("id", pid),),
                        "discount_pct": 100.0,
                        "term_months": term or None,
                        "pool_areas": (),
                    }
                )
                pools.append(None)
    return rows, pools


def _pools_of(t: OfferingTable, mid: str) -> list[PoolRow]:
    m = int(np.flatnonzero(t.id == mid)[0])
    areas = tuple(t.pool_areas[m])
    if not areas:
        covered = t.covered_rows(t.covers[m])
        known = t.area_credits[covered]
        seen = ~np.isnan(known) & (known > 0)
        areas = tuple(a for j, a in enumerate(AREAS) if seen[:, j].any())
    return [PoolRow(mid, m, 1, areas, "")]


def merge_terms(p: Any, t: OfferingTable, as_of: Any) -> None:
    """Show a pool membership bought for n terms as one membership and one credits row (terms are alike)."""
    from datetime import timedelta

    from recommender.plans import add_months

    terms: dict[str, list[dict]] = {}
    for m in p.memberships:
        mid = m["id"].split(TERM_TAG)[0]
        if TERM_TAG in m["id"] or mid in {
            s["id"].split(POOL_TAG)[0] for s in p.selected if POOL_TAG in s["id"]
        }:
            terms.setdefault(mid, []).append(m)
    keep = [m for m in p.memberships if m["id"].split(TERM_TAG)[0] not in terms]
    for mid, ms in terms.items():
        base = next((m for m in ms if m["id"] == mid), None) or dict(ms[0], id=mid)
        k = int(np.flatnonzero(t.id == mid)[0])
        base["title"] = str(t.title[k])
        base["provider"] = str(t.provider[k])
        base["terms"] = len(ms)
        base["price_paid"] = round(sum(m["price_paid"] for m in ms), 2)
        base["covers_in_plan"] = sorted({c for m in ms for c in m["covers_in_plan"]})
        if base.get("term_months") and base.get("renews") and not base.get("already_have"):
            end = add_months(as_of, base["term_months"] * len(ms)) - timedelta(days=1)
            base["cancel_renewal_by"] = end.isoformat()
        keep.append(base)
    p.memberships = keep
    pools: dict[str, list[dict]] = {}
    for s in p.selected:
        if POOL_TAG in s["id"]:
            pools.setdefault(s["id"].split(POOL_TAG)[0], []).append(s)
    rows = [s for s in p.selected if POOL_TAG not in s["id"]]
    for mid, ss in pools.items():
        areas = next((pl.areas for pl in _pools_of(t, mid)), ())
        first = dict(ss[0])
        each = max(ss[0]["credits"].values(), default=0)
        first.update(
            id=f"{mid}{POOL_TAG}",
            title=f"Credits from {t.title[int(np.flatnonzero(t.id == mid)[0])]}"
            + (f" ({len(ss)} terms)" if len(ss) > 1 else ""),
            via_membership=mid,
            provider=str(ss[0]["provider"]).split(" (renewal")[0],
            credits={c: v * len(ss) for c, v in ss[0]["credits"].items()},
            credits_by_area={},
            credits_by_credential={
                code: dict(c, total=c.get("total", 0) * len(ss), by_area={})
                for code, c in (ss[0].get("credits_by_credential") or {}).items()
            },
            pool={"membership": mid, "credits": each * len(ss), "areas": list(areas), "terms": len(ss)},
        )
        rows.append(first)
    for s in rows:
        if s.get("via_membership"):
            s["via_membership"] = s["via_membership"].split(TERM_TAG)[0]
    p.selected = rows
