"""Only offerings a person can use: the audiences a credential accepts, and who may take an offering.

A credential file's `[audience]` table lists the professions whose offerings its body accepts
(`accepts`), the body's own test where acceptance is the person's judgement (`judgement`), and its
`source`. An offering counts toward the credential when the body approved or accepts it, when
its audience is one the credential accepts, or when its audience is not stated: unknown is not
"another profession", but the plan says next to it that who it is for is not stated. An offering
only for other professions (a California RN renewal package, ABA courses for behavior
technicians) does not count.

Eligibility (members only, one employer's staff, one state, holders of a certification) depends on
the person: `eligible_mask` keeps the offerings she can take, from what she told the planner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from catalog.audience import AUDIENCES, eligible, parse_eligibility


@dataclass(frozen=True)
class AudienceRule:
    """Which offerings' audiences a credential accepts (data/credentials `[audience]`)."""

    accepts: tuple[str, ...]
    judgement: str
    source: str


def parse_rule(schema: Any, doc: dict) -> AudienceRule | None:
    """The `[audience]` table of a credential file, checked by the rules loader's schema helpers."""
    if "audience" not in doc:
        return None
    t = schema.keys(doc["audience"], "audience", {"accepts", "judgement", "source", "verified", "note"})
    schema.sourced(t, "audience")
    accepts = t.get("accepts")
    if not isinstance(accepts, list) or not accepts or any(a not in AUDIENCES for a in accepts):
        schema.fail("audience.accepts", f"a list of audiences from: {', '.join(AUDIENCES)}")
    return AudienceRule(tuple(accepts), schema.text(t, "judgement", "audience"), t["source"])


def words(audience: Iterable[str]) -> str:
    return ", ".join(AUDIENCES.get(a, a.replace("_", " ")) for a in audience)


def audience_check(
    table: Any, rule: AudienceRule, body: str, vouched: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, np.ndarray]]]:
    """(other profession mask, reason per row, notices) for one credential over a table.

    `vouched`: offerings the body approved or accepts (they count whatever their audience).
    """
    n = len(table)
    codes, uniques = table.codes("audience")
    accepted = set(rule.accepts)
    known = np.array([bool(u) for u in uniques], dtype=bool)[codes] if n else np.zeros(0, dtype=bool)
    ours = np.array([bool(set(u) & accepted) for u in uniques], dtype=bool)[codes] if n else known
    narrow = accepted - {"any_healthcare"}
    direct = np.array([bool(set(u) & narrow) for u in uniques], dtype=bool)[codes] if n else known
    other = known & ~ours & ~vouched
    reason = np.full(n, "", dtype=object)
    who = words(a for a in rule.accepts if a != "any_healthcare") or words(rule.accepts)
    for k, u in enumerate(uniques):
        if u and not set(u) & accepted:
            reason[(codes == k) & other] = f"for {words(u)}, not for {who}"
    notices = [
        (f"who it is for is not stated; {rule.judgement}", ~known & ~vouched),
        (f"it is for {words(['any_healthcare'])}; {rule.judgement}", known & ours & ~direct & ~vouched),
    ]
    return other, reason, notices


def person_facts(
    credentials: Iterable[Any],
    member_of: Iterable[str] = (),
    employer: Iterable[str] = (),
    state: str | None = None,
) -> dict[str, set[str]]:
    """What the planner knows about the person, as eligibility conditions can test it."""
    return {
        "member_of": {m for m in member_of},
        "employer": {e for e in employer},
        "state": {state.upper()} if state else set(),
        "certified_by": {getattr(c, "body", "") for c in credentials},
    }


def eligible_mask(table: Any, person: Mapping[str, Iterable[str]]) -> np.ndarray:
    """Offerings the person may take (no stated limit, or she meets one alternative)."""
    codes, uniques = table.codes("eligibility")
    ok = np.array([eligible(parse_eligibility(u), person) for u in uniques], dtype=bool)
    return ok[codes] if len(codes) else np.zeros(0, dtype=bool)


EVENT_KINDS = ("conference",)
EVENT_DELIVERY = ("in_person", "conference", "live_webinar")


def past_event_mask(table: Any, as_of: Any) -> np.ndarray:
    """Events (conferences, in-person sessions, live webinars) whose dates have passed.

    An event's `valid_from`..`valid_until` is when it takes place; with only `valid_from` it is the
    day it took place. (Any offering whose `valid_until` has passed is already never planned.)
    """
    event = np.isin(table.kind, EVENT_KINDS) | np.isin(table.delivery, EVENT_DELIVERY)
    ended = np.fromiter(
        (
            (u is not None and u < as_of) or (u is None and f is not None and f < as_of)
            for f, u in zip(table.valid_from, table.valid_until, strict=True)
        ),
        dtype=bool,
        count=len(table),
    )
    return event & ended & ~table.is_covering()


def can_take_mask(table: Any, person: Mapping[str, Iterable[str]], as_of: Any) -> np.ndarray:
    """Offerings the person can take: eligible, and not an event in the past."""
    return eligible_mask(table, person) & ~past_event_mask(table, as_of)
