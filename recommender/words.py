"""Plain words for what a person reads: units, gap keys and caps, never internal codes.

JSON keeps the codes (`aama_point`, `approved:AAMA`, `non_aama`); tables, notes and reasons
use these phrases instead ("AAMA recertification points", "at most 30 points from courses not
approved by the AAMA").
"""

from __future__ import annotations

#: Plural plain names of every unit a credential or an offering may use.
UNIT_WORDS: dict[str, str] = {
    "aama_point": "AAMA recertification points",
    "aama_ceu": "AAMA CEUs",
    "ccp_point": "AMT CCP points",
    "nha_credit": "NHA credits",
    "amca_credit": "AMCA credits",
    "contact_hour": "contact hours",
    "iacet_ceu": "IACET CEUs",
    "college_credit": "college credits",
    "cpr_card": "CPR cards",
    "unstated": "credits whose unit the provider's page does not state",  # crawled, credit_unit NULL
}

#: Short forms for table cells ("4 points").
UNIT_SHORT: dict[str, str] = {
    "aama_point": "points",
    "ccp_point": "points",
    "nha_credit": "credits",
    "amca_credit": "credits",
    "contact_hour": "hours",
}


def unit_words(unit: str) -> str:
    """'aama_point' -> 'AAMA recertification points' (unknown units: underscores become spaces)."""
    return UNIT_WORDS.get(unit, unit.replace("_", " ") + "s")


def unit_short(unit: str) -> str:
    return UNIT_SHORT.get(unit, unit_words(unit))


def gap_words(key: str, unit: str = "contact_hour") -> str:
    """'approved:AAMA' -> 'AAMA-approved points'; 'general' -> 'general points'; 'total' -> 'points in total'."""
    short = unit_short(unit)
    if key == "total":
        return f"{short} in total"
    kind, sep, name = key.partition(":")
    if not sep:
        return f"{key} {short}"
    if kind == "approved":
        return f"{short} from courses approved by the {name}" if name else short
    if kind == "topic":
        return f"{short} on {name.replace('_', ' ')}"
    return key


def requirement_words(key: str, code: str = "", unit: str = "contact_hour") -> str:
    """A gap key with its credential: 'CMA: AAMA-approved points'."""
    text = gap_words(key, unit)
    return f"{code}: {text}" if code else text


def cap_words(name: str, maximum: float, unit: str, where: dict | None = None) -> str:
    """'non_aama', 30 -> 'at most 30 points from courses not approved by the AAMA'."""
    short = unit_short(unit)
    where = where or {}
    if "not_approved_by" in where:
        what = f"from courses not approved by the {where['not_approved_by']}"
    elif where.get("kind") == "cpr":
        what = "from CPR cards"
    elif "kind" in where:
        what = f"from {where['kind']} offerings"
    elif "approved_by" in where:
        what = f"from courses approved by the {where['approved_by']}"
    elif name == "carry_in":
        what = "earned before the cycle"
    else:
        what = f"from {name.replace('_', ' ')}"
    return f"at most {maximum:g} {short} {what}"


def rate_words(cred) -> str:
    """How a credential converts contact hours: 'NHA counts 2 contact hours as 1 credit'."""
    rate = cred.units.get("contact_hour")
    one = unit_short(cred.unit).removesuffix("s")
    if not rate:
        return ""
    if cred.unit == "contact_hour":
        return f"{cred.body or 'it'} counts the hours"
    if rate < 1:
        return f"{cred.body} counts {1 / rate:g} contact hours as 1 {one}"
    return f"{cred.body} counts 1 contact hour as {rate:g} {unit_short(cred.unit) if rate != 1 else one}"


def reason_words(raw: str, cred) -> str:
    """A credential view's reason code in plain words, with what the person can do about it."""
    if raw.endswith(f" credits do not convert to {cred.unit}"):
        unit = raw.split(" ", 1)[0]
        if "contact_hour" in cred.units:
            return (
                f"{unit_words(unit)} do not convert to {unit_words(cred.unit)} by themselves and the hours "
                f"are not given; add the hours column: {rate_words(cred)}"
            )
        return f"{cred.body} does not accept {unit_words(unit)} for the {cred.code}"
    if raw == "credits unknown":
        return "the credits are not given; add the credits column (or the hours column)"
    if raw.startswith("under ") and raw.endswith(" minutes"):
        minutes = raw.split()[1]
        other = dict(cred.min_where).get("not_approved_by")
        which = f"a course not approved by the {other}" if other else "an activity"
        return f"under {minutes} minutes: the {cred.body} counts {which} only from {minutes} minutes on"
    return raw


def _indexed(code: str) -> tuple[str, int]:
    name, _, rest = code.partition("[")
    return name, int(rest.rstrip("]")) if rest else -1


def unverified_words(cred) -> str:
    """'units.contact_hour, fees[2]' in plain words: which rules the body's own pages do not confirm."""
    fixed = {
        "cycle": "the cycle length",
        "total": "the total",
        "areas": "the minimum per content area",
        "min_activity": "the shortest activity that counts",
        "accept": "whose credit is accepted",
        "rounding": "how each activity is rounded",
        "carry_in": f"{unit_short(cred.unit)} earned before the first cycle (carry-in)",
        "exam": "recertifying by exam",
    }
    parts = []
    for code in cred.unverified:
        name, i = _indexed(code)
        if code in fixed:
            parts.append(fixed[code])
        elif name.startswith("units."):
            unit = name.removeprefix("units.")
            parts.append(f"how {unit_words(unit)} convert to {unit_words(cred.unit)}")
        elif name == "fees" and 0 <= i < len(cred.fees):
            fee = cred.fees[i]
            parts.append(f"the {fee.name.replace('_', ' ')} fee (${fee.usd:g})")
        elif name == "caps" and 0 <= i < len(cred.caps):
            cap = cred.caps[i]
            parts.append(cap_words(cap.name, cap.max_value, cred.unit, dict(cap.where)))
        elif name == "kinds" and 0 <= i < len(cred.kinds):
            parts.append(f"what a {cred.kinds[i].kind} counts for")
        elif name == "topics" and 0 <= i < len(cred.topics):
            parts.append(f"the {cred.topics[i].name.replace('_', ' ')} requirement")
        elif name == "approved" and 0 <= i < len(cred.approved):
            parts.append(f"the minimum approved by the {list(cred.approved)[i]}")
        else:
            parts.append("a caution" if name == "notices" else code.replace("_", " "))
    return f"Not confirmed by the {cred.body}'s own pages: " + "; ".join(parts) + "."


def hours_words(selected: list[dict], total_hours: float) -> str:
    """The plan's total hours in words: 'unknown' when no selected offering states its hours."""
    unknown = sum(1 for s in selected if s.get("hours") is None)
    if unknown and unknown == len(selected):
        return "hours unknown (no selected offering states its hours)"
    if unknown:
        return f"{total_hours:g} hours plus {unknown} offering(s) whose hours are not stated"
    return f"{total_hours:g} hours"
