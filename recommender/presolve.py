"""Presolve that provably keeps the optimum: identical-profile pruning.

Two candidates have the same *profile* when they have identical columns in the model apart
from their price: the same units per area and area-unknown remainder, the same approved,
topic and cap memberships for every credential, the same minutes, and the same set of
covering memberships. Within a profile, keep only the K cheapest copies, where

    K = ceil(max rhs of the rows the profile feeds / smallest positive amount it provides).

Why this keeps the optimum (cost first, then minutes):
  1. Exchange: a plan using copy b but not a cheaper copy a of the same profile can take a
     instead; every row sees the same column, full and member prices are monotone in the
     list price, minutes are equal. So some optimal plan uses the cheapest copies.
  2. Count: if a plan uses c > K copies, drop one. The c - 1 >= K copies left provide at
     least K x (smallest amount) >= rhs in every row the profile feeds, whether directly or
     through a capped allocation (an allocation is then at least that amount too), so every
     covering row stays met; caps, budgets, hour limits and membership links only get
     slacker, and cost and minutes do not rise (prices and minutes are >= 0).
"Drop an offering dominated by one cheaper offering" is *not* sound: a plan may need several
copies. tests/recommender/test_properties.py checks this against brute force.

Then a bound filter (only without an hours limit): a heuristic plan (greedy, also with each
promising membership bought up front), verified exactly by `counting.plan_is_feasible`, costs UB.
Every cost is >= 0, so a plan using a purchase option costs at least the option's price plus
the price of the membership it needs; options above UB (and memberships above UB) are in no plan
costing <= UB, hence in no cheapest plan and in no plan of the hours phase (which costs C* <= UB).
The verified plan stays in the model and is the solver's starting solution.
"""

from __future__ import annotations

import numpy as np

from recommender.bounds import full_price_limit
from recommender.counting import EPS, Requirement, plan_is_feasible
from recommender.model import Candidates, subset
from recommender.profiles import group_rows

__all__ = ["incumbent", "plan_is_feasible", "profile_keys", "prune", "prune_profiles"]


def profile_keys(c: Candidates, reqs: list[Requirement]) -> tuple[np.ndarray, np.ndarray]:
    """(group id per candidate, K per candidate's group)."""
    p = len(c.offerings)
    cols: list[np.ndarray] = [c.minutes.astype(np.float64)]
    a_min = np.full(p, np.inf)
    rhs_max = np.zeros(p)
    for r in reqs:
        amt = r.amounts()[c.offerings]
        cols.extend(amt.T)
        pos = np.where(amt > EPS, amt, np.inf).min(axis=1)
        for key, a in r.rows():
            feeds = r.eligible(key)[c.offerings]
            rhs_max = np.where(feeds, np.maximum(rhs_max, a), rhs_max)
            if key.tagged:
                cols.append(feeds.astype(np.float64))
        for _, mask, _ in r.cap_limits():
            cols.append(mask[c.offerings].astype(np.float64))
        a_min = np.where(rhs_max > 0, np.minimum(a_min, pos), a_min)
    # covering memberships: an exact set per candidate (hashed, then verified, in recommender.profiles)
    group = group_rows(cols, c.pair_o, c.pair_m, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(np.isfinite(a_min) & (rhs_max > 0), np.ceil(rhs_max / a_min - 1e-9), 0)
    return group, k.astype(np.int64)


def prune(c: Candidates, reqs: list[Requirement], *, bound: bool = True) -> tuple[Candidates, dict[str, int]]:
    """Keep the K cheapest copies of each profile, then (if `bound`) drop options above a verified plan's cost."""
    kept, stats = prune_profiles(c, reqs)
    if not bound or not len(kept.offerings):
        return kept, stats
    inc = incumbent(kept, reqs)
    if inc is None:
        return kept, stats
    out = bound_filter(kept, inc, reqs)
    stats.update(
        upper_bound_cents=int(inc.cents),
        offerings_kept=len(out.offerings),
        offerings_profiles=len(kept.offerings),
    )
    return out, stats


def bound_filter(c: Candidates, inc, reqs: list[Requirement] | None = None) -> Candidates:
    """Drop every option (and membership) whose price plus its membership's price exceeds the plan `inc`.

    With `reqs`, full-price options also drop above UB minus the cheapest membership when no plan
    without a membership can cost <= UB (recommender/bounds.py).
    """
    ub = int(inc.cents)
    t = c.table
    m_price = t.price_cents[c.memberships]
    keep_pair = c.pair_cents + m_price[c.pair_m] <= ub
    limit = ub if reqs is None else full_price_limit(c, reqs, ub)
    keep_full = t.price_cents[c.offerings] <= limit
    has = keep_full & c.full_ok
    has[c.pair_o[keep_pair]] = True
    out = subset(c, np.flatnonzero(has), keep_pair, keep_full)
    out.incumbent = inc
    return out


def incumbent(c: Candidates, reqs: list[Requirement], tries: int = 6):
    """The cheapest verified greedy plan: plain, and with each of the most promising memberships bought first.

    A membership's promise: its price plus the cheapest fractional cover, at member prices, of the
    largest open gap by the offerings it covers. Each forced run sees the membership's offerings,
    the plain plan's offerings and the free ones, so it stays small.
    """
    from recommender.greedy import greedy_plan

    def verified(g):
        return g if g is not None and plan_is_feasible(reqs, g.offerings) else None

    best = verified(greedy_plan(c, reqs))
    if not len(c.memberships) or not len(c.pair_o):
        return best
    t = c.table
    need = max((a for r in reqs for _, a in r.rows()), default=0.0)
    gain = np.zeros(len(c.offerings))
    for r in reqs:
        for key, a in r.rows():
            gain = np.maximum(gain, np.minimum(a, r.coefficient(key)[c.offerings]))
    g = gain[c.pair_o]
    ok = g > EPS
    ratio = np.where(ok, c.pair_cents / np.where(ok, g, 1.0), np.inf)
    order = np.lexsort((ratio, c.pair_m))
    pm, gg, rr = c.pair_m[order], np.where(ok, g, 0.0)[order], ratio[order]
    start = np.r_[0, np.flatnonzero(pm[1:] != pm[:-1]) + 1]
    cum = np.cumsum(gg)
    before = (
        cum - gg - np.repeat(cum[start] - gg[start], np.diff(np.r_[start, len(pm)]))
    )  # gain before each pair
    take = np.clip(need - before, 0.0, gg)
    spend = np.zeros(len(c.memberships))
    np.add.at(spend, pm, np.where(take > 0, take * np.where(np.isfinite(rr), rr, 0.0), 0.0))
    reach = np.zeros(len(c.memberships))
    np.add.at(reach, pm, gg)
    score = t.price_cents[c.memberships] + spend + np.where(reach >= need - EPS, 0.0, np.inf)
    base = np.zeros(len(c.offerings), dtype=bool)
    if best is not None:
        base[np.searchsorted(c.offerings, best.offerings)] = True
    base |= c.full_ok & (t.price_cents[c.offerings] == 0)
    for m in np.argsort(score, kind="stable")[:tries]:
        if not np.isfinite(score[m]) or (best is not None and t.price_cents[c.memberships[m]] >= best.cents):
            continue
        pool = base.copy()
        pool[c.pair_o[c.pair_m == m]] = True
        g2 = verified(greedy_plan(subset(c, np.flatnonzero(pool)), reqs, forced=(int(c.memberships[m]),)))
        if g2 is not None and (best is None or g2.cents < best.cents):
            best = g2
    return best


def prune_profiles(c: Candidates, reqs: list[Requirement]) -> tuple[Candidates, dict[str, int]]:
    """Keep the K cheapest copies of each profile; return the reduced candidates and counts."""
    p = len(c.offerings)
    if p == 0:
        return c, {"offerings_in": 0, "offerings_kept": 0}
    group, k = profile_keys(c, reqs)
    price = c.table.price_cents[c.offerings].astype(np.float64)
    price[~c.full_ok] = np.inf  # unknown list price: only free through a 100% membership, sorts last
    order = np.lexsort((np.arange(p), price, group))
    g = group[order]
    start = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    first = np.repeat(start, np.diff(np.r_[start, p]))
    rank = np.arange(p) - first
    keep = order[rank < k[order]]
    return subset(c, keep), {"offerings_in": p, "offerings_kept": len(keep), "profiles": int(group.max()) + 1}
