"""Presentation helpers: plain words, the per-requirement chart, and the plan as a CSV file.

Pure functions over the CLI's JSON shapes (no library calls), used by the templates.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from web.inputs import UNIT_LABELS

AREA_NAMES = {
    "general": "General",
    "clinical": "Clinical",
    "administrative": "Administrative",
    "total": "Total",
}


def plan_hours(plan: dict) -> str:
    """Total hours as the CLI says them: unknown when no selected offering states its hours."""
    from recommender.words import hours_words

    return hours_words(plan.get("selected") or [], float(plan.get("total_hours") or 0))


def money(v: Any) -> str:
    return "unknown" if v is None else f"${float(v):,.2f}"


def number(v: Any) -> str:
    if v is None:
        return "?"
    f = float(v)
    return f"{f:g}" if abs(f) < 1e6 else f"{f:,.0f}"


def link(url: Any) -> str:
    """A source URL fit for an href: http(s) only (never javascript: or data:)."""
    u = str(url or "").strip()
    return u if u.lower().startswith(("https://", "http://")) else ""


FLAG_WORDS = (
    ("--transcript FILE", "your activities or transcript"),
    ("--transcript", "activities or a transcript"),
    ("--cycle-start DATE", "the first day of your cycle"),
    ("--certified-on DATE", "your certification date"),
    ("--cycle-start", "the first day of your cycle"),
    ("--certified-on", "your certification date"),
    ("--credential CODE", "a credential"),
    ("--gaps", "remaining credits"),
    ("--finish-by", "finish by"),
    ("--budget", "budget"),
)


def plain(message: str) -> str:
    """A CLI message in the form's words (the API keeps the CLI's exact text)."""
    for flag, words in FLAG_WORDS:
        message = message.replace(flag, words)
    return message.replace(" (see --help)", "")


def unit_name(unit: str | None) -> str:
    return UNIT_LABELS.get(unit or "", (unit or "").replace("_", " "))


def gap_name(key: str) -> str:
    """'approved:AAMA' -> 'AAMA-approved', 'topic:hipaa' -> 'Topic: hipaa', 'clinical' -> 'Clinical'."""
    kind, sep, rest = key.partition(":")
    if not sep:
        return AREA_NAMES.get(key, key.replace("_", " ").capitalize())
    if kind == "approved":
        return f"{rest}-approved"
    if kind == "topic":
        return f"Topic: {rest.replace('_', ' ')}"
    return key


def serves_name(label: str) -> str:
    """'CMA:approved:AAMA' -> 'CMA: AAMA-approved' (a plan's `serves` entry)."""
    cred, sep, key = label.partition(":")
    if sep and key and (key in AREA_NAMES or key.partition(":")[0] in ("approved", "topic")):
        return f"{cred}: {gap_name(key)}"
    return gap_name(label)


def proof_words(plan: dict[str, Any]) -> str:
    """The solver's proof, in plain words."""
    pr = plan.get("proof") or {}
    if plan.get("status") == "infeasible":
        how = pr.get("by", "")
        if "bound" in how:
            return (
                "Even buying every offering that counts would not earn enough, so no plan can exist "
                "with this catalog and these filters (checked without a solver)."
            )
        if "budget" in how:
            return (
                f"The cheapest possible plan costs {money(pr.get('cheapest_cost'))}, more than your budget."
            )
        return "The solver (HiGHS) proved that no combination of offerings meets every requirement together."
    if pr.get("solver") == "none":
        return "Nothing is left to earn, so there is nothing to buy."
    cents = pr.get("cost_cents")
    bound = pr.get("cost_bound_cents")
    if cents is None:
        return ""
    text = (
        f"The solver (HiGHS) searched every combination and proved that no plan costs less than "
        f"{money(cents / 100)}: its lower bound ({money((bound or 0) / 100)}) equals this plan's cost."
    )
    if pr.get("recheck") == "passed":
        text += " The plan was then checked again against the credential's rules without the solver."
    if "hours" in (pr.get("objective") or "") or "minutes" in (pr.get("objective") or ""):
        text += " Among the cheapest plans, it takes the fewest hours."
    return text


def requirement_bars(evaluation: dict[str, Any], width: int = 320) -> list[dict[str, Any]]:
    """One bar per requirement with a minimum: counted versus required (geometry for the SVG chart)."""
    rows = [r for r in evaluation.get("requirements", []) if float(r.get("required") or 0) > 0]
    out = []
    for r in rows:
        req = float(r["required"])
        got = min(float(r.get("counted") or 0), req)
        out.append(
            {
                "name": gap_name(r["name"]),
                "required": req,
                "counted": float(r.get("counted") or 0),
                "remaining": float(r.get("remaining") or 0),
                "done_width": round(width * got / req, 1) if req else 0,
                "width": width,
                "met": float(r.get("remaining") or 0) <= 1e-9,
            }
        )
    return out


def next_steps(plan: dict[str, Any], filters_used: bool) -> list[str]:
    """What a person can do when no plan closes the gaps."""
    steps = []
    if filters_used:
        steps.append("Remove a filter (budget, ways of learning, excluded provider) and plan again.")
    lacks = {s["gap"] for s in plan.get("shortfalls", [])}
    areas = sorted(k for k in lacks if k in ("general", "clinical", "administrative"))
    if areas:
        steps.append(
            "Browse the catalog for " + " and ".join(areas) + " courses: many list no credits yet, "
            "so check the provider's page and ask them how many credits a course earns."
        )
    if any(k.startswith("approved:") for k in lacks):
        steps.append("Ask your certifying body which providers' courses it approves, and look for those.")
    steps.append(
        "Plan over your own list of courses (your employer's, for instance) with the command line: "
        "recommend --offerings courses.csv (format in data/manual/README.md)."
    )
    return steps


CSV_COLUMNS = (
    "id",
    "title",
    "provider",
    "kind",
    "price_paid",
    "list_price",
    "via_membership",
    "hours",
    "credits",
    "unit",
    "serves",
    "cancel_renewal_by",
    "url",
)


def plan_csv(plan: dict[str, Any]) -> str:
    """The plan as CSV: one row per offering and membership, then the total; formula-safe cells."""
    from catalog.commands.output import safe_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for s in plan.get("selected", []):
        credits = "; ".join(f"{k}={v}" for k, v in (s.get("credits_by_area") or {}).items())
        row = {**s, "credits": credits, "serves": "; ".join(s.get("serves", [])), "cancel_renewal_by": ""}
        w.writerow([safe_cell(row.get(c)) for c in CSV_COLUMNS])
    for m in plan.get("memberships", []):
        row = {**m, "kind": "membership", "serves": "membership", "credits": "", "hours": ""}
        w.writerow([safe_cell(row.get(c)) for c in CSV_COLUMNS])
    total = {"id": "TOTAL", "price_paid": plan.get("total_cost"), "hours": plan.get("total_hours")}
    w.writerow([safe_cell(total.get(c)) for c in CSV_COLUMNS])
    if plan.get("total_with_fees") is not None:
        w.writerow(
            [
                safe_cell({"id": "TOTAL WITH FEES", "price_paid": plan["total_with_fees"]}.get(c))
                for c in CSV_COLUMNS
            ]
        )
    return buf.getvalue()
