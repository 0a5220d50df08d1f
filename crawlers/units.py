"""Credit units as facts: what a crawled page states, resolved only when the mapping is unambiguous.

`read_credits` turns a page's credit phrases ("2 CEUs", "1.5 contact hours (0.15 CEU)", a bare
numberOfCredits) and its duration (timeRequired / courseWorkload) into credits, a canonical unit or
None, and the unit words exactly as written. It never defaults an unstated unit:

- a named unit ("contact hours", "AAMA CEUs", "CCP points", "IACET CEUs") is taken as stated;
- a bare "CEU(s)" is the source's declared `ceu_unit` (crawlers/sources.toml), else it is resolved
  from the page's own duration: about 0.1 per hour is an IACET CEU (0.6 CEU for 6 hours), about one
  per hour is one credit per contact hour (2 CEUs for 2 hours); anything else stays unknown;
- "N credits" and a bare number are the source's declared `credit_unit`, else unknown;
- credits that contradict the stated duration by about a factor of ten (20 contact hours for a
  2-hour course) are withheld, with the contradiction reported as a problem, never published silently.

An unknown unit is reported as a problem on `credit_unit` (counted per field in the crawl manifest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.vocab import HOURS_PER_UNIT, Unit
from crawlers.textparse import iso_duration_hours, parse_credit_phrases

#: Ratios credits/hours that identify a bare CEU: IACET (0.1 per contact hour) or one per hour.
_IACET_PER_HOUR = Decimal("0.1")
_TOLERANCE = Decimal("1.5")
#: Stated credit hours over stated duration beyond this (either way) is a factor-of-ten contradiction.
_CONTRADICTION = Decimal("3.16")  # about sqrt(10): closer to a factor of ten than to agreement
_DURATION = re.compile(
    r"(?:(\d+(?:\.\d+)?)\s*(?:hours?|hrs?\.?|h)\b)?\s*(?:(\d+(?:\.\d+)?)\s*(?:minutes?|mins?\.?)\b)?", re.I
)


@dataclass
class CreditReading:
    """Credits, unit and duration of one item, plus the problems found while reading them."""

    credits: Decimal | None = None
    unit: str | None = None
    unit_text: str | None = None
    hours: Decimal | None = None
    #: Other stated figures, by unit key ("iacet_ceu": 0.15), kept in the item's extras.
    others: dict[str, Decimal] = field(default_factory=dict)
    #: (field, message) pairs: non-fatal, counted per field in the manifest.
    problems: list[tuple[str, str]] = field(default_factory=list)


def duration_hours(text: str | None) -> Decimal | None:
    """'PT1H30M', '3 hours', '90 minutes', '1 hour 30 minutes' -> hours; None when not a duration."""
    if not text:
        return None
    iso = iso_duration_hours(text)
    if iso is not None:
        return iso
    m = _DURATION.search(str(text))
    if not m or not any(m.groups()):
        return None
    h = Decimal(m.group(1) or 0) + Decimal(m.group(2) or 0) / 60
    return h.quantize(Decimal("0.01")).normalize()


def _near(ratio: Decimal, target: Decimal) -> bool:
    return target / _TOLERANCE <= ratio <= target * _TOLERANCE


def resolve_ceu(amount: Decimal, hours: Decimal | None) -> str | None:
    """The unit a bare "CEU" means, judged by the duration the page states; None when it cannot tell."""
    if not hours:
        return None
    ratio = amount / hours
    if _near(ratio, _IACET_PER_HOUR):
        return Unit.IACET_CEU.value
    if _near(ratio, Decimal(1)):
        return Unit.CONTACT_HOUR.value  # one credit per contact hour
    return None


def read_credits(
    credits_text: list[str],
    hours_text: str | None,
    *,
    credit_unit: str | None = None,
    ceu_unit: str | None = None,
    explicit_unit: str | None = None,
) -> CreditReading:
    """Read one item's credits (see the module docstring). `credit_unit` and `ceu_unit` are the
    source's declarations (None = not declared); `explicit_unit` is a unit the spider read off the page."""
    facts = parse_credit_phrases(credits_text)
    out = CreditReading()
    duration = duration_hours(hours_text)
    out.hours = duration if duration is not None else facts.hours
    # candidates in priority order: (key as stated, canonical unit or None)
    candidates: list[tuple[str, str | None]] = []
    keys = list(facts.amounts)
    if explicit_unit and explicit_unit in keys:
        candidates.append((explicit_unit, explicit_unit))
    for key in (Unit.AAMA_CEU.value, Unit.CCP_POINT.value):
        if key in keys:
            candidates.append((key, key))
    if "credit" in keys:
        candidates.append(("credit", credit_unit))
    if facts.hours is not None:  # "1.5 contact hours" states a credit; a bare duration does not
        candidates.append(("hour", Unit.CONTACT_HOUR.value))
    if "ceu" in keys:
        ceu = ceu_unit or resolve_ceu(facts.amounts["ceu"], duration if duration is not None else facts.hours)
        if not (ceu == Unit.IACET_CEU.value and facts.hours is not None):  # IACET restates the hours
            candidates.append(("ceu", ceu))
    if Unit.IACET_CEU.value in keys:
        candidates.append((Unit.IACET_CEU.value, Unit.IACET_CEU.value))
    if "bare" in keys:
        candidates.append(("bare", credit_unit))
    known = [(k, u) for k, u in candidates if u]
    key, unit = known[0] if known else (candidates[0] if candidates else (None, None))
    if key is None:
        return out
    out.credits = facts.hours if key == "hour" else facts.amounts[key]
    out.unit = unit
    out.unit_text = facts.unit_texts.get(key) or None
    for k, v in facts.amounts.items():
        if k != key:
            other = credit_unit if k in ("credit", "bare") else k
            if k == "ceu":
                other = ceu_unit or resolve_ceu(v, out.hours) or "ceu"
            out.others[other or k] = v
    if unit is None:
        said = f"{out.credits} {out.unit_text}" if out.unit_text else f"{out.credits} (no unit)"
        out.problems.append(("credit_unit", f"unit of {said!r} is not stated unambiguously"))
    elif duration and unit in HOURS_PER_UNIT:
        _check_contradiction(out, duration, unit)
    return out


def _check_contradiction(out: CreditReading, duration: Decimal, unit: str) -> None:
    """Withhold credits (and the duration) that disagree with each other by about a factor of ten."""
    if out.credits is None or not duration:
        return
    ratio = out.credits * HOURS_PER_UNIT[Unit(unit)] / duration
    if ratio > _CONTRADICTION or ratio < 1 / _CONTRADICTION:
        out.problems.append(
            (
                "credits",
                f"{out.credits} {out.unit_text or unit} contradicts the stated duration of {duration} hours "
                f"(about {ratio:.2g} times); neither is published",
            )
        )
        out.credits = out.unit = out.hours = None
