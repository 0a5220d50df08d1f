"""The "Why" of an infeasible plan in plain words, ending with what the person can do next.

`Plan.reason` keeps its compact, stable form for scripts (`CMA:clinical: at most ...`); `Plan.why`
says the same to a person: what is short, in the credential's own units, which offerings lack
which fact (with their pages), which were left out and why, and the next step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from recommender.words import gap_words, unit_words

NEXT_STEPS = (
    "What you can do: add the missing facts for these offerings to data/manual/ with the page they come "
    "from (see data/manual/README.md) and run `catalog build`, or plan over your own list with "
    "--offerings FILE.csv; --allow-estimates shows the cheapest plan under named assumptions."
)
MAX_LISTED = 3


def _listed(table: Any, idx: np.ndarray) -> str:
    shown = "; ".join(f"{table.title[i]} ({table.url[i]})" for i in idx[:MAX_LISTED])
    return shown + (f"; and {len(idx) - MAX_LISTED} more" if len(idx) > MAX_LISTED else "")


def why_shortfall(table: Any, reqs: list[Any], shortfalls: list[Any], avail: np.ndarray, f: Any) -> str:
    """Plain words for requirements the catalog cannot meet, then the next step."""
    parts = []
    for k in dict.fromkeys(s.requirement for s in shortfalls):
        r = reqs[k]
        short = "; ".join(
            f"{s.at_most:g} of the {s.needed:g} {gap_words(str(s.key), r.unit)}"
            for s in shortfalls
            if s.requirement == k
        )
        who = f"For the {r.name}, the" if r.name else "The"
        parts.append(f"{who} catalog{f.describe()} can supply at most {short} ({unit_words(r.unit)}).")
    r = reqs[shortfalls[0].requirement]
    v = r.view
    credit = ~table.is_covering()
    facts = []
    unknown = np.flatnonzero(credit & (v.reason == "credits unknown"))
    if len(unknown):
        facts.append(
            f"The credits are not published for {len(unknown)} offering(s): {_listed(table, unknown)}."
        )
    unpriced = np.flatnonzero(credit & v.counts & (v.value > 0) & (table.price_cents < 0) & avail)
    if len(unpriced):
        facts.append(
            f"{len(unpriced)} offering(s) that would count have no published price (never planned as free): "
            f"{_listed(table, unpriced)}."
        )
    other = np.flatnonzero(credit & np.char.startswith(v.reason.astype(str), "for "))
    if len(other):
        facts.append(
            f"{len(other)} offering(s) are for other professions and do not count{f' for the {r.name}' if r.name else ''}: "
            + "; ".join(f"{table.title[i]} ({v.reason[i]})" for i in other[:MAX_LISTED])
            + "."
        )
    left_out = np.flatnonzero(credit & v.counts & (v.value > 0) & ~avail)
    if len(left_out):
        facts.append(
            f"{len(left_out)} offering(s) that would count were left out (your filters, your transcript, or "
            f"their dates have passed): {_listed(table, left_out)}."
        )
    return " ".join(parts + facts + [NEXT_STEPS])


def why_blocked(names: list[str], f: Any) -> str:
    """Plain words when every requirement alone can be met but not all at once."""
    limits = {"caps": "the credential's limits (for example, at most so many points from one kind of course)",
              "minutes": "--max-hours"}  # fmt: skip
    what = " and ".join(limits.get(n, n) for n in names)
    return (
        f"Each requirement can be met on its own, but no single set of offerings meets them all at once within "
        f"{what}{f.describe()}. What you can do: raise or drop --max-hours, widen --delivery or "
        f"--exclude-provider, or add offerings to data/manual/ (with their source page) or plan over --offerings."
    )


def why_budget(cost: float, budget: float) -> str:
    return (
        f"The cheapest plan costs ${cost:.2f}, more than your --budget of ${budget:.2f}. What you can do: raise "
        f"--budget to at least ${cost:.2f}, or add cheaper offerings you know of with --offerings."
    )
