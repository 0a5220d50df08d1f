"""A greedy heuristic (what a careful person would do by hand): a baseline for tests and
benchmarks, and the source of the presolve's starting plan (an upper bound on the optimum).

Repeatedly buy the purchase with the lowest price per unit of still-open gap it closes: a
course at its current best price, or a membership together with one covered course (its
price plus that course's member price). Capped credits count only up to the room left under
each cap. Vectorized per step. `forced` memberships are bought up front.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.counting import Requirement
from recommender.model import Candidates


@dataclass
class GreedyPlan:
    """A plan in table indices: bought offerings, the membership each was bought through (-1: full price)."""

    cents: int
    offerings: np.ndarray  # int64 table indices
    via: np.ndarray  # int64 table index of the membership used, -1 for the full price
    memberships: np.ndarray  # int64 table indices of the memberships bought


def greedy_cents(c: Candidates, reqs: list[Requirement]) -> int | None:
    g = greedy_plan(c, reqs)
    return None if g is None else g.cents


def greedy_plan(c: Candidates, reqs: list[Requirement], forced: tuple[int, ...] = ()) -> GreedyPlan | None:
    """The greedy plan over candidates `c` (None if it gets stuck); `forced` are membership table indices."""
    t = c.table
    p = len(c.offerings)
    need = [dict(r.rows()) for r in reqs]
    coefs = [{k: r.coefficient(k)[c.offerings] for k in need[i]} for i, r in enumerate(reqs)]
    caps = [[(mask[c.offerings], lim) for _, mask, lim in r.cap_limits()] for r in reqs]
    room = [[lim for _, lim in cs] for cs in caps]
    values = [r.view.value[c.offerings] for r in reqs]
    cur = np.where(c.full_ok, t.price_cents[c.offerings], 0).astype(np.float64)
    cur[~c.full_ok] = np.inf
    cur_via = np.full(p, -1, dtype=np.int64)  # membership position giving the current price
    m_price = t.price_cents[c.memberships].astype(np.float64)
    member_bought = np.zeros(len(c.memberships), dtype=bool)
    bought = np.zeros(p, dtype=bool)
    total = 0
    picks: list[tuple[int, int]] = []

    def join(m: int) -> int:
        member_bought[m] = True
        sel = np.flatnonzero((c.pair_m == m) & (c.pair_cents < cur[c.pair_o]))
        cur[c.pair_o[sel]] = c.pair_cents[sel]
        cur_via[c.pair_o[sel]] = m
        return int(m_price[m])

    for m in np.flatnonzero(np.isin(c.memberships, np.asarray(forced, dtype=np.int64))):
        total += join(int(m))

    def scales(ri: int) -> np.ndarray:
        s = np.ones(p)
        with np.errstate(divide="ignore", invalid="ignore"):
            for (mask, _), left in zip(caps[ri], room[ri], strict=True):
                s = np.where(mask, np.minimum(s, np.where(values[ri] > 0, left / values[ri], 0.0)), s)
        return np.clip(s, 0.0, 1.0)

    while any(a > 1e-9 for d in need for a in d.values()):
        sc = [scales(ri) for ri in range(len(reqs))]
        gain = np.zeros(p)
        for ri in range(len(reqs)):
            for k, a in need[ri].items():
                if a > 1e-9:
                    gain += np.minimum(a, coefs[ri][k] * sc[ri])
        gain[bought] = 0.0
        ok = gain > 1e-9
        if not ok.any():
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(ok, cur / gain, np.inf)
            j_ok = ~member_bought[c.pair_m] & ok[c.pair_o]
            pair_cost = m_price[c.pair_m] + np.minimum(c.pair_cents, cur[c.pair_o])
            pair_ratio = np.where(j_ok, pair_cost / np.where(j_ok, gain[c.pair_o], 1.0), np.inf)
        i = int(np.argmin(ratio))
        j = int(np.argmin(pair_ratio)) if len(pair_ratio) else -1
        if j >= 0 and pair_ratio[j] < ratio[i]:
            total += join(int(c.pair_m[j]))
            i = int(c.pair_o[j])
        elif not np.isfinite(ratio[i]):
            return None
        total += int(cur[i])
        bought[i] = True
        picks.append((i, int(cur_via[i])))
        for ri in range(len(reqs)):
            s = sc[ri][i]
            for ci, (mask, _) in enumerate(caps[ri]):
                if mask[i]:
                    room[ri][ci] -= values[ri][i] * s
            for k in need[ri]:
                need[ri][k] = max(0.0, need[ri][k] - coefs[ri][k][i] * s)
    pos = np.array([i for i, _ in picks], dtype=np.int64)
    via = np.array([-1 if m < 0 else int(c.memberships[m]) for _, m in picks], dtype=np.int64)
    used = sorted({int(v) for v in via if v >= 0})  # memberships actually used (a forced one may go unused)
    total -= int(sum(m_price[np.flatnonzero(member_bought & ~np.isin(c.memberships, used))]))
    return GreedyPlan(total, c.offerings[pos], via, np.asarray(used, dtype=np.int64))
