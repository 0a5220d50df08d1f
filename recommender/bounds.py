"""Cheap exact lower bounds used by the presolve's bound filter.

`no_membership_bound`: every plan that buys no membership pays full prices only, and must close
each open gap row on its own. Closing one row r alone, with fractional copies allowed and each
capped offering limited only by its tightest cap (both only make it cheaper), costs the fractional
knapsack value of r: take the options in increasing price per unit of r until r is met. The largest of these over all rows is a lower
bound on every membership-free plan.

If it exceeds a known plan's cost UB, every plan costing at most UB buys a membership, so it pays
at least the cheapest membership's price on top of any full-price option it buys: full-price options
priced above UB minus that are in no plan costing <= UB (hence in no cheapest plan, and in no plan
of the hours phase, which costs C* <= UB). All prices are >= 0.
"""

from __future__ import annotations

import numpy as np

from recommender.counting import EPS, Requirement
from recommender.model import Candidates


def knapsack_floor(
    price: np.ndarray, gain: np.ndarray, need: float, pool: np.ndarray, room: np.ndarray
) -> float:
    """min sum(price * x) s.t. gain counted >= need, 0 <= x <= 1, where items of pool q >= 0 count at most room[q]
    together (pool -1: no limit). Disjoint pools make it a polymatroid cover: greedy by price per unit is exact."""
    if need <= EPS:
        return 0.0
    ok = gain > EPS
    p, g, q = price[ok].astype(np.float64), gain[ok].astype(np.float64), pool[ok]
    order = np.argsort(p / g, kind="stable")
    p, g, q = p[order], g[order], q[order]
    eff = g.copy()
    for k in np.unique(q[q >= 0]):
        sel = np.flatnonzero(q == k)
        before = np.cumsum(g[sel]) - g[sel]
        eff[sel] = np.clip(room[k] - before, 0.0, g[sel])
    cum = np.cumsum(eff)
    if not len(cum) or cum[-1] < need - EPS:
        return float("inf")
    j = int(np.searchsorted(cum, need - EPS))  # first item that reaches `need`
    before_g = cum[j - 1] if j else 0.0
    unit = p / g
    return float((unit[:j] * eff[:j]).sum() + unit[j] * max(0.0, need - before_g))


def no_membership_bound(c: Candidates, reqs: list[Requirement]) -> float:
    """A lower bound on the cost of every plan over `c` that buys no membership (inf: none exists).

    Capped credits count through allocations limited by each cap; relaxed here to disjoint pools
    (each capped offering in the pool of its tightest cap), which only admits more plans.
    """
    offs = c.offerings[np.flatnonzero(c.full_ok)]
    price = c.table.price_cents[offs]
    best = 0.0
    for r in reqs:
        caps = r.cap_limits()
        room = np.array([lim for _, _, lim in caps], dtype=np.float64)
        pool = np.full(len(offs), -1, dtype=np.int64)
        for ci in np.argsort(-room, kind="stable"):  # tightest cap last, so it wins
            pool[caps[ci][1][offs]] = ci
        for key, need in r.rows():
            best = max(best, knapsack_floor(price, r.coefficient(key)[offs], need, pool, room))
    return best


def full_price_limit(c: Candidates, reqs: list[Requirement], ub: int) -> float:
    """The highest full price an option can have in a plan costing <= `ub` (ub, or less when plans need a membership)."""
    if not len(c.memberships) or not len(c.offerings):
        return float(ub)
    floor = no_membership_bound(c, reqs)
    if floor <= ub + 1e-6 * max(1.0, ub):
        return float(ub)
    return float(ub - c.table.price_cents[c.memberships].min())
