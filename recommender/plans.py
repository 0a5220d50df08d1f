"""The plan the user sees: selected offerings, memberships with their savings, totals and the proof.

`Plan.to_json()` follows ../shared/interfaces.md (status, total_cost, total_hours, selected, reason)
plus `memberships`, `requirements`, `proof` and `frontier`. `Plan.to_frame()` imports pandas lazily.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from recommender.counting import AREA_KEYS, Requirement
from recommender.cycles import add_months
from recommender.model import Model, member_cents
from recommender.numbers import json_number as _num
from recommender.table import AREAS, OfferingTable


def dollars(cents: int | float | None) -> float | None:
    return None if cents is None else round(float(cents) / 100.0, 2)


@dataclass
class Plan:
    status: str  # optimal | estimated (cheapest under listed assumptions) | infeasible
    total_cost: float | None = None
    total_hours: float | None = None
    selected: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    requirements: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    #: The reason in plain words for a person, ending with what they can do next (recommender/why.py).
    why: str | None = None
    #: Infeasible plans: each requirement the catalog cannot meet (credential, gap, needed, at_most, unit).
    shortfalls: list[dict[str, Any]] = field(default_factory=list)
    proof: dict[str, Any] = field(default_factory=dict)
    #: Infeasible plans: the cheapest plan under named assumptions (status "estimated"), if one exists.
    estimate: Plan | None = None
    #: Estimated plans: what each relied-on assumption is, its basis, what to check, the cost without it.
    assumptions: list[dict[str, Any]] = field(default_factory=list)
    cost_range: list[float | None] | None = None  # [low, high]: ranged prices at the bottom / top
    fees: list[dict[str, Any]] = field(default_factory=list)  # credential fees and dues (each with source)
    total_with_fees: float | None = None  # total_cost + fees
    deadlines: dict[str, Any] | None = None  # cycle_end, finish_by, submit_by (per credential)
    notes: list[str] = field(default_factory=list)
    frontier: list[Plan] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    #: True when nothing remains to be earned (every requirement is met): nothing to buy.
    complete: bool = False
    #: Per credential whose requirements are all met: what was counted (recommender.done).
    met: list[dict[str, Any]] = field(default_factory=list)
    #: Plain-word warnings about the input (a transcript cycle that starts after today or ended before it).
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """A plan to follow: proven optimal, or (when asked for) the cheapest estimate."""
        return self.status in ("optimal", "estimated")

    def to_json(self) -> dict[str, Any]:
        out = self._json()
        if self.frontier:
            out["frontier"] = [p._json() for p in self.frontier]
        return out

    def _json(self) -> dict[str, Any]:
        """This plan's own keys (a frontier member is the same shape without `frontier`)."""
        out: dict[str, Any] = {
            "status": self.status,
            "total_cost": self.total_cost,
            "total_hours": self.total_hours,
            "selected": self.selected,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.why:
            out["why"] = self.why
        if self.shortfalls:
            out["shortfalls"] = self.shortfalls
        out.update(
            memberships=self.memberships,
            requirements=self.requirements,
            estimate=self.estimate.to_json() if self.estimate is not None else None,
            assumptions=self.assumptions,
            cost_range=self.cost_range,
            fees=self.fees,
            total_with_fees=self.total_with_fees,
            deadlines=self.deadlines,
            notes=self.notes,
            proof=self.proof,
            complete=self.complete,
        )
        if self.met:
            out["met"] = self.met
        if self.warnings:
            out["warnings"] = self.warnings
        return out

    def to_frame(self):
        """The selected offerings as a pandas DataFrame (imports pandas)."""
        import pandas as pd

        rows = [
            {k: v for k, v in s.items() if not isinstance(v, dict | list)}
            | {f"credits_{a}": s["credits_by_area"].get(a, 0) for a in AREAS}
            for s in self.selected
        ]
        return pd.DataFrame(rows)


def term_months(table: OfferingTable, m: int) -> int | None:
    t = table.term_months[m]
    if not np.isnan(t):
        return int(t)
    return {"per_year": 12, "per_month": 1}.get(table.price_basis[m])


def build_plan(
    table: OfferingTable, model: Model, x: np.ndarray, reqs: list[Requirement], *, as_of: date
) -> Plan:
    """Describe the solution vector `x` of `model` for people and programs."""
    on = np.flatnonzero((model.col_kind < 3) & (x > 0.5))
    picks = [
        (
            int(model.col_offering[c]),
            int(model.col_kind[c]),
            int(model.col_via[c]),
            int(model.cost[c]),
            int(model.minutes[c]),
        )
        for c in on
    ]
    selected = []
    by_membership: dict[int, list[int]] = {}
    est = False
    first = reqs[0] if reqs else None
    amounts = {r.name: r.amounts() for r in reqs}
    for o, kind, via, cents, _ in picks:
        if kind == 2:
            continue
        est |= bool(table.price_is_estimate[o])
        row = {
            "id": table.id[o],
            "title": table.title[o],
            "provider": table.provider[o],
            "kind": table.kind[o],
            "price_paid": dollars(cents),
            "list_price": dollars(table.price_cents[o]) if table.price_cents[o] >= 0 else None,
            "price_is_estimate": bool(table.price_is_estimate[o]),
            "via_membership": table.id[via] if via >= 0 else None,
            "hours": None if np.isnan(table.hours[o]) else _num(table.hours[o]),
            "delivery": table.delivery[o],
            "url": table.url[o],
        }
        if first is not None:
            amt = first.amounts()[o]
            row["credits_by_area"] = {k: _num(v) for k, v in zip(AREA_KEYS, amt, strict=True) if v > 0}
            row["unit"] = first.unit
        counts: dict[str, Any] = {}
        serves = []
        row["credits_by_credential"] = {}
        for r in reqs:
            counts[r.name or "hours"] = _num(r.view.value[o])
            areas = {k: _num(v) for k, v in zip(AREA_KEYS, amounts[r.name][o], strict=True) if v > 0}
            row["credits_by_credential"][r.name or "hours"] = {
                "unit": r.unit,
                "total": _num(r.view.value[o]),
                "by_area": areas,
            }
            serves += [r.label(k) for k, _ in r.rows() if r.eligible(k)[o]]
        row["credits"] = counts
        row["serves"] = serves
        selected.append(row)
        if via >= 0:
            by_membership.setdefault(via, []).append(o)
    memberships = []
    for o, kind, _, cents, _ in picks:
        if kind != 2:
            continue
        covered = by_membership.get(o, [])
        alone = [int(table.price_cents[c]) for c in covered]
        member = [
            int(member_cents(np.array([table.price_cents[c]]), table.discount_pct[o])[0]) for c in covered
        ]
        unknown = sum(1 for a in alone if a < 0)
        savings = (
            sum(a for a in alone if a >= 0)
            - sum(m for m, a in zip(member, alone, strict=True) if a >= 0)
            - cents
        )
        months = term_months(table, o)
        cancel = add_months(as_of, months) - timedelta(days=1) if months else None
        basis = table.price_basis[o]
        memberships.append(
            {
                "id": table.id[o],
                "title": table.title[o],
                "provider": table.provider[o],
                "price_paid": dollars(cents),
                "price_basis": basis,
                "term_months": months,
                "renews": basis in ("per_year", "per_month"),
                "cancel_renewal_by": cancel.isoformat()
                if cancel and basis in ("per_year", "per_month")
                else None,
                "covers_in_plan": [table.id[c] for c in covered],
                "savings_vs_single_purchases": dollars(savings) if not unknown else None,
                "savings_note": (
                    f"{unknown} covered offering(s) have no single-purchase price: only available "
                    f"through the membership"
                )
                if unknown
                else None,
                "url": table.url[o],
            }
        )
    total_cents = int(sum(p[3] for p in picks))
    total_minutes = int(sum(p[4] for p in picks))
    requirements = []
    for r in reqs:
        for key, need in r.rows():
            requirements.append(
                {"credential": r.name or None, "gap": key, "needed": _num(need), "unit": r.unit}
            )
    plan = Plan(
        "optimal",
        dollars(total_cents),
        _num(total_minutes / 60.0),
        selected,
        memberships,
        requirements,
    )
    if est:
        plan.notes.append(
            "some prices are published only as a range: planned at the top of the range (estimate)"
        )
    if any(np.isnan(table.hours[s]) for s, k, *_ in picks if k != 2):
        plan.notes.append(
            "some selected offerings do not state their hours: the total counts them as 0 hours"
        )
    return plan
