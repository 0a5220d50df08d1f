"""Gaps + offerings -> a mixed-integer model (numpy only, built vectorized; no scipy on this path).

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

from recommender.counting import GapKey, Requirement
from recommender.sparse import Compressed
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
    A: Compressed  # by column
    row_lo: np.ndarray
    row_hi: np.ndarray
    col_hi: np.ndarray
    integrality: np.ndarray  # 1 binary, 0 continuous
    row_names: list[str]
    col_offering: np.ndarray  # table index (offering or membership) per column, -1 for allocations
    col_via: np.ndarray  # table index of the membership a member-price option depends on, else -1
    col_kind: np.ndarray  # 0 full price, 1 member price, 2 membership, 3 allocation
    cover_rows: list[tuple[int, int, GapKey, float]]  # (row, requirement index, gap key, amount)
    alloc: list[tuple[int, int, str, np.ndarray]] = field(
        default_factory=list
    )  # (col, req, area, class offs)
    row_family: np.ndarray | None = None  # object: the constraint family of each row (recommender.families)
    row_limit: np.ndarray | None = (
        None  # bool: the row restricts plans (relaxed to name an infeasible family)
    )
    start_cols: np.ndarray | None = None  # binary columns set to 1 by a known plan (the incumbent)
    upper_bound: int | None = None  # its cost in cents

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    def row(self, name: str) -> int:
        return self.row_names.index(name)


class Assembly:
    """The model under construction: purchase columns first, then rows (and columns) from each family.

    Offering-level entries are given per candidate and spread over the offering's purchase
    options when the model is finished (every option of an offering has its coefficient).
    """

    def __init__(self, c: Candidates, reqs: list[Requirement], max_minutes: int | None):
        self.c, self.reqs, self.max_minutes = c, reqs, max_minutes
        t = c.table
        self.p, self.k = len(c.offerings), len(c.memberships)
        full_i = np.flatnonzero(c.full_ok)
        self.n_full = len(full_i)
        self.opt_i = np.concatenate([full_i, c.pair_o])  # candidate position of each option column
        self.n_opt = len(self.opt_i)
        self.col_y0 = self.n_opt  # first membership column
        self.names: list[str] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.family: list[str] = []
        self.limit: list[bool] = []
        self.cover_rows: list[tuple[int, int, GapKey, float]] = []
        self.alloc: list[tuple[int, int, str, np.ndarray]] = []
        self._off: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (row, candidate, value)
        self._col: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (row, column, value)
        self._cols: dict[str, list[np.ndarray]] = {k: [] for k in _COLUMN_FIELDS}
        self.add_columns(
            cost=np.concatenate([t.price_cents[c.offerings[full_i]], c.pair_cents]),
            minutes=c.minutes[self.opt_i],
            offering=c.offerings[self.opt_i],
            via=np.concatenate([np.full(self.n_full, -1), c.memberships[c.pair_m]]),
            kind=np.concatenate([np.zeros(self.n_full), np.ones(len(c.pair_o))]),
        )
        self.add_columns(cost=t.price_cents[c.memberships], offering=c.memberships, kind=np.full(self.k, 2))

    @property
    def n_rows(self) -> int:
        return len(self.names)

    @property
    def n_cols(self) -> int:
        return int(sum(len(x) for x in self._cols["cost"]))

    def add_columns(
        self,
        *,
        cost: np.ndarray,
        kind: np.ndarray,
        minutes: np.ndarray | None = None,
        offering: np.ndarray | None = None,
        via: np.ndarray | None = None,
        upper: float = 1.0,
        integer: bool = True,
    ) -> int:
        """Append columns; return the index of the first."""
        first, n = self.n_cols, len(cost)
        none = np.full(n, -1)
        for name, v in (
            ("cost", cost),
            ("minutes", np.zeros(n) if minutes is None else minutes),
            ("offering", none if offering is None else offering),
            ("via", none if via is None else via),
            ("kind", kind),
            ("hi", np.full(n, upper)),
            ("integrality", np.full(n, 1 if integer else 0)),
        ):
            self._cols[name].append(np.asarray(v))
        return first

    def add_rows(self, family: str, names: list[str], lo, hi, *, limit: bool = False) -> int:
        """Append named rows of one family; `limit` marks rows that restrict plans. Returns the first row."""
        first = self.n_rows
        self.names.extend(names)
        self.lo.extend(np.broadcast_to(np.asarray(lo, float), (len(names),)).tolist())
        self.hi.extend(np.broadcast_to(np.asarray(hi, float), (len(names),)).tolist())
        self.family.extend([family] * len(names))
        self.limit.extend([limit] * len(names))
        return first

    def over_offerings(
        self, first_row: int, rows: np.ndarray, cands: np.ndarray, vals: np.ndarray | None = None
    ) -> None:
        """Coefficients of rows first_row + `rows` over candidate offerings `cands` (`vals`, default 1)."""
        rows, cands = np.asarray(rows, np.int64), np.asarray(cands, np.int64)
        vals = np.ones(len(rows)) if vals is None else np.asarray(vals, float)
        self._off.append((rows + first_row, cands, vals))

    def over_offerings_dense(self, first_row: int, mat: np.ndarray) -> None:
        """Coefficients of rows first_row.. from a dense rows x candidates matrix (zeros are no entry)."""
        rows, cands = np.nonzero(mat)
        self.over_offerings(first_row, rows, cands, mat[rows, cands])

    def over_columns(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> None:
        """Coefficients at (global row, global column)."""
        self._col.append((np.asarray(rows, np.int64), np.asarray(cols, np.int64), np.asarray(vals, float)))

    def _option_entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Offering-level entries spread over each offering's purchase options (rows, columns, values).

        Repeated (row, offering) entries are summed and zero sums dropped, as the product with the
        offering x option incidence matrix did.
        """
        if not self._off:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        rows, cands, vals = (np.concatenate(x) for x in zip(*self._off, strict=True))
        off = Compressed.from_entries(rows, cands, vals, (self.n_rows, self.p), by_column=False)
        nz = off.data != 0
        rows = np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(off.indptr))[nz]
        cands, vals = off.indices[nz], off.data[nz]
        by_cand = np.argsort(self.opt_i, kind="stable")  # option columns of each candidate, in order
        n_opts = np.bincount(self.opt_i, minlength=self.p)
        first_opt = np.concatenate([[0], np.cumsum(n_opts)[:-1]])
        reps = n_opts[cands]
        within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        cols = by_cand[np.repeat(first_opt[cands], reps) + within]
        return np.repeat(rows, reps), cols, np.repeat(vals, reps)

    def finish(self) -> Model:
        c = self.c
        n_cols = self.n_cols
        entries = [self._option_entries(), *self._col]
        r, cc, v = (np.concatenate(x) for x in zip(*entries, strict=True))
        A = Compressed.from_entries(r, cc, v, (self.n_rows, n_cols))
        col = {k: np.concatenate(x) for k, x in self._cols.items()}
        model = Model(
            cost=col["cost"].astype(np.int64),
            minutes=col["minutes"].astype(np.int64),
            A=A,
            row_lo=np.asarray(self.lo, float),
            row_hi=np.asarray(self.hi, float),
            col_hi=col["hi"].astype(np.float64),
            integrality=col["integrality"].astype(np.int8),
            row_names=self.names,
            col_offering=col["offering"].astype(np.int64),
            col_via=col["via"].astype(np.int64),
            col_kind=col["kind"].astype(np.int8),
            cover_rows=self.cover_rows,
            alloc=self.alloc,
            row_family=np.asarray(self.family, dtype=object),
            row_limit=np.asarray(self.limit, dtype=bool),
        )
        if c.incumbent is not None:
            model.start_cols = incumbent_columns(model, c.incumbent)
            model.upper_bound = None if model.start_cols is None else int(c.incumbent.cents)
        return model


_COLUMN_FIELDS = ("cost", "minutes", "offering", "via", "kind", "hi", "integrality")


def build(c: Candidates, reqs: list[Requirement], *, max_minutes: int | None = None) -> Model:
    """Assemble the sparse model: each registered constraint family adds its rows (recommender.families)."""
    from recommender.families import FAMILIES

    asm = Assembly(c, reqs, max_minutes)
    for family in FAMILIES:
        family.build(asm)
    return asm.finish()


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
