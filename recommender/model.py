"""Gaps + offerings -> a mixed-integer model (numpy / scipy.sparse only, built vectorized).

Columns:
  * one binary per purchase *option* of an offering: its full price (`x_o`, when the price is
    known) and one member price per covering membership (`z_om`, price x (1 - discount), only
    when cheaper than the full price); `sum(options of o) <= 1` and `z_om <= y_m`;
  * one binary `y_m` per membership or bundle (its own price);
  * continuous allocation variables `u[k, class, area]` for capped credits: per credential k,
    capped offerings are grouped into classes (same caps, same approved/topic rows), and
    `u <= credits bought in that class and area`, `sum(u of a cap) <= cap`. Rows count `u`
    instead of the capped credits, so which capped credits count (and where) is the solver's
    choice, i.e. in the user's favour. Grouping identical columns is exact.
Rows are named like `CMA:clinical>=10`, `CMA:cap:non_aama<=30`, `buy-once:<id>`, `member:<id>`.
Costs are integer cents; hours are integer minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from recommender.counting import AREA_KEYS, EPS, Requirement
from recommender.table import OfferingTable


@dataclass
class Candidates:
    """Offerings that can be bought and would count, with their purchase options (table indices)."""

    table: OfferingTable
    offerings: np.ndarray  # int64 table indices of credit-earning candidates
    memberships: np.ndarray  # int64 table indices of memberships/bundles with a known price
    full_ok: np.ndarray  # bool per candidate: full price known
    pair_o: np.ndarray  # candidate position of each (offering, membership) member option
    pair_m: np.ndarray  # membership position
    pair_cents: np.ndarray  # member price in cents
    minutes: np.ndarray  # int64 per candidate
    incumbent: Any = None  # a verified plan over these candidates (recommender.greedy.GreedyPlan), if known


def member_cents(price_cents: np.ndarray, discount_pct: float) -> np.ndarray:
    """price x (1 - discount) in whole cents, rounded half up; -1 where unknown (free at 100%)."""
    d = 100.0 if np.isnan(discount_pct) else float(discount_pct)
    if d >= 100.0:
        return np.zeros_like(price_cents)
    out = np.floor(price_cents * (100.0 - d) / 100.0 + 0.5).astype(np.int64)
    return np.where(price_cents < 0, -1, out)


def candidates(table: OfferingTable, reqs: list[Requirement], available: np.ndarray) -> Candidates:
    """Price every available offering that counts toward some open gap of some credential."""
    covering = table.is_covering()
    useful = np.zeros(len(table), dtype=bool)
    for r in reqs:
        for key, _ in r.rows():
            useful |= r.eligible(key)
    cand_mask = available & ~covering & useful
    mem = np.flatnonzero(available & covering & (table.price_cents >= 0))
    full_ok_all = table.price_cents >= 0
    po, pm, pc = [], [], []
    pos = np.full(len(table), -1, dtype=np.int64)
    pos[cand_mask] = np.arange(int(cand_mask.sum()))
    kept_mem = []
    for m in mem:
        cov = table.covered_rows(table.covers[m])
        cov = cov[cand_mask[cov]]
        if not len(cov):
            continue
        cents = member_cents(table.price_cents[cov], table.discount_pct[m])
        ok = (cents >= 0) & (~full_ok_all[cov] | (cents < table.price_cents[cov]))
        if not ok.any():
            continue
        kept_mem.append(m)
        po.append(pos[cov[ok]])
        pm.append(np.full(int(ok.sum()), len(kept_mem) - 1))
        pc.append(cents[ok])

    def cat(xs, dt):
        return np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)

    pair_o, pair_m, pair_cents = cat(po, np.int64), cat(pm, np.int64), cat(pc, np.int64)
    offs = np.flatnonzero(cand_mask)
    has_member = np.zeros(len(offs), dtype=bool)
    has_member[pair_o] = True
    full_ok = full_ok_all[offs]
    buyable = full_ok | has_member
    # drop offerings with no known way to pay for them (never planned as free)
    remap = np.full(len(offs), -1, dtype=np.int64)
    remap[buyable] = np.arange(int(buyable.sum()))
    keep_pair = buyable[pair_o]
    return Candidates(
        table=table,
        offerings=offs[buyable],
        memberships=np.asarray(kept_mem, dtype=np.int64),
        full_ok=full_ok[buyable],
        pair_o=remap[pair_o[keep_pair]],
        pair_m=pair_m[keep_pair],
        pair_cents=pair_cents[keep_pair],
        minutes=table.minutes()[offs[buyable]],
    )


def subset(
    c: Candidates, keep: np.ndarray, keep_pair: np.ndarray | None = None, keep_full: np.ndarray | None = None
) -> Candidates:
    """Candidates restricted to the positions in `keep` (memberships left unused are dropped).

    Optionally also drop member options (`keep_pair`, a mask over pairs) and full-price options
    (`keep_full`, a mask over positions). The incumbent is carried over.
    """
    keep = np.sort(np.asarray(keep, dtype=np.int64))
    remap = np.full(len(c.offerings), -1, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    pk = remap[c.pair_o] >= 0
    if keep_pair is not None:
        pk &= keep_pair
    used = np.unique(c.pair_m[pk])
    mremap = np.full(len(c.memberships), -1, dtype=np.int64)
    mremap[used] = np.arange(len(used))
    full_ok = c.full_ok if keep_full is None else c.full_ok & keep_full
    return Candidates(
        c.table,
        c.offerings[keep],
        c.memberships[used],
        full_ok[keep],
        remap[c.pair_o[pk]],
        mremap[c.pair_m[pk]],
        c.pair_cents[pk],
        c.minutes[keep],
        c.incumbent,
    )


@dataclass
class Model:
    """min cost @ x  s.t.  row_lo <= A x <= row_hi, integrality, 0 <= x <= col_hi."""

    cost: np.ndarray  # int64 cents per column
    minutes: np.ndarray  # int64 minutes per column
    A: sp.csc_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    col_hi: np.ndarray
    integrality: np.ndarray  # 1 binary, 0 continuous
    row_names: list[str]
    col_offering: np.ndarray  # table index (offering or membership) per column, -1 for allocations
    col_via: np.ndarray  # table index of the membership a member-price option depends on, else -1
    col_kind: np.ndarray  # 0 full price, 1 member price, 2 membership, 3 allocation
    cover_rows: list[tuple[int, int, str, float]]  # (row, requirement index, gap key, amount)
    alloc: list[tuple[int, int, str, np.ndarray]] = field(
        default_factory=list
    )  # (col, req, area, class offs)
    start_cols: np.ndarray | None = None  # binary columns set to 1 by a known plan (the incumbent)
    upper_bound: int | None = None  # its cost in cents

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    def row(self, name: str) -> int:
        return self.row_names.index(name)


def build(c: Candidates, reqs: list[Requirement], *, max_minutes: int | None = None) -> Model:
    """Assemble the sparse model from priced candidates and each credential's gaps."""
    t = c.table
    p, k = len(c.offerings), len(c.memberships)
    # option columns: full price, then member prices
    full_i = np.flatnonzero(c.full_ok)
    opt_i = np.concatenate([full_i, c.pair_o])
    opt_cost = np.concatenate([t.price_cents[c.offerings[full_i]], c.pair_cents])
    n_opt = len(opt_i)
    P = sp.csc_matrix((np.ones(n_opt), (opt_i, np.arange(n_opt))), shape=(p, n_opt))  # offering x option

    rows_off: list[sp.spmatrix] = []  # rows over offerings (times P later)
    lo: list[float] = []
    hi: list[float] = []
    names: list[str] = []
    cover_rows: list[tuple[int, int, str, float]] = []
    alloc: list[tuple[int, int, str, np.ndarray]] = []
    n_u = 0
    u_rows_r, u_rows_c, u_rows_v = [], [], []

    def add_rows(mat: sp.spmatrix, lows, highs, labels):
        rows_off.append(sp.csr_matrix(mat))
        lo.extend(lows)
        hi.extend(highs)
        names.extend(labels)

    for ri, r in enumerate(reqs):
        open_rows = r.rows()
        if not open_rows:
            continue
        caps = r.cap_limits()
        capped = np.zeros(p, dtype=bool)
        for _, mask, _ in caps:
            capped |= mask[c.offerings]
        base = len(names)
        coef = np.vstack([np.where(capped, 0.0, r.coefficient(key)[c.offerings]) for key, _ in open_rows])
        add_rows(
            sp.csr_matrix(coef),
            [a for _, a in open_rows],
            [np.inf] * len(open_rows),
            [f"{r.label(key)}>={a:g}" for key, a in open_rows],
        )
        for j, (key, a) in enumerate(open_rows):
            cover_rows.append((base + j, ri, key, a))
        cap_idx = np.flatnonzero(capped)
        if not len(cap_idx):
            continue
        offs = c.offerings[cap_idx]
        flag_cols = [mask[offs] for _, mask, _ in caps]
        flag_keys = [key for key, _ in open_rows if key.tagged]
        flag_cols += [r.eligible(key)[offs] for key in flag_keys]
        flags = np.column_stack(flag_cols)
        classes, cls_of = np.unique(flags, axis=0, return_inverse=True)
        cls_of = cls_of.reshape(-1)
        amt = r.amounts()[offs]  # (m, 4)
        # availability rows: u[q,a] - sum_{o in q} amt[o,a] s_o <= 0
        sums = np.zeros((len(classes), 4))
        np.add.at(sums, cls_of, amt)
        qa = np.argwhere(sums > EPS)  # (q, a) pairs that get a u variable
        u_ids = n_u + np.arange(len(qa))
        n_u += len(qa)
        avail_base = len(names)
        lookup = {(int(q), int(a)): int(i) for i, (q, a) in enumerate(qa)}
        rr, cc, vv = [], [], []
        for i, (q, a) in enumerate(qa):
            members = cls_of == q
            sel = np.flatnonzero(members & (amt[:, a] > 0))
            rr.append(np.full(len(sel), i))
            cc.append(cap_idx[sel])
            vv.append(-amt[sel, a])
            alloc.append((int(u_ids[i]), ri, AREA_KEYS[a], offs[members]))
        m_avail = sp.csr_matrix(
            (np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc))), shape=(len(qa), p)
        )
        add_rows(
            m_avail,
            [-np.inf] * len(qa),
            [0.0] * len(qa),
            [f"{r.label('alloc')}:{AREA_KEYS[a]}#{q}" for q, a in qa],
        )
        u_rows_r.append(avail_base + np.arange(len(qa)))
        u_rows_c.append(u_ids)
        u_rows_v.append(np.ones(len(qa)))
        # the u variables feed the covering rows
        for j, (key, _a) in enumerate(open_rows):
            if key.kind == "area":
                sel = [i for (q, a), i in lookup.items() if a == key.area]
            elif key.kind == "total":
                sel = list(lookup.values())
            else:
                col = len(caps) + flag_keys.index(key)
                sel = [i for (q, a), i in lookup.items() if classes[q, col]]
            u_rows_r.append(np.full(len(sel), base + j))
            u_rows_c.append(u_ids[sel] if sel else np.zeros(0, np.int64))
            u_rows_v.append(np.ones(len(sel)))
        # cap rows
        cap_base = len(names)
        add_rows(
            sp.csr_matrix((len(caps), p)),
            [-np.inf] * len(caps),
            [lim for _, _, lim in caps],
            [f"{r.label('cap')}:{nm}<={lim:g}" for nm, _, lim in caps],
        )
        for ci in range(len(caps)):
            sel = [i for (q, a), i in lookup.items() if classes[q, ci]]
            u_rows_r.append(np.full(len(sel), cap_base + ci))
            u_rows_c.append(u_ids[sel] if sel else np.zeros(0, np.int64))
            u_rows_v.append(np.ones(len(sel)))

    # buy each offering at most once when it has several options
    n_options = np.bincount(opt_i, minlength=p)
    multi = np.flatnonzero(n_options > 1)
    if len(multi):
        add_rows(
            sp.csr_matrix((np.ones(len(multi)), (np.arange(len(multi)), multi)), shape=(len(multi), p)),
            [-np.inf] * len(multi),
            [1.0] * len(multi),
            [f"buy-once:{t.id[c.offerings[i]]}" for i in multi],
        )
    n_off_rows = len(names)
    A_off = sp.vstack(rows_off, format="csr") if rows_off else sp.csr_matrix((0, p))
    A_opt = (A_off @ P).tocoo()
    # member options need their membership: z - y <= 0
    n_pairs = len(c.pair_o)
    link_r = n_off_rows + np.arange(n_pairs)
    names.extend(
        f"member:{t.id[c.memberships[m]]}>={t.id[c.offerings[o]]}"
        for o, m in zip(c.pair_o, c.pair_m, strict=True)
    )
    lo.extend([-np.inf] * n_pairs)
    hi.extend([0.0] * n_pairs)
    col_y0 = n_opt
    col_u0 = n_opt + k
    n_cols = col_u0 + n_u
    r_parts = [A_opt.row, link_r, link_r]
    c_parts = [A_opt.col, len(full_i) + np.arange(n_pairs), col_y0 + c.pair_m]
    v_parts = [A_opt.data, np.ones(n_pairs), -np.ones(n_pairs)]
    if u_rows_r:
        r_parts.append(np.concatenate(u_rows_r))
        c_parts.append(col_u0 + np.concatenate(u_rows_c))
        v_parts.append(np.concatenate(u_rows_v))
    minutes = np.concatenate([c.minutes[opt_i], np.zeros(k + n_u, np.int64)])
    if max_minutes is not None:
        r_parts.append(np.full(n_opt, len(names)))
        c_parts.append(np.arange(n_opt))
        v_parts.append(minutes[:n_opt].astype(float))
        names.append(f"minutes<={max_minutes}")
        lo.append(-np.inf)
        hi.append(float(max_minutes))
    A = sp.csc_matrix(
        (
            np.concatenate(v_parts),
            (np.concatenate(r_parts).astype(np.int64), np.concatenate(c_parts).astype(np.int64)),
        ),
        shape=(len(names), n_cols),
    )
    cost = np.concatenate([opt_cost, t.price_cents[c.memberships], np.zeros(n_u, np.int64)]).astype(np.int64)
    integrality = np.concatenate([np.ones(n_opt + k, np.int8), np.zeros(n_u, np.int8)])
    col_hi = np.concatenate([np.ones(n_opt + k), np.full(n_u, np.inf)])
    col_offering = np.concatenate([c.offerings[opt_i], c.memberships, np.full(n_u, -1)]).astype(np.int64)
    col_via = np.concatenate(
        [np.full(len(full_i), -1), c.memberships[c.pair_m], np.full(k + n_u, -1)]
    ).astype(np.int64)
    col_kind = np.concatenate(
        [np.zeros(len(full_i)), np.ones(n_pairs), np.full(k, 2), np.full(n_u, 3)]
    ).astype(np.int8)
    alloc = [(col_u0 + u, ri, a, offs) for u, ri, a, offs in alloc]
    model = Model(
        cost,
        minutes,
        A,
        np.asarray(lo, float),
        np.asarray(hi, float),
        col_hi,
        integrality,
        names,
        col_offering,
        col_via,
        col_kind,
        cover_rows,
        alloc,
    )
    if c.incumbent is not None:
        model.start_cols = incumbent_columns(model, c.incumbent)
        model.upper_bound = None if model.start_cols is None else int(c.incumbent.cents)
    return model


def incumbent_columns(m: Model, inc: Any) -> np.ndarray | None:
    """Columns of a known plan (offering, via membership) in model `m`; None if one is missing."""
    n = (
        int(
            max(
                m.col_offering.max(initial=0),
                np.max(inc.offerings, initial=0),
                np.max(inc.memberships, initial=0),
            )
        )
        + 2
    )
    col_key = np.where(
        m.col_kind < 2, m.col_offering * n + m.col_via + 1, np.where(m.col_kind == 2, -2 - m.col_offering, -1)
    )
    want = np.concatenate(
        [np.asarray(inc.offerings) * n + np.asarray(inc.via) + 1, -2 - np.asarray(inc.memberships)]
    )
    order = np.argsort(col_key, kind="stable")
    at = np.clip(np.searchsorted(col_key[order], want), 0, len(order) - 1)
    cols = order[at] if len(order) else np.zeros(0, np.int64)
    if len(want) and (
        not len(order) or (col_key[cols] != want).any() or int(m.cost[cols].sum()) != int(inc.cents)
    ):
        return None
    return np.asarray(cols, dtype=np.int64)
