"""Transcript checks that keep a count honest: duplicates, future completions, a cycle in the wrong year.

A duplicate (same id, or same title, provider and date) counts once; a completion dated after
today does not count; a cycle that starts after today or ended before today is named in a
warning with its dates, because the person may have typed the wrong year.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def duplicates(entries: list[Any]) -> dict[int, int]:
    """Index of each repeated entry -> line of the first entry it repeats."""
    first: dict[tuple, int] = {}
    out: dict[int, int] = {}
    for i, e in enumerate(entries):
        keys = [("title", e.title.casefold().strip(), (e.provider or "").casefold().strip(), e.completed_on)]
        if e.id:
            keys.insert(0, ("id", e.id))
        seen = next((first[k] for k in keys if k in first), None)
        if seen is not None:
            out[i] = seen
            continue
        for k in keys:
            first[k] = e.line
    return out


def cycle_warnings(start: date, end: date, as_of: date) -> list[str]:
    """A warning when the cycle starts after `as_of` or ended before it (the wrong year, most often)."""
    if start > as_of:
        return [
            f"the cycle {start} to {end} starts after today ({as_of}): nothing completed before {start} "
            f"counts; check the year of the cycle start"
        ]
    if end < as_of:
        return [
            f"the cycle {start} to {end} ended before today ({as_of}): check the year of the cycle start, "
            f"or give --certified-on to evaluate the current cycle"
        ]
    return []
