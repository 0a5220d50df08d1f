"""A greedy baseline (what a careful person would do by hand), for tests and benchmarks only.

Repeatedly buy the purchase with the lowest price per unit of still-open gap it closes: a
course at its current best price, or a membership together with one covered course (its
price plus that course's member price). Capped credits count only up to the room left under
each cap. Vectorized per step. Returns the cost in cents, or None if it gets stuck.
"""

from __future__ import annotations

import numpy as np

from recommender.model import Candidates, Requirement


def greedy_cents(c: Candidates, reqs: list[Requirement]) -> int | None:
    t = c.table
    p = len(c.offerings)
    need = [dict(r.rows()) for r in reqs]
    coefs = [{k: r.coefficient(k)[c.offerings] for k in need[i]} for i, r in enumerate(reqs)]
    caps = [[(mask[c.offerings], lim) for _, mask, lim in r.cap_limits()] for r in reqs]
    room = [[lim for _, lim in cs] for cs in caps]
    values = [r.view.value[c.offerings] for r in reqs]
    cur = np.where(c.full_ok, t.price_cents[c.offerings], np.iinfo(np.int64).max).astype(np.float64)
    cur[~c.full_ok] = np.inf
    m_price = t.price_cents[c.memberships].astype(np.float64)
    member_bought = np.zeros(len(c.memberships), dtype=bool)
    bought = np.zeros(p, dtype=bool)
    total = 0

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
            m = int(c.pair_m[j])
            member_bought[m] = True
            total += int(m_price[m])
            sel = c.pair_m == m
            np.minimum.at(cur, c.pair_o[sel], c.pair_cents[sel].astype(np.float64))
            i = int(c.pair_o[j])
        elif not np.isfinite(ratio[i]):
            return None
        total += int(cur[i])
        bought[i] = True
        for ri in range(len(reqs)):
            s = sc[ri][i]
            for ci, (mask, _) in enumerate(caps[ri]):
                if mask[i]:
                    room[ri][ci] -= values[ri][i] * s
            for k in need[ri]:
                need[ri][k] = max(0.0, need[ri][k] - coefs[ri][k][i] * s)
    return total
