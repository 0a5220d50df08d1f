"""A greedy baseline (what a careful person would do by hand), for tests and benchmarks only.

Repeatedly buy the purchase option with the lowest price per unit of still-open gap it
closes (a membership is valued as its price plus the member prices of the covered courses
it would make worth buying). Caps are respected by counting capped credits only up to
the room left under each cap. Returns cost in cents, or None if it gets stuck.
"""

from __future__ import annotations

import numpy as np

from recommender.model import Candidates, Requirement


def greedy_cents(c: Candidates, reqs: list[Requirement]) -> int | None:
    t = c.table
    p = len(c.offerings)
    need = [{k: a for k, a in r.rows()} for r in reqs]
    room = [{nm: lim for nm, _, lim in r.cap_limits()} for r in reqs]
    coefs = [{k: r.coefficient(k)[c.offerings] for k in need[i]} for i, r in enumerate(reqs)]
    capmask = [[(nm, mask[c.offerings]) for nm, mask, _ in r.cap_limits()] for r in reqs]
    full = np.where(c.full_ok, t.price_cents[c.offerings], -1)
    bought = np.zeros(p, dtype=bool)
    members: set[int] = set()
    total = 0

    def gain(i: int) -> float:
        g = 0.0
        for ri in range(len(reqs)):
            scale = 1.0
            for nm, mask in capmask[ri]:
                if mask[i]:
                    v = reqs[ri].view.value[c.offerings[i]]
                    scale = min(scale, room[ri][nm] / v if v > 0 else 0.0)
            for k, a in need[ri].items():
                if a > 1e-9:
                    g += min(a, coefs[ri][k][i] * scale)
        return g

    def price(i: int, with_members: set[int]) -> int:
        opts = [full[i]] if full[i] >= 0 else []
        for j in np.flatnonzero(c.pair_o == i):
            if c.pair_m[j] in with_members:
                opts.append(int(c.pair_cents[j]))
        return min(opts) if opts else -1

    while any(a > 1e-9 for d in need for a in d.values()):
        best, best_ratio, best_member = None, np.inf, None
        for i in np.flatnonzero(~bought):
            g = gain(i)
            if g <= 1e-9:
                continue
            pr = price(i, members)
            if pr >= 0 and pr / g < best_ratio:
                best, best_ratio, best_member = i, pr / g, None
            for m in range(len(c.memberships)):
                if m in members:
                    continue
                pm = price(i, members | {m})
                if pm >= 0 and (t.price_cents[c.memberships[m]] + pm) / g < best_ratio:
                    best, best_ratio, best_member = i, (t.price_cents[c.memberships[m]] + pm) / g, m
        if best is None:
            return None
        if best_member is not None:
            members.add(best_member)
            total += int(t.price_cents[c.memberships[best_member]])
        total += price(best, members)
        bought[best] = True
        for ri, r in enumerate(reqs):
            scale = 1.0
            for nm, mask in capmask[ri]:
                if mask[best]:
                    v = r.view.value[c.offerings[best]]
                    scale = min(scale, room[ri][nm] / v if v > 0 else 0.0)
            for nm, mask in capmask[ri]:
                if mask[best]:
                    room[ri][nm] -= r.view.value[c.offerings[best]] * scale
            for k in need[ri]:
                need[ri][k] = max(0.0, need[ri][k] - coefs[ri][k][best] * scale)
    return total


