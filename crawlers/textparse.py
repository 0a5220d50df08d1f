"""Pure text parsers the crawlers need on top of catalog.normalize: credit phrases and durations.

Units stay explicit: "1.5 contact hours (0.15 CEU)" is 1.5 hours and a separate 0.15 CEU figure,
never 0.15 hours. Nothing here converts one unit into another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.vocab import BODIES, Area, Unit, parse_body

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"  # "10,000" is ten thousand
#: label regex -> unit key; "hour" means contact hours, "ceu" a bare CEU, "credit" the provider's credit.
_LABELS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_NUM + r"\s*(?:contact|ce|clock|credit)?\s*(?:hours?|hrs?\.?)\b", re.I), "hour"),
    (re.compile(_NUM + r"\s*min(?:ute)?s?\b", re.I), "minute"),
    (re.compile(_NUM + r"\s*AAMA\s*(?:CEUs?|recertification points?|points?)", re.I), Unit.AAMA_CEU),
    (re.compile(_NUM + r"\s*IACET\s*CEUs?", re.I), Unit.IACET_CEU),
    (re.compile(_NUM + r"\s*CCP\s*points?|" + _NUM + r"\s*points?\b", re.I), Unit.CCP_POINT),
    (re.compile(_NUM + r"\s*(?:NHA\s*)?(?:CE|continuing education)\s*credits?\b", re.I), "credit"),
    (re.compile(_NUM + r"\s*credits?\b", re.I), "credit"),
    (re.compile(_NUM + r"\s*CEUs?\b", re.I), "ceu"),
]


@dataclass
class CreditFacts:
    """What a credit phrase states, unit by unit."""

    hours: Decimal | None = None
    amounts: dict[str, Decimal] = field(default_factory=dict)  # unit key -> amount
    #: unit key -> the unit words as written ("CEUs", "contact hours"); "hour" covers minutes too.
    unit_texts: dict[str, str] = field(default_factory=dict)


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def parse_credit_phrases(texts: list[str] | str | None) -> CreditFacts:
    """Collect the numbers each phrase attaches to a unit label; the first figure per unit wins."""
    facts = CreditFacts()
    for text in [texts] if isinstance(texts, str) else (texts or []):
        rest = str(text)
        if _BARE.fullmatch(rest):  # schema.org numberOfCredits as a bare number: no unit stated
            facts.amounts.setdefault("bare", _dec(rest.strip()))
            continue
        for pattern, key in _LABELS:
            for m in pattern.finditer(rest):
                group = next(i for i, g in enumerate(m.groups(), 1) if g)
                amount = _dec(m.group(group))
                words = m.string[m.end(group) : m.end()].strip()
                if key == "hour" or (key == "minute" and facts.hours is None):
                    if facts.hours is None:
                        facts.hours = (
                            amount if key == "hour" else (amount / 60).quantize(Decimal("0.01")).normalize()
                        )
                        facts.unit_texts["hour"] = words
                elif key != "minute" and str(key) not in facts.amounts:
                    facts.amounts[str(key)] = amount
                    facts.unit_texts[str(key)] = words
            rest = pattern.sub(" ", rest)  # a matched phrase is not read again by a looser label
    return facts


_BARE = re.compile(r"\s*" + _NUM + r"\s*")


_ISO = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.I
)


def iso_duration_hours(text: str | None) -> Decimal | None:
    """ISO 8601 duration ("PT1H30M", "P1DT2H") -> hours; None when not a duration."""
    if not text:
        return None
    m = _ISO.match(str(text).strip())
    if not m or not any(m.groups()):
        return None
    d, h, mi, s = (Decimal(g) if g else Decimal(0) for g in m.groups())
    hours = d * 24 + h + mi / 60 + s / 3600
    return hours.quantize(Decimal("0.01")).normalize()


_AREA = re.compile(r"\b(general|clinical|administrative)\b\s*(?:[:=\-–]\s*|\()?\s*" + _NUM + r"?", re.I)


def areas_text(texts: list[str] | str | None) -> str:
    """'Clinical' -> 'clinical'; 'General: 1, Clinical: 0.5' -> 'general:1;clinical:0.5'; '' if none."""
    found: dict[str, str | None] = {}
    for text in [texts] if isinstance(texts, str) else (texts or []):
        for m in _AREA.finditer(str(text)):
            found.setdefault(Area(m.group(1).lower()).value, m.group(2))
    if len(found) == 1:
        return next(iter(found))
    if found and all(found.values()):
        return ";".join(f"{a}:{_dec(n)}" for a, n in found.items())  # type: ignore[arg-type]
    return ";".join(found)  # several areas without amounts: catalog.normalize rejects it


_FULL_NAMES = {name.lower(): key for key, name in BODIES.items()}


def body_names(texts: list[str]) -> tuple[list[str], list[str]]:
    """Map body names ("American Medical Technologists (AMT)", "AAMA") to vocabulary keys.

    Returns (known, unknown); unknown names are reported by the caller, never dropped silently.
    """
    known: list[str] = []
    unknown: list[str] = []
    for raw in texts:
        for part in re.split(r"[;,/]|\band\b", str(raw)):
            name = part.strip(" .")
            if not name:
                continue
            candidates = [name, *re.findall(r"\(([^)]+)\)", name), re.sub(r"\s*\(.*?\)", "", name)]
            key = next((_try_body(c) for c in candidates if _try_body(c)), None)
            key = key or _FULL_NAMES.get(re.sub(r"\s*\(.*?\)", "", name).lower())
            (known if key else unknown).append(key or name)
    return list(dict.fromkeys(known)), list(dict.fromkeys(unknown))


def _try_body(name: str) -> str | None:
    try:
        return parse_body(name)
    except ValueError:
        return None
