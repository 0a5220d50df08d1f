"""Who an offering is for (`audience`) and who may take it (`eligibility`): two optional manual columns.

`audience`: `;`-separated professions from AUDIENCES, as the offering's own page words it
("for medical assistants" -> `medical_assistant`; "nurses, pharmacists" -> `nursing;pharmacy`).
Blank = not stated (unknown): an unknown audience is not "another profession".

`eligibility`: who may take it when the page limits it. Alternatives separated by `|`, each a
`;`-separated list of conditions that must all hold; a condition is `member_of=NAME`
(members of a body or society), `employer=NAME` (one employer's staff), `state=XX` (held in, or
open only to people in, one US state) or `certified_by=BODY` (holders of that body's
certification). Blank = no stated limit. Example: `employer=Core Physicians|member_of=NHSMA`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: Professions an offering may be for; `any_healthcare` = open to every healthcare profession.
AUDIENCES: dict[str, str] = {
    "medical_assistant": "medical assistants",
    "any_healthcare": "any healthcare profession",
    "nursing": "nurses",
    "physician": "physicians and other prescribers",
    "pharmacy": "pharmacists",
    "dental": "dental professionals",
    "emergency_medical": "emergency medical technicians",
    "behavior_analysis": "behavior analysts and technicians (ABA)",
    "laboratory": "laboratory professionals",
    "phlebotomy": "phlebotomy technicians",
    "public_health": "public health officials",
}
#: Condition keys of `eligibility`.
ELIGIBILITY_KEYS = ("member_of", "employer", "state", "certified_by")
_STATE = re.compile(r"[A-Z]{2}")


class AudienceError(ValueError):
    """A bad `audience` or `eligibility` cell; `field` names the column."""

    def __init__(self, field: str, value: str, message: str):
        super().__init__(message)
        self.field, self.value, self.message = field, value, message


def parse_audience(text: str | None) -> tuple[str, ...]:
    """'medical_assistant;any_healthcare' -> the tuple, each checked against AUDIENCES."""
    out = []
    for part in (text or "").split(";"):
        name = part.strip().lower().replace("-", "_").replace(" ", "_")
        if not name:
            continue
        if name not in AUDIENCES:
            from catalog.vocab import suggest

            raise AudienceError(
                "audience", part, f"unknown audience {part.strip()!r}{suggest(name, AUDIENCES)}; "
                f"known: {', '.join(AUDIENCES)}"
            )  # fmt: skip
        if name not in out:
            out.append(name)
    return tuple(out)


Alternative = tuple[tuple[str, str], ...]


def parse_eligibility(text: str | None) -> tuple[Alternative, ...]:
    """'employer=Core Physicians|member_of=NHSMA' -> ((('employer', 'Core Physicians'),), ...)."""
    alternatives = []
    for alt in (text or "").split("|"):
        conditions = []
        for part in alt.split(";"):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            key, value = key.strip().lower(), value.strip()
            if not sep or not value:
                raise AudienceError("eligibility", part, "a condition is KEY=VALUE, e.g. member_of=AAMA")
            if key not in ELIGIBILITY_KEYS:
                raise AudienceError(
                    "eligibility", part, f"unknown condition {key!r}; known: {', '.join(ELIGIBILITY_KEYS)}"
                )
            if key == "state":
                value = value.upper()
                if not _STATE.fullmatch(value):
                    raise AudienceError("eligibility", part, "state is a two-letter US code, e.g. state=NH")
            conditions.append((key, value))
        if conditions:
            alternatives.append(tuple(conditions))
    if not alternatives and (text or "").strip():
        raise AudienceError("eligibility", text or "", "no condition given")
    return tuple(alternatives)


def format_eligibility(alternatives: Iterable[Alternative]) -> str:
    return "|".join(";".join(f"{k}={v}" for k, v in alt) for alt in alternatives)


def eligible(alternatives: Iterable[Alternative], person: Mapping[str, Iterable[str]]) -> bool:
    """True when no limit is stated or the person meets every condition of one alternative.

    `person` maps a condition key to what the person stated (`--member-of`, `--employer`,
    `--state`) or holds (`certified_by`: the bodies of the credentials being planned).
    """
    alts = list(alternatives)
    if not alts:
        return True
    facts = {k: {str(v).casefold() for v in vals} for k, vals in person.items()}
    return any(all(v.casefold() in facts.get(k, set()) for k, v in alt) for alt in alts)


def describe_eligibility(alternatives: Iterable[Alternative]) -> str:
    """Plain words: 'Core Physicians staff, or members of NHSMA'."""
    words = {
        "member_of": "members of {}",
        "employer": "{} staff",
        "state": "people in {}",
        "certified_by": "holders of a {} certification",
    }
    return ", or ".join(" who are ".join(words[k].format(v) for k, v in alt) for alt in alternatives)


def audience_fields(get, errors: list, error_type) -> dict:
    """The `audience` and `eligibility` cells of a manual row, parsed (errors appended as `error_type`)."""
    out: dict = {}
    try:
        out["audience"] = parse_audience(get("audience", ""))
        out["eligibility"] = format_eligibility(parse_eligibility(get("eligibility", "")))
    except AudienceError as e:
        errors.append(error_type(e.field, e.value, e.message))
    return out
