"""Constraint families: the optimizer's model is assembled from these builders, in FAMILIES order.

Each family adds named rows (and the columns it needs) to a `model.Assembly`, may give a bound
for the pre-check (`bound`: rows no plan can meet, found without solving), and says which of its
rows restrict plans (`limit=True`), so that when HiGHS finds no plan, `explain.failing_families`
can relax one family at a time and name the one that blocks.

A new constraint is one builder function here plus one `Family(...)` line in FAMILIES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from recommender.counting import AREA_KEYS, EPS, GapKey, Requirement

if TYPE_CHECKING:
    from recommender.model import Assembly, Model


@dataclass
class Shortfall:
    """A gap row no plan can meet: `needed` units, at most `at_most` available."""

    requirement: int
    key: str
    needed: float
    at_most: float


@dataclass(frozen=True)
class Family:
    name: str
    build: Callable[[Assembly], None]
    #: Rows of this family that no combination of columns can meet (the pre-check), or None.
    bound: Callable[[Model, list[Requirement]], list[Shortfall]] | None = None
    #: Plain words for the family's limiting rows (by name) when they block every plan.
    describe: Callable[[list[str]], str] | None = None


# --------------------------------------------------------------------------- cover rows


def cover_rows(asm: Assembly) -> None:
    """One row per open gap of each credential: `credits counted >= gap` (capped credits count via `caps`)."""
    c = asm.c
    for ri, r in enumerate(asm.reqs):
        open_rows = r.rows()
        if not open_rows:
            continue
        capped = r.capped()[c.offerings]
        coef = np.vstack([np.where(capped, 0.0, r.coefficient(key)[c.offerings]) for key, _ in open_rows])
        first = asm.add_rows(
            "cover", [f"{r.label(key)}>={a:g}" for key, a in open_rows], [a for _, a in open_rows], np.inf
        )
        asm.over_offerings_dense(first, coef)
        asm.cover_rows.extend((first + j, ri, key, a) for j, (key, a) in enumerate(open_rows))


def cover_bound(model: Model, reqs: list[Requirement]) -> list[Shortfall]:
    """Cover rows whose right-hand side exceeds what all columns together could give (caps respected)."""
    A = model.A.tocsr()
    out = []
    x_max = model.col_hi.copy()
    # allocation columns are bounded by their class availability and caps: bound them by the row sums
    for col, ri, area, offs in model.alloc:
        x_max[col] = reqs[ri].amounts()[offs, AREA_KEYS.index(area)].sum()
    for row, ri, key, need in model.cover_rows:
        lo, hi = A.indptr[row], A.indptr[row + 1]
        cols, vals = A.indices[lo:hi], A.data[lo:hi]
        is_alloc = model.col_kind[cols] == 3
        direct = 0.0
        offs = model.col_offering[cols[~is_alloc]]
        if len(offs):  # options of one offering share its coefficient: count each offering once
            _, first = np.unique(offs, return_index=True)
            direct = float(np.clip(vals[~is_alloc][first], 0, None).sum())
        capped = float(x_max[cols[is_alloc]].sum())
        cap_total = sum(lim for _, _, lim in reqs[ri].cap_limits())
        total = direct + min(capped, cap_total)
        if total < need - 1e-6:
            out.append(Shortfall(ri, key, need, total))
    return out


# --------------------------------------------------------------------------- caps


def caps(asm: Assembly) -> None:
    """Capped credits count through continuous allocations `u[class, area]` (in the user's favour).

    Per credential, capped offerings are grouped into classes (same caps, same approved/topic
    rows); `u <= credits bought in that class and area` ("alloc" rows), each `u` feeds the cover
    rows it counts toward, and `sum(u under a cap) <= cap` (the limiting "cap" rows).
    """
    c = asm.c
    by_req: dict[int, list[tuple[int, GapKey, float]]] = {}
    for row, ri, key, a in asm.cover_rows:
        by_req.setdefault(ri, []).append((row, key, a))
    for ri, r in enumerate(asm.reqs):
        if ri not in by_req:
            continue
        cover = by_req[ri]
        limits = r.cap_limits()
        cap_idx = np.flatnonzero(r.capped()[c.offerings])
        if not len(cap_idx):
            continue
        offs = c.offerings[cap_idx]
        flag_keys = [key for _, key, _ in cover if key.tagged]
        flags = np.column_stack(
            [mask[offs] for _, mask, _ in limits] + [r.eligible(k)[offs] for k in flag_keys]
        )
        classes, cls_of = np.unique(flags, axis=0, return_inverse=True)
        cls_of = cls_of.reshape(-1)
        amt = r.amounts()[offs]  # (m, 4)
        sums = np.zeros((len(classes), 4))
        np.add.at(sums, cls_of, amt)
        qa = np.argwhere(sums > EPS)  # (q, a) pairs that get a u variable
        u0 = asm.add_columns(cost=np.zeros(len(qa)), kind=np.full(len(qa), 3), upper=np.inf, integer=False)
        u_ids = u0 + np.arange(len(qa))
        # availability rows: u[q,a] - sum_{o in q} amt[o,a] s_o <= 0
        avail = asm.add_rows("caps", [f"{r.label('alloc')}:{AREA_KEYS[a]}#{q}" for q, a in qa], -np.inf, 0.0)
        rr, cc, vv = [], [], []
        for i, (q, a) in enumerate(qa):
            members = cls_of == q
            sel = np.flatnonzero(members & (amt[:, a] > 0))
            rr.append(np.full(len(sel), i))
            cc.append(cap_idx[sel])
            vv.append(-amt[sel, a])
            asm.alloc.append((int(u_ids[i]), ri, AREA_KEYS[a], offs[members]))
        asm.over_offerings(avail, np.concatenate(rr), np.concatenate(cc), np.concatenate(vv))
        asm.over_columns(avail + np.arange(len(qa)), u_ids, np.ones(len(qa)))
        # the u variables feed the cover rows
        for row, key, _ in cover:
            if key.kind == "area":
                sel = [i for i, (q, a) in enumerate(qa) if a == key.area]
            elif key.kind == "total":
                sel = list(range(len(qa)))
            else:
                col = len(limits) + flag_keys.index(key)
                sel = [i for i, (q, a) in enumerate(qa) if classes[q, col]]
            asm.over_columns(np.full(len(sel), row), u_ids[sel], np.ones(len(sel)))
        first = asm.add_rows(
            "caps",
            [f"{r.label('cap')}:{nm}<={lim:g}" for nm, _, lim in limits],
            -np.inf,
            [lim for _, _, lim in limits],
            limit=True,
        )
        for ci in range(len(limits)):
            sel = [i for i, (q, a) in enumerate(qa) if classes[q, ci]]
            asm.over_columns(np.full(len(sel), first + ci), u_ids[sel], np.ones(len(sel)))


def _caps_text(rows: list[str]) -> str:
    return "under the caps (" + ", ".join(rows) + ")"


# --------------------------------------------------------------------------- purchases


def buy_once(asm: Assembly) -> None:
    """Buy each offering at most once when it has several purchase options."""
    n_options = np.bincount(asm.opt_i, minlength=asm.p)
    multi = np.flatnonzero(n_options > 1)
    if not len(multi):
        return
    t, c = asm.c.table, asm.c
    first = asm.add_rows("buy-once", [f"buy-once:{t.id[c.offerings[i]]}" for i in multi], -np.inf, 1.0)
    asm.over_offerings(first, np.arange(len(multi)), multi)


def member_link(asm: Assembly) -> None:
    """A member price needs its membership: `z_om - y_m <= 0`."""
    c, t = asm.c, asm.c.table
    n_pairs = len(c.pair_o)
    first = asm.add_rows(
        "member-link",
        [
            f"member:{t.id[c.memberships[m]]}>={t.id[c.offerings[o]]}"
            for o, m in zip(c.pair_o, c.pair_m, strict=True)
        ],
        -np.inf,
        0.0,
    )
    rows = first + np.arange(n_pairs)
    asm.over_columns(rows, asm.n_full + np.arange(n_pairs), np.ones(n_pairs))
    asm.over_columns(rows, asm.col_y0 + c.pair_m, -np.ones(n_pairs))


def minutes(asm: Assembly) -> None:
    """`--max-hours`: the plan's minutes (stated hours) stay within the limit."""
    if asm.max_minutes is None:
        return
    row = asm.add_rows(
        "minutes", [f"minutes<={asm.max_minutes}"], -np.inf, float(asm.max_minutes), limit=True
    )
    n = asm.n_opt
    asm.over_columns(np.full(n, row), np.arange(n), asm.c.minutes[asm.opt_i].astype(float))


def _minutes_text(rows: list[str]) -> str:
    hours = int(rows[0].partition("<=")[2]) / 60
    return f"within {hours:g} hour{'' if hours == 1 else 's'} ({rows[0]})"


#: Every constraint family, in the order its rows enter the model.
FAMILIES: list[Family] = [
    Family("cover", cover_rows, bound=cover_bound),
    Family("caps", caps, describe=_caps_text),
    Family("buy-once", buy_once),
    Family("member-link", member_link),
    Family("minutes", minutes, describe=_minutes_text),
]
