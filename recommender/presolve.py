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
copies. tests/recommender/test_presolve*.py check this against brute force.
"""

from __future__ import annotations

import math

import numpy as np

from recommender.model import AREAS, EPS, Candidates, Requirement, subset


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
            if key not in AREAS and key != "total":
                cols.append(feeds.astype(np.float64))
        for _, mask, _ in r.cap_limits():
            cols.append(mask[c.offerings].astype(np.float64))
        a_min = np.where(rhs_max > 0, np.minimum(a_min, pos), a_min)
    # covering memberships as bit words (exact, vectorized per membership)
    words = np.zeros((p, max(1, math.ceil(len(c.memberships) / 52))), dtype=np.float64)
    np.add.at(words, (c.pair_o, c.pair_m // 52), np.exp2((c.pair_m % 52).astype(np.float64)))
    cols.extend(words.T)
    key = np.column_stack(cols) if cols else np.zeros((p, 0))
    _, group = np.unique(key, axis=0, return_inverse=True)
    group = group.reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(np.isfinite(a_min) & (rhs_max > 0), np.ceil(rhs_max / a_min - 1e-9), 0)
    return group, k.astype(np.int64)


def prune(c: Candidates, reqs: list[Requirement]) -> tuple[Candidates, dict[str, int]]:
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
