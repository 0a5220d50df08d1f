"""The full cost and the calendar of recertifying: fees and dues, member status, deadlines, iCalendar.

Fees come from each credential file's `[[fees]]` with `route = "ce"` (due when recertifying by
continuing education); `members = true/false` picks the member or nonmember fee. A credential's
`[membership]` lists the catalog offerings that make one a member of its body.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from recommender.cycles import add_months


def ce_fees(cred: Any, member: bool) -> list[dict[str, Any]]:
    """The CE-route fees one cycle of `cred` costs (a yearly fee counts once per year of the cycle)."""
    out = []
    for f in cred.fees:
        if f.route != "ce" or (f.members is not None and f.members != member):
            continue
        times = math.ceil(cred.cycle_months / f.every_months) if f.every_months else 1
        out.append(
            {
                "credential": cred.code,
                "name": f.name,
                "amount": round(f.usd * times, 2),
                "each": f.usd,
                "times": times,
                "every_months": f.every_months,
                "members": f.members,
                "source": f.source,
                "verified": f.verified,
                "note": f.note or None,
            }
        )
    return out


def member_saving(cred: Any) -> float:
    """Nonmember minus member CE fee (0 when the fee does not depend on membership)."""
    yes = sum(f["amount"] for f in ce_fees(cred, True))
    no = sum(f["amount"] for f in ce_fees(cred, False))
    return round(no - yes, 2)


def fee_bodies(creds: list[Any], member_priced: set[str] = frozenset()) -> dict[str, tuple[str, ...]]:
    """Bodies whose membership changes a fee (or, for `member_priced` bodies, a price), with the
    offering ids that make one a member."""
    out: dict[str, tuple[str, ...]] = {}
    for c in creds:
        if (member_saving(c) > 0 or c.body in member_priced) and c.member_offerings:
            out[c.body] = tuple(dict.fromkeys(out.get(c.body, ()) + tuple(c.member_offerings)))
    return out


def plan_fees(creds: list[Any], member_bodies: set[str]) -> list[dict[str, Any]]:
    return [f for c in creds for f in ce_fees(c, c.body in member_bodies)]


# --------------------------------------------------------------------------- deadlines


def cycle_end(
    creds: list[Any], as_of: date, cycle_start: date | None, certified_on: date | None = None
) -> date | None:
    """The earliest cycle end: from --cycle-start (or the cycle of --certified-on containing today), else a
    full cycle starting today."""
    ends = []
    for c in creds:
        if not c.cycle_months:
            continue
        if certified_on is not None and cycle_start is None:
            ends.append(c.cycle_from_certification(certified_on, as_of)[1])
        else:
            ends.append(c.cycle_from_start(cycle_start or as_of)[1])
    return min(ends) if ends else None


def months_between(a: date, b: date) -> int:
    """Whole months from a to b (0 when b is before a)."""
    m = (b.year - a.year) * 12 + b.month - a.month
    if add_months(a, m) > b + timedelta(days=1):
        m -= 1
    return max(0, m)


def submit_by(creds: list[Any], finish_by: date, approved: dict[str, tuple[str, ...]], counted: list[str]):
    """Per credential with a stated processing time: the last day to finish and submit.

    `approved` maps offering id -> approving bodies; `counted` are the plan's offering ids.
    """
    out = []
    for c in creds:
        p = getattr(c, "processing", None)
        if p is None:
            continue
        all_approved = all(p.approved_by in approved.get(i, ()) for i in counted)
        days = p.all_approved_days if all_approved else p.other_days
        why = (
            f"every credit is {p.approved_by}-approved: processed at once"
            if all_approved
            else f"some credit is not {p.approved_by}-approved: processing takes up to {days} days"
        )
        out.append(
            {
                "credential": c.code,
                "last_day": (finish_by - timedelta(days=days)).isoformat(),
                "processing_days": days,
                "why": why,
                "source": p.source,
            }
        )
    return out


def write_ics(path: str | Path, plan_json: dict[str, Any]) -> int:
    """Write the plan's dates (cycle end, finish-by, last day to submit, membership cancel-by) as iCalendar.

    Returns the number of events written.
    """
    data, n = ics_bytes(plan_json)
    Path(path).write_bytes(data)
    return n


def ics_bytes(plan_json: dict[str, Any]) -> tuple[bytes, int]:
    """The iCalendar file of `write_ics` as bytes (for the web app), and its number of events."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//CEU Planner//recommend//EN")
    cal.add("version", "2.0")
    events: list[tuple[str, str, str]] = []
    d = plan_json.get("deadlines") or {}
    if d.get("cycle_end"):
        events.append((d["cycle_end"], "Recertification cycle ends", "cycle-end"))
    if d.get("finish_by") and d.get("finish_by") != d.get("cycle_end"):
        events.append((d["finish_by"], "Finish your continuing education (your finish-by date)", "finish-by"))
    for s in d.get("submit_by", []):
        events.append(
            (s["last_day"], f"{s['credential']}: last day to finish and submit ({s['why']})", "submit")
        )
    for m in plan_json.get("memberships", []):
        if m.get("cancel_renewal_by"):
            events.append(
                (m["cancel_renewal_by"], f"Cancel the auto-renewal of {m['title']}", f"cancel-{m['id']}")
            )
    stamp = datetime.combine(date.fromisoformat(d.get("as_of") or "1970-01-01"), time(0), tzinfo=UTC)
    for day, summary, key in events:
        ev = Event()
        ev.add("uid", f"{key}-{day}@ceu-planner")
        ev.add("summary", summary)
        ev.add("dtstart", date.fromisoformat(day))
        ev.add("dtend", date.fromisoformat(day) + timedelta(days=1))
        ev.add("dtstamp", stamp)
        cal.add_component(ev)
    return cal.to_ical(), len(events)
