""" "You are done": the plan when nothing remains to be earned, and what was counted per credential.

A complete plan keeps the plan contract (`status: "optimal"`, empty `selected`, `total_cost` 0)
and adds `complete: true` and `met` (one entry per credential: its cycle when a transcript was
evaluated, and each requirement with what was required and counted).
"""

from __future__ import annotations

from typing import Any

from recommender.numbers import json_number as _num
from recommender.plans import Plan
from recommender.words import gap_words, unit_words


def met_entry(req: Any, evaluation: Any = None) -> dict[str, Any]:
    """What was counted toward one credential whose gaps are all closed."""
    entry: dict[str, Any] = {"credential": req.name or None, "unit": req.unit}
    if evaluation is not None:
        entry["cycle"] = {"start": evaluation.cycle[0].isoformat(), "end": evaluation.cycle[1].isoformat()}
        entry["from"] = "transcript"
        entry["requirements"] = [
            {"gap": r["name"], "required": _num(r["required"]), "counted": _num(r["counted"])}
            for r in evaluation.requirements
        ]
    else:
        entry["from"] = "gaps"
        entry["requirements"] = [{"gap": k, "remaining": _num(v)} for k, v in req.remaining.items()]
    return entry


def met_entries(reqs: list[Any], evaluations: list[Any]) -> list[dict[str, Any]]:
    """A `met` entry for every requirement set with no open gap (evaluations align with reqs when given)."""
    by_code = {ev.credential.code: ev for ev in evaluations}
    return [met_entry(r, by_code.get(r.name)) for r in reqs if not r.rows()]


def complete_plan(reqs: list[Any], evaluations: list[Any], stats: dict[str, Any]) -> Plan:
    """The plan when every gap is closed: nothing to buy, said plainly."""
    return Plan(
        "optimal",
        0.0,
        0,
        [],
        [],
        [],
        proof={"solver": "none", "status": "optimal", "note": "no open gaps: nothing to buy"},
        stats=stats,
        complete=True,
        met=met_entries(reqs, evaluations),
    )


def met_sentence(entry: dict[str, Any]) -> str:
    """'CMA (cycle 2021-03-01 to 2026-03-31): every requirement is met; counted 60 of 60 ...'."""
    code = entry["credential"] or "Contact hours"
    unit = entry["unit"]
    head = code
    if "cycle" in entry:
        head += f" (cycle {entry['cycle']['start']} to {entry['cycle']['end']})"
    if entry["from"] == "transcript":
        parts = [
            f"{r['counted']:g} of {r['required']:g} {gap_words(r['gap'], unit)}"
            for r in entry["requirements"]
            if r["required"] > 0
        ]
        what = "counted " + "; ".join(parts) if parts else "nothing was required"
        return f"{head}: every requirement is met, in {unit_words(unit)}: {what}."
    return f"{head}: every requirement is met: the gaps you gave are all 0, so there is nothing left to earn."
