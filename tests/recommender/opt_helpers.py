"""Random duplicate-heavy catalogs and an exact brute-force oracle for the optimizer tests."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st
from scipy.optimize import linprog

from recommender.counting import Requirement
from recommender.model import build, candidates, member_cents
from recommender.rules import Cap, CredentialView
from recommender.table import AREAS, OfferingTable

PROFILES = [  # (credits, areas split, approved, topic)
    (1, {"clinical": 1}, True, False),
    (2, {"general": 2}, False, True),
    (2, {"clinical": 1, "general": 1}, True, True),
    (3, {"administrative": 3}, True, False),
    (1, None, False, False),
    (2, {"administrative": 2}, False, False),
]


@st.composite
def catalogs(draw, max_courses: int = 8, max_members: int = 2):
    n = draw(st.integers(3, max_courses))
    pool = draw(st.lists(st.sampled_from(range(len(PROFILES))), min_size=2, max_size=4))
    rows = []
    for i in range(n):
        credits, split, approved, topic = PROFILES[draw(st.sampled_from(pool))]
        price = draw(st.sampled_from([0, 5, 10, 10, 15, 20, 35, 35, 50, None]))
        rows.append(
            {
                "id": f"c{i}",
                "title": f"course {i}",
                "provider": draw(st.sampled_from(["P", "Q"])),
                "kind": "course",
                "price_usd": price,
                "hours": draw(st.sampled_from([1, 1, 2, 3])) * credits / 2,
                "credits": credits,
                "credit_unit": "contact_hour",
                "url": "u",
                **{f"credits_{a}": (None if split is None else split.get(a, 0)) for a in AREAS},
                "approved_by": ["AAMA"] if approved else [],
                "topics": ["ethics"] if topic else [],
                "delivery": "online",
            }
        )
    for j in range(draw(st.integers(0, max_members))):
        rows.append(
            {
                "id": f"m{j}",
                "title": f"member {j}",
                "provider": "P",
                "kind": "membership",
                "price_usd": draw(st.sampled_from([0, 10, 20, 30, 45])),
                "covers": draw(st.sampled_from(["provider=P", "provider=Q"])),
                "discount_pct": draw(st.sampled_from([50, 100])),
                "term_months": 12,
                "url": "u",
                "price_basis": "per_year",
            }
        )
    table = OfferingTable.from_records(rows)
    gaps = {a: float(draw(st.integers(0, 2))) for a in AREAS}
    gaps["total"] = sum(gaps.values()) + draw(st.integers(0, 2))
    if draw(st.booleans()):
        gaps["approved:AAMA"] = float(draw(st.integers(1, 3)))
    if draw(st.booleans()):
        gaps["topic:ethics"] = float(draw(st.integers(1, 2)))
    caps = []
    for k in range(draw(st.integers(0, 2))):
        mask = np.array([draw(st.booleans()) for _ in range(len(table))]) & ~table.is_covering()
        caps.append(Cap(f"cap{k}", mask, float(draw(st.sampled_from([1, 2, 3, 5])))))
    return table, make_requirement(table, gaps, caps)


def make_requirement(table: OfferingTable, gaps: dict, caps=()) -> Requirement:
    counts = ~np.isnan(table.credits) & ~table.is_covering()
    value = np.where(counts, np.nan_to_num(table.credits), 0.0)
    area = np.where(np.isnan(table.area_credits), 0.0, table.area_credits) * counts[:, None]
    view = CredentialView(
        value,
        area,
        counts,
        np.full(len(table), "", dtype=object),
        {"AAMA": table.has("approved_by", "AAMA") & counts},
        {"ethics": table.has("topics", "ethics") & counts},
        list(caps),
        "contact_hour",
    )
    return Requirement("T", view, gaps, {}, "contact_hour")


def feasible(req: Requirement, chosen: np.ndarray) -> bool:
    """Exact: an LP over per-offering, per-area counted amounts (no aggregation), caps respected.

    Deliberately written apart from recommender.counting.allocate (scipy's linprog, a plain
    feasibility LP): the brute-force oracle must not share the code it checks, and
    tests/recommender/test_counting.py checks that the two agree.
    """
    amt = req.amounts() * chosen[:, None]
    idx = np.argwhere(amt > 0)
    rows = req.rows()
    if not len(idx):
        return not rows
    nv = len(idx)
    for key, need in rows:  # quick necessary check, caps ignored
        if float((req.coefficient(key) * chosen).sum()) < need - 1e-9:
            return False
    A, b = [], []
    for key, need in rows:
        if key in AREAS:
            coef = (idx[:, 1] == AREAS.index(key)).astype(float)
        elif key == "total":
            coef = np.ones(nv)
        else:
            coef = req.eligible(key)[idx[:, 0]].astype(float)
        A.append(-coef)
        b.append(-need)
    for _, mask, lim in req.cap_limits():
        A.append(mask[idx[:, 0]].astype(float))
        b.append(lim)
    res = linprog(
        np.zeros(nv),
        A_ub=np.array(A),
        b_ub=np.array(b),
        bounds=list(zip(np.zeros(nv), amt[idx[:, 0], idx[:, 1]], strict=True)),
        method="highs",
    )
    return res.status == 0


def brute_force(table: OfferingTable, req: Requirement) -> tuple[int, int] | None:
    """(cents, minutes) of the lexicographically best plan by enumerating every purchase set."""
    courses = np.flatnonzero(~table.is_covering())
    members = np.flatnonzero(table.is_covering() & (table.price_cents >= 0))
    minutes = table.minutes()
    best = None
    cands = []
    for mset in itertools.product([0, 1], repeat=len(members)):
        bought_m = [m for m, b in zip(members, mset, strict=True) if b]
        mcost = int(sum(table.price_cents[m] for m in bought_m))
        price = {}
        for o in courses:
            opts = [int(table.price_cents[o])] if table.price_cents[o] >= 0 else []
            for m in bought_m:
                if table.covered_by(table.covers[m])[o]:
                    mc = int(member_cents(np.array([table.price_cents[o]]), table.discount_pct[m])[0])
                    if mc >= 0:
                        opts.append(mc)
            if opts:
                price[o] = min(opts)
        buyable = [o for o in courses if o in price]
        for cset in itertools.product([0, 1], repeat=len(buyable)):
            chosen = [o for o, b in zip(buyable, cset, strict=True) if b]
            cost = mcost + sum(price[o] for o in chosen)
            mins = int(sum(minutes[o] for o in chosen))
            cands.append((cost, mins, chosen))
    cands.sort(key=lambda t: (t[0], t[1]))
    for cost, mins, chosen in cands:
        if best is not None and (cost, mins) > best:
            break
        mask = np.zeros(len(table), dtype=bool)
        mask[chosen] = True
        if feasible(req, mask):
            return (cost, mins)
    return best


def optimize(table: OfferingTable, reqs: list[Requirement], *, presolve: bool = True, fixing: bool = True):
    """(cents, minutes, model, solution) from the real optimizer path; None if infeasible."""
    from recommender.explain import bound_check
    from recommender.presolve import prune
    from recommender.solve import Solver, plan_cost_cents, recheck

    c = candidates(table, reqs, np.ones(len(table), dtype=bool))
    if presolve:
        c, _ = prune(c, reqs)
    model = build(c, reqs)
    if not model.cover_rows:
        return 0, 0, model, None
    if bound_check(model, reqs):
        return None
    sol = Solver(model).lexicographic(fixing=fixing)
    if sol.status == "infeasible":
        return None
    assert sol.status == "optimal"
    assert recheck(model, sol.x, reqs) == []
    assert plan_cost_cents(model, sol.x, table) == sol.cents
    return sol.cents, sol.minutes, model, sol
