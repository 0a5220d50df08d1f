"""Why no plan exists: the pre-check of each constraint family's bound, the wording of a shortfall,
and, when HiGHS itself finds no plan, the family that blocks (found by relaxing one at a time).

The library returns these as an infeasible `Plan` whose `reason` names the requirement or the
constraint family; CLI and web only print it.
"""

from __future__ import annotations

import numpy as np

from recommender.counting import GapKey, Requirement
from recommender.families import FAMILIES, Shortfall
from recommender.filters import Filters
from recommender.model import Model
from recommender.numbers import json_number as _num
from recommender.plans import Plan, dollars
from recommender.table import OfferingTable

__all__ = ["Shortfall", "blocked_plan", "bound_check", "explain_shortfall", "failing_families"]


def bound_check(model: Model, reqs: list[Requirement]) -> list[Shortfall]:
    """Rows no plan can meet, by each family's own bound (no solve needed)."""
    return [s for fam in FAMILIES if fam.bound is not None for s in fam.bound(model, reqs)]


def shortfall_plan(
    table: OfferingTable,
    reqs: list[Requirement],
    shortfalls: list[Shortfall],
    avail: np.ndarray,
    f: Filters,
    stats: dict,
) -> Plan:
    """The infeasible plan for requirements the catalog cannot meet: the first explained, all listed."""
    s = shortfalls[0]
    reason = explain_shortfall(table, reqs[s.requirement], s.key, s.needed, s.at_most, avail, f)
    more = [
        f"{reqs[x.requirement].label(x.key)} (need {x.needed:g}, at most {x.at_most:g})"
        for x in shortfalls[1:]
    ]
    if more:
        reason += "; also short: " + ", ".join(more)
    p = infeasible_plan(reason, reqs, stats, "bound check (no solve needed)")
    p.shortfalls = [
        {
            "credential": reqs[x.requirement].name or None,
            "gap": x.key,
            "needed": _num(x.needed),
            "at_most": _num(x.at_most),
            "unit": reqs[x.requirement].unit,
        }
        for x in shortfalls
    ]
    from recommender.why import why_shortfall

    p.why = why_shortfall(table, reqs, shortfalls, avail, f)
    return p


def failing_families(model: Model, time_limit: float | None = None) -> tuple[list[str], bool]:
    """Families whose limiting rows, relaxed alone, let HiGHS find a plan; else all of them (together=True).

    Every cover row passed the bound check, and buying every candidate meets all cover rows,
    so relaxing every limiting family together always leaves a plan.
    """
    from recommender.solve import Solver

    present = list(dict.fromkeys(model.row_family[model.row_limit].tolist()))

    def feasible_without(names: list[str]) -> bool:
        relax = np.isin(model.row_family, names) & model.row_limit
        lo, hi = model.row_lo.copy(), model.row_hi.copy()
        lo[relax], hi[relax] = -np.inf, np.inf
        trial = Model(
            **{**model.__dict__, "row_lo": lo, "row_hi": hi, "start_cols": None, "upper_bound": None}
        )
        phase, _ = Solver(trial, time_limit=time_limit).run("relaxed", np.zeros(trial.n_cols))
        return phase.status == "optimal"

    alone = [name for name in present if feasible_without([name])]
    return (alone, False) if alone else (present, True)


def blocked_plan(
    model: Model, reqs: list[Requirement], f: Filters, stats: dict, time_limit: float | None = None
) -> Plan:
    """HiGHS found no plan although every gap alone can be met: name the constraint family that blocks."""
    names, together = failing_families(model, time_limit)
    describe = {fam.name: fam.describe for fam in FAMILIES if fam.describe is not None}
    texts = []
    for name in names:
        rows = [
            n
            for n, fam, lim in zip(model.row_names, model.row_family, model.row_limit, strict=True)
            if lim and fam == name
        ]
        texts.append(
            describe[name](rows) if name in describe else f"within the {name} rows ({', '.join(rows)})"
        )
    if together and len(texts) > 1:
        what = " and ".join(texts) + " together"
    else:
        what = " or ".join(texts) + (" (lifting either one would allow a plan)" if len(texts) > 1 else "")
    reason = f"no combination of offerings closes all gaps together {what}{f.describe()}"
    p = infeasible_plan(reason, reqs, stats, "HiGHS: infeasible")
    p.proof["families"] = names
    from recommender.why import why_blocked

    p.why = why_blocked(names, f)
    return p


def infeasible_plan(
    reason: str, reqs: list[Requirement], stats: dict, how: str, cost: float | None = None
) -> Plan:
    """A plan with status infeasible, the reason, and every open requirement."""
    p = Plan("infeasible", reason=reason, stats=stats, proof={"status": "infeasible", "by": how})
    p.requirements = [
        {"credential": r.name or None, "gap": k, "needed": a, "unit": r.unit}
        for r in reqs
        for k, a in r.rows()
    ]
    if cost is not None:
        p.proof["cheapest_cost"] = cost
    return p


def _what(req: Requirement, key: str) -> str:
    key = GapKey(key)
    if key.kind == "area":
        return f"{key} credits"
    if key.kind == "total":
        return "credits in total"
    return f"{key.name}-approved credits" if key.kind == "approved" else f"credits on topic {key.name!r}"


def explain_shortfall(
    table: OfferingTable,
    req: Requirement,
    key: str,
    need: float,
    at_most: float,
    avail: np.ndarray,
    f: Filters,
) -> str:
    """'at most 12 AAMA-approved credits ... exist with --delivery online; 30 needed' plus what the catalog lacks."""
    who = f" for {req.name}" if req.name else ""
    msg = (
        f"{req.label(key)}: at most {at_most:g} {_what(req, key)} ({req.unit}){who} can be earned from the catalog"
        f"{f.describe()}; {need:g} needed (short by {need - at_most:g})"
    )
    v, key = req.view, GapKey(key)
    if not key.tagged:
        tagged = ~table.is_covering()
    else:
        column = "approved_by" if key.kind == "approved" else "topics"
        tagged = table.has(column, key.name) & ~table.is_covering()
    unknown = tagged & (v.reason == "credits unknown")
    extra = []
    if unknown.any():
        idx = np.flatnonzero(unknown)
        names = "; ".join(f"{table.provider[i]}: {table.title[i]}" for i in idx[:3])
        covering = [
            m for m in np.flatnonzero(table.is_covering()) if table.covered_by(table.covers[m])[idx].any()
        ]
        via = ", ".join(
            f"{table.title[m]} (${dollars(table.price_cents[m]):.2f})"
            if table.price_cents[m] >= 0
            else table.title[m]
            for m in covering[:2]
        )
        extra.append(
            f"credit values unknown for {len(idx)} offering(s) ({names}{'; ...' if len(idx) > 3 else ''})"
            + (f", covered by {via}" if via else "")
        )
    if key.kind == "area":
        no_area = ~table.is_covering() & v.counts & (v.value > 0) & (v.area_value.sum(axis=1) <= 0)
        if no_area.any():
            extra.append(
                f"{int(no_area.sum())} offering(s) that count have no known content area "
                f"(never counted toward an area minimum)"
            )
    elig = req.eligible(key) & ~table.is_covering()
    no_price = elig & avail & (table.price_cents < 0)
    for m in np.flatnonzero(table.is_covering() & avail & (table.price_cents >= 0)):
        if np.isnan(table.discount_pct[m]) or table.discount_pct[m] >= 100:  # free with a priced membership
            no_price[table.covered_rows(table.covers[m])] = False
    if no_price.any():
        extra.append(
            f"{int(no_price.sum())} counting offering(s) have no published price (and no membership "
            f"includes them), so they are never planned as free"
        )
    filtered = elig & ~avail
    if filtered.any():
        extra.append(f"{int(filtered.sum())} counting offering(s) excluded by filters, transcript or expiry")
    return msg + (". " + "; ".join(extra) if extra else "")
