"""Evaluate a transcript against a credential for one cycle: what counts, toward what, what not and why.

When caps force a choice (36 non-AAMA points against a cap of 30), the capped credits are
counted the way that leaves the smallest remaining gaps: a two-phase LP (minimize the sum of
gaps, then count as much as possible), solved by `recommender.counting.allocate` (HiGHS) only when a cap actually binds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from recommender.checks import cycle_warnings, duplicates
from recommender.counting import EPS, CountRow, GapKey
from recommender.counting import allocate as count
from recommender.cycles import add_months
from recommender.gaps import Gaps
from recommender.numbers import json_number
from recommender.rules import Credential
from recommender.table import AREAS, OfferingTable
from recommender.transcript import TranscriptEntry
from recommender.words import cap_words, reason_words, unverified_words


@dataclass
class Evaluation:
    credential: Credential
    cycle: tuple[date, date]
    gaps: Gaps
    requirements: list[dict[str, Any]]
    not_counted: list[dict[str, Any]]
    counted: list[dict[str, Any]] = field(default_factory=list)
    caps: list[dict[str, Any]] = field(default_factory=list)
    #: Plain-word warnings about the input (a cycle that starts after today or ended before it).
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        c = self.credential
        return {
            "credential": c.code,
            "name": c.name,
            "unit": c.unit,
            "cycle": {"start": self.cycle[0].isoformat(), "end": self.cycle[1].isoformat()},
            "remaining": {k: num(v) for k, v in self.gaps.remaining.items()},
            "requirements": [{k: num(v) for k, v in r.items()} for r in self.requirements],
            "caps": [{k: num(v) for k, v in r.items()} for r in self.caps],
            "counted": [{k: num(v) for k, v in r.items()} for r in self.counted],
            "not_counted": [{k: num(v) for k, v in r.items()} for r in self.not_counted],
            "unverified_rules": list(c.unverified),
            "unverified_rules_words": unverified_words(c) if c.unverified else "",
            "warnings": list(self.warnings),
        }


def num(v: Any) -> Any:
    """Floats rounded to 6 places, integral ones as int (JSON reads better)."""
    if isinstance(v, float | np.floating):
        return json_number(v, 6)
    if isinstance(v, dict):
        return {k: num(x) for k, x in v.items()}
    return v


def evaluate(
    credential: Credential,
    transcript_entries: list[TranscriptEntry],
    cycle_start: date,
    *,
    cycle: tuple[date, date] | None = None,
    first_renewal: bool = False,
    as_of: date | None = None,
) -> Evaluation:
    """Count a transcript toward `credential` for the cycle starting on `cycle_start` (or `cycle`).

    A repeated entry counts once. With `as_of` (the clock's today, for the CLI and the planner), a
    completion after it does not count and a cycle that starts after it or ended before it gets a
    warning.
    """
    cred = credential
    start, end = cycle or cred.cycle_from_start(cycle_start)
    entries = list(transcript_entries)
    table = OfferingTable.from_offerings([e.to_offering() for e in entries])
    view = cred.view(table)
    done = np.array([e.completed_on for e in entries] or [], dtype="datetime64[D]")
    earliest = cred.earliest_day(start, end)
    in_window = (done >= np.datetime64(earliest)) & (done <= np.datetime64(end))
    carry = np.zeros(len(entries), dtype=bool)
    if first_renewal and cred.carry_in:
        carry = (
            ~in_window
            & (done < np.datetime64(earliest))
            & (done >= np.datetime64(add_months(start, -cred.carry_in.window_months)))
        )
    dup_of = duplicates(entries)
    future = done > np.datetime64(as_of) if as_of else np.zeros(len(entries), dtype=bool)
    rejected = future.copy()
    rejected[list(dup_of)] = True
    eligible = view.counts & (in_window | carry) & ~rejected

    topics_due = _topics_due(cred, entries, view, done, start, first_renewal)
    reqs = _requirements(cred, view, topics_due)
    caps = [(c.name, c.mask & eligible, c.max_value) for c in view.caps]
    if carry.any():
        caps.append(("carry_in", carry & eligible, cred.carry_in.max_value))
    order = sorted(range(len(entries)), key=lambda i: (entries[i].completed_on, entries[i].line))
    priority = np.empty(len(entries))
    priority[order] = len(entries) - np.arange(len(entries))
    counted, by_area = allocate(view.value, view.area_value, eligible, reqs, caps, priority)

    requirements, remaining = [], {a: 0.0 for a in AREAS}
    for r in reqs:
        got = float(by_area[:, r["area"]].sum()) if "area" in r else float(counted[r["mask"]].sum())
        left = max(0.0, r["required"] - got)
        row = {"name": r["name"], "required": r["required"], "counted": got, "remaining": left}
        if r.get("note"):
            row["note"] = r["note"]
        requirements.append(row)
        remaining[r["name"]] = left
    cap_rows = [
        {
            "name": n,
            "max": mx,
            "used": float(counted[m].sum()),
            "remaining": max(0.0, mx - float(counted[m].sum())),
        }
        for n, m, mx in caps
    ]
    gaps = Gaps(remaining, {r["name"]: r["remaining"] for r in cap_rows if r["name"] != "carry_in"}, cred)
    not_counted, counted_rows = [], []
    for i, e in enumerate(entries):
        base = {
            "title": e.title,
            "provider": e.provider,
            "completed_on": e.completed_on.isoformat(),
            "line": e.line,
        }
        if not eligible[i]:
            why = reason_words(view.reason[i], cred) or "not counted"
            if i in dup_of:
                why = f"duplicate of line {dup_of[i]}"
            elif future[i]:
                why = f"completed in the future ({e.completed_on}, after today, {as_of})"
            elif view.counts[i] and not in_window[i]:
                why = (
                    f"completed {e.completed_on}, before the cycle starts ({earliest})"
                    if done[i] < np.datetime64(earliest)
                    else f"completed {e.completed_on}, after the cycle ends ({end})"
                )
            not_counted.append({**base, "amount": float(view.raw_value[i]), "reason": why})
            continue
        if counted[i] < view.value[i] - 1e-6:
            wheres = {r.name: dict(r.where) for r in cred.caps}
            hit = [
                cap_words(n, mx, cred.unit, wheres.get(n))
                for n, m, mx in caps
                if m[i] and counted[m].sum() >= mx - 1e-6
            ]
            lost = float(view.value[i] - counted[i])
            not_counted.append(
                {
                    **base,
                    "amount": lost,
                    "reason": f"over the limit: {' and '.join(hit) or 'a cap'}; {lost:g} of "
                    f"{float(view.value[i]):g} not counted",
                }
            )
        if counted[i] > EPS:
            counted_rows.append(
                {
                    **base,
                    "counted": float(counted[i]),
                    "areas": {a: float(by_area[i, j]) for j, a in enumerate(AREAS) if by_area[i, j] > EPS},
                }
            )
    warnings = cycle_warnings(start, end, as_of) if as_of else []
    return Evaluation(cred, (start, end), gaps, requirements, not_counted, counted_rows, cap_rows, warnings)


def _topics_due(
    cred: Credential, entries, view, done, start: date, first_renewal: bool
) -> dict[str, str | None]:
    """topic -> None when due this cycle, else a note why not (done in an earlier cycle, first renewal only)."""
    out: dict[str, str | None] = {}
    for t in cred.topics:
        if t.first_renewal_only and not first_renewal:
            out[t.name] = "due only before the first renewal"
            continue
        out[t.name] = None
        if t.every_cycles > 1:
            since = add_months(start, -(t.every_cycles - 1) * cred.cycle_months)
            m = view.topics[t.name] & (done >= np.datetime64(since)) & (done < np.datetime64(start))
            if view.value[m].sum() >= t.amount - EPS:
                last = max(e.completed_on for e, hit in zip(entries, m, strict=True) if hit)
                out[t.name] = f"not due: completed {last}, due every {t.every_cycles} cycles"
    return out


def _requirements(cred: Credential, view, topics_due: dict[str, str | None]) -> list[dict[str, Any]]:
    n = len(view.value)
    extra = sum(t.amount for t in cred.topics if t.adds_to_total and topics_due[t.name] is None)
    reqs: list[dict[str, Any]] = [
        {"name": "total", "required": cred.total + extra, "mask": np.ones(n, dtype=bool)}
    ]
    reqs += [
        {"name": a, "required": cred.areas[a], "area": j} for j, a in enumerate(AREAS) if cred.areas.get(a)
    ]
    reqs += [
        {"name": f"approved:{b}", "required": amt, "mask": view.approved[b]}
        for b, amt in cred.approved.items()
    ]
    for t in cred.topics:
        note = topics_due[t.name]
        reqs.append(
            {
                "name": f"topic:{t.name}",
                "required": 0.0 if note else t.amount,
                "mask": view.topics[t.name],
                "note": note or "",
            }
        )
    return reqs


def allocate(
    value: np.ndarray,
    area_value: np.ndarray,
    eligible: np.ndarray,
    reqs: list[dict],
    caps: list[tuple[str, np.ndarray, float]],
    priority: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Counted units per entry and per entry and area, in the user's favour under the caps.

    Among equally good allocations, entries with a higher `priority` are counted first. The
    counting itself is `recommender.counting.allocate`; this adapts the transcript's rows.
    """
    free = np.clip(value - area_value.sum(axis=1), 0.0, None)
    free[free < EPS] = 0.0
    amounts = np.column_stack([area_value, free])
    rows = [CountRow(GapKey(r["name"]), r["required"], r.get("mask")) for r in reqs]
    if all(float(np.where(eligible, value, 0.0)[m].sum()) <= mx + EPS for _, m, mx in caps):
        return np.where(eligible, value, 0.0), np.where(eligible[:, None], area_value, 0.0)
    alloc = count(amounts, eligible, rows, caps, priority=priority, fullest=True)
    counted = alloc.counted
    return np.round(counted.sum(axis=1), 6), counted[:, :3]
