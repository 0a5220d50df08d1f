"""How credits count toward gaps: gap keys, requirements, and the one allocation routine.

A gap key (`general`, `clinical`, `administrative`, `total`, `approved:BODY`, `topic:NAME`) is
parsed once into a `GapKey` (a `str`, so dicts and JSON keep the plain text). A `Requirement`
is one credential's remaining gaps over an offering table. `allocate` decides how the credits
of a set of offerings count toward those gaps under the caps, in the user's favour; it serves
transcript evaluation (`evaluate`), the presolve's incumbent check (`plan_is_feasible`) and the
solver-independent re-check of every plan (`solve.recheck`), which re-derives the counts from
the rules instead of reading the model's columns (scipy#22812: a solver can report optimal while
breaking a bound).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from catalog.vocab import parse_body, suggest
from recommender.table import AREAS

if TYPE_CHECKING:
    from recommender.rules import CredentialView

EPS = 1e-9
#: Area columns of `Requirement.amounts()`: the three areas plus the area-unknown remainder.
AREA_KEYS = (*AREAS, "none")
GRAMMAR = (
    "gaps are comma-separated KEY=NUMBER pairs; KEY is general, clinical, administrative, total, "
    "approved:BODY or topic:NAME; example: general=3,clinical=5,administrative=0,total=20,approved:AAMA=8"
)
_TOPIC = re.compile(r"[a-z0-9_]+")


class GapsSyntaxError(ValueError):
    """A malformed `--gaps` value; the message shows the grammar and an example."""

    def __init__(self, problem: str):
        super().__init__(f"{problem}; {GRAMMAR}")


class GapKey(str):
    """A canonical gap key; `kind` is area | total | approved | topic, `name` the area, body or topic."""

    kind: str
    name: str
    area: int | None  # column in AREAS for area keys

    def __new__(cls, text: str) -> GapKey:
        if isinstance(text, GapKey):
            return text
        key = _KEYS.get(text)
        if key is None:
            kind, sep, name = text.partition(":")
            if text in AREAS:
                kind, name = "area", text
            elif text == "total":
                kind, name = "total", ""
            elif not (sep and name and kind in ("approved", "topic")):
                raise ValueError(f"unknown gap key {text!r}")
            key = _KEYS[text] = str.__new__(cls, text)
            key.kind, key.name = kind, name
            key.area = AREAS.index(name) if kind == "area" else None
        return key

    @classmethod
    def parse(cls, text: str) -> GapKey:
        """A key as a user types it (any case, body aliases, topic words); GapsSyntaxError if unknown."""
        text = text.strip()
        low = text.lower()
        if low in AREAS or low == "total":
            return cls(low)
        prefix, sep, rest = text.partition(":")
        if sep and prefix.lower() == "approved":
            try:
                return cls(f"approved:{parse_body(rest)}")
            except ValueError as e:
                raise GapsSyntaxError(str(e)) from None
        if sep and prefix.lower() == "topic":
            tag = rest.strip().lower().replace("-", "_").replace(" ", "_")
            if not _TOPIC.fullmatch(tag):
                raise GapsSyntaxError(f"topic {rest!r}: topic tags are letters, digits and underscores")
            return cls(f"topic:{tag}")
        raise GapsSyntaxError(f"unknown key {text!r}{suggest(low, [*AREAS, 'total', 'approved:', 'topic:'])}")

    @property
    def tagged(self) -> bool:
        """approved:/topic: keys count whole offerings that carry a tag (area keys count one area column)."""
        return self.kind in ("approved", "topic")


_KEYS: dict[str, GapKey] = {}


def complete_gaps(gaps: dict[str, float]) -> dict[str, float]:
    """Every area key (0 when absent) and total (the sum of the area gaps when absent)."""
    out = {a: float(gaps.get(a, 0.0)) for a in AREAS}
    out["total"] = float(gaps["total"]) if "total" in gaps else sum(out.values())
    out.update({k: float(v) for k, v in gaps.items() if k not in out})
    return out


@dataclass(frozen=True)
class CountRow:
    """One gap to close: `need` units from the offerings in `mask` (None: all); area keys count one column."""

    key: GapKey
    need: float
    mask: np.ndarray | None = None


@dataclass
class Allocation:
    """Units counted per offering and AREA_KEYS column, and per row what that adds up to."""

    counted: np.ndarray  # (n, 4)
    rows: list[CountRow]
    got: np.ndarray  # per row

    def short(self, tol: float = 1e-6) -> list[tuple[CountRow, float]]:
        """(row, units counted) for every row left short."""
        return [(r, float(g)) for r, g in zip(self.rows, self.got, strict=True) if g < r.need - tol]

    @property
    def feasible(self) -> bool:
        return not self.short()


def _row_columns(row: CountRow, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(offering mask, AREA_KEYS column mask) of the units that count toward `row`."""
    cols = np.zeros(4, dtype=bool)
    if row.key.kind == "area":
        cols[row.key.area] = True
    else:
        cols[:] = True
    return (np.ones(n, dtype=bool) if row.mask is None else row.mask), cols


def allocate(
    amounts: np.ndarray,
    counts: np.ndarray,
    rows: list[CountRow],
    caps: list[tuple[str, np.ndarray, float]],
    *,
    priority: np.ndarray | None = None,
    fullest: bool = False,
) -> Allocation:
    """Count the `amounts` (n, 4) of the offerings in `counts` toward `rows` under `caps`, in the user's favour.

    Without a binding cap everything counts. Otherwise an LP (HiGHS) over per-offering, per-area
    amounts minimizes the sum of what the rows still miss; with `fullest`, it then counts as much as
    possible, and then, among equally good choices, prefers offerings with a higher `priority`
    (distinct whole numbers) and, within one offering, the areas in AREAS order.
    """
    amounts = np.where(counts[:, None], amounts, 0.0)
    if all(float(amounts[m].sum()) <= mx + EPS for _, m, mx in caps):
        return _tally(amounts, rows)
    return _tally(_lp(amounts, counts, rows, caps, priority, fullest), rows)


def _tally(counted: np.ndarray, rows: list[CountRow]) -> Allocation:
    got = []
    for r in rows:
        offs, cols = _row_columns(r, len(counted))
        got.append(float(counted[offs][:, cols].sum()))
    return Allocation(counted, rows, np.asarray(got))


def _lp(amounts, counts, rows, caps, priority, fullest) -> np.ndarray:
    """The capped case: variables y (m x 3 areas, row-major), u (m, area unknown), g (one per live row)."""
    from recommender.highs import solve_lp

    n = len(amounts)
    idx = np.flatnonzero(counts)
    m = len(idx)
    live = [r for r in rows if r.need > EPS]
    nv = 4 * m + len(live)

    def count_row(mask: np.ndarray, cols: np.ndarray) -> np.ndarray:
        row = np.zeros(nv)
        sel = np.arange(m)[mask[idx]]
        for j in np.flatnonzero(cols[:3]):
            row[3 * sel + j] = 1.0
        if cols[3]:
            row[3 * m + sel] = 1.0
        return row

    a_ub, b_ub = [], []
    for k, r in enumerate(live):
        row = count_row(*_row_columns(r, n))
        row[4 * m + k] = 1.0
        a_ub.append(-row)
        b_ub.append(-r.need)
    for _, mask, mx in caps:
        a_ub.append(count_row(mask, np.ones(4, dtype=bool)))
        b_ub.append(mx)
    upper = np.r_[amounts[idx, :3].ravel(), amounts[idx, 3], np.full(len(live), np.inf)]
    gap_cost = np.r_[np.zeros(4 * m), np.ones(len(live))]
    ok, x, fun = solve_lp(gap_cost, np.array(a_ub), np.array(b_ub), upper)
    if not ok:
        raise RuntimeError("credit allocation failed: HiGHS found no optimum")
    if fullest:
        # with the gaps at their minimum, count as much as possible; then, among equally good
        # choices, count the entries with the highest priority (the 4th CPR card is the one left out)
        a_ub.append(gap_cost)
        b_ub.append(fun + 1e-9)
        counts_all = np.r_[np.ones(4 * m), np.zeros(len(live))]
        ok2, x2, fun2 = solve_lp(-counts_all, np.array(a_ub), np.array(b_ub), upper)
        if ok2:
            x = x2
            a_ub.append(-counts_all)
            b_ub.append(fun2 + 1e-9)
            # priorities are distinct whole numbers; the area bonus (< 0.01 per unit) only breaks
            # the ties left within one entry (general, then clinical, then administrative), so the
            # answer does not depend on which optimal vertex a HiGHS version returns
            p = np.asarray(priority if priority is not None else n - np.arange(n), dtype=float)[idx]
            by_area = (np.repeat(p, 3).reshape(m, 3) + np.array([3e-3, 2e-3, 1e-3])).ravel()
            early = np.r_[by_area, p, np.zeros(len(live))]
            ok3, x3, _ = solve_lp(-early, np.array(a_ub), np.array(b_ub), upper)
            if ok3:
                x = x3
    counted = np.zeros((n, 4))
    counted[idx, :3] = x[: 3 * m].reshape(m, 3)
    counted[idx, 3] = x[3 * m : 4 * m]
    return np.round(counted, 6)  # solver tolerance is about 1e-7


@dataclass
class Requirement:
    """One credential's remaining gaps over a table: its view and what is still needed."""

    name: str  # credential code, "" for plain contact hours
    view: CredentialView
    remaining: dict[str, float]
    caps_remaining: dict[str, float] = field(default_factory=dict)
    unit: str = "contact_hour"

    def __post_init__(self) -> None:
        self.remaining = {GapKey(k): v for k, v in self.remaining.items()}

    def label(self, key: str) -> str:
        return f"{self.name}:{key}" if self.name else key

    def rows(self) -> list[tuple[GapKey, float]]:
        """(gap key, amount) for every gap still open, in a stable order."""
        order = {k: i for i, k in enumerate((*AREAS, "total"))}
        items = [(k, float(v)) for k, v in self.remaining.items() if float(v) > EPS]
        return sorted(items, key=lambda kv: (order.get(kv[0], 9), kv[0]))

    def eligible(self, key: str) -> np.ndarray:
        """Mask over the table of offerings whose credits can count toward gap `key` (ignoring caps)."""
        v, key = self.view, GapKey(key)
        if key.kind == "area":
            return v.area_value[:, key.area] > EPS
        if key.kind == "total":
            return v.value > EPS
        tagged = v.approved if key.kind == "approved" else v.topics
        return tagged[key.name] & (v.value > EPS)

    def coefficient(self, key: str) -> np.ndarray:
        """Units each offering adds to gap `key` if it is not capped (float64 over the table)."""
        key = GapKey(key)
        if key.kind == "area":
            return self.view.area_value[:, key.area]
        return np.where(self.eligible(key), self.view.value, 0.0)

    def cap_limits(self) -> list[tuple[str, np.ndarray, float]]:
        return [(c.name, c.mask, float(self.caps_remaining.get(c.name, c.max_value))) for c in self.view.caps]

    def capped(self) -> np.ndarray:
        """Offerings under at least one cap (their credits count through the allocation)."""
        out = np.zeros(len(self.view.value), dtype=bool)
        for _, mask, _ in self.cap_limits():
            out |= mask
        return out

    def amounts(self) -> np.ndarray:
        """(n, 4) credits per area plus the area-unknown remainder ("none")."""
        v = self.view
        none = np.clip(v.value - v.area_value.sum(axis=1), 0.0, None)
        none[none < 1e-9] = 0.0
        return np.column_stack([v.area_value, none])

    def count_rows(self) -> list[CountRow]:
        """The open gaps as rows for `allocate`."""
        return [CountRow(k, a, self.eligible(k) if k.tagged else None) for k, a in self.rows()]

    def allocate(self, bought: np.ndarray) -> Allocation:
        """How the credits of the offerings in mask `bought` count toward the open gaps."""
        return allocate(self.amounts(), bought, self.count_rows(), self.cap_limits())


def plan_is_feasible(reqs: list[Requirement], bought: np.ndarray) -> bool:
    """Exact check that buying table rows `bought` (indices) closes every gap, caps respected."""
    for r in reqs:
        if not r.rows():
            continue
        mask = np.zeros(len(r.view.value), dtype=bool)
        mask[np.asarray(bought, dtype=np.int64)] = True
        if not r.allocate(mask).feasible:
            return False
    return True
