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
        what = "earned before the cycle (first renewal)"
    else:
        what = f"from {name.replace('_', ' ')}"
    return f"at most {maximum:g} {short} {what}"
