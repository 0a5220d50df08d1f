"""Controlled vocabularies shared by the catalog, the crawlers and the recommender.

Every name a CSV, a spider or a credential file may use is listed here, so a typo is
caught with a "did you mean" instead of silently creating a new category.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    """What an offering is."""

    COURSE = "course"
    MEMBERSHIP = "membership"
    BUNDLE = "bundle"
    ARTICLE = "article"
    CONFERENCE = "conference"
    EXAM = "exam"
    CPR = "cpr"
    COLLEGE = "college"


#: Kinds that award credit themselves (memberships and bundles give access to others).
CREDIT_KINDS = frozenset({Kind.COURSE, Kind.ARTICLE, Kind.CONFERENCE, Kind.EXAM, Kind.CPR, Kind.COLLEGE})
#: Kinds that cover other offerings (the `covers` / `discount_pct` columns).
COVERING_KINDS = frozenset({Kind.MEMBERSHIP, Kind.BUNDLE})


class Area(StrEnum):
    """AAMA content areas (the CMA (AAMA) exam content outline)."""

    GENERAL = "general"
    CLINICAL = "clinical"
    ADMINISTRATIVE = "administrative"


#: The content areas' names in their fixed order (the columns of an area-credits matrix).
AREAS: tuple[str, ...] = tuple(a.value for a in Area)


class Unit(StrEnum):
    """Credit units. Never converted implicitly; see HOURS_PER_UNIT."""

    CONTACT_HOUR = "contact_hour"
    AAMA_CEU = "aama_ceu"
    IACET_CEU = "iacet_ceu"
    CCP_POINT = "ccp_point"
    NHA_CREDIT = "nha_credit"
    AMCA_CREDIT = "amca_credit"
    COLLEGE_CREDIT = "college_credit"
    CPR_CARD = "cpr_card"


#: Units with a published, body-independent conversion to contact hours.
#: IACET CEU = 10 contact hours: https://www.labfour.com/corporate-training/memphis/continued-education-units/
#: NHA CE credit = 2 hours: https://www.nhanow.com/certification/Before-After-Certification/continuing-education
HOURS_PER_UNIT: dict[Unit, Decimal] = {
    Unit.CONTACT_HOUR: Decimal(1),
    Unit.IACET_CEU: Decimal(10),
    Unit.NHA_CREDIT: Decimal(2),
}


class Delivery(StrEnum):
    ONLINE = "online"
    SELF_STUDY = "self_study"
    LIVE_WEBINAR = "live_webinar"
    IN_PERSON = "in_person"
    CONFERENCE = "conference"
    JOURNAL = "journal"


class PriceBasis(StrEnum):
    ONE_TIME = "one_time"
    PER_YEAR = "per_year"
    PER_MONTH = "per_month"


#: Approving / accrediting / credentialing bodies the catalog knows.
BODIES: dict[str, str] = {
    "AAMA": "American Association of Medical Assistants",
    "AMT": "American Medical Technologists",
    "NHA": "National Healthcareer Association",
    "NCCT": "National Center for Competency Testing",
    "AMCA": "American Medical Certification Association",
    "ARMA": "named as accepting body in the source article",
    "IACET": "International Accreditors for Continuing Education and Training",
    "ACCME": "Accreditation Council for Continuing Medical Education",
    "ANCC": "American Nurses Credentialing Center",
    "AHA": "American Heart Association",
    "ARC": "American Red Cross",
    "PACE": "P.A.C.E. (ASCLS Professional Acknowledgment for Continuing Education)",
    "AAPC": "American Academy of Professional Coders",
    "AHIMA": "American Health Information Management Association",
    "BACB": "Behavior Analyst Certification Board",
    "FL-BON": "Florida Board of Nursing",
    "CE-BROKER": "CE Broker (Florida reporting)",
    "NAB": "National Association of Long Term Care Administrator Boards",
    "ASWB": "Association of Social Work Boards",
    "ACCENT": "ACCENT (American Association for Clinical Chemistry)",
}


def suggest(value: str, choices) -> str:
    """' (did you mean X?)' for the closest known name, or ''."""
    close = difflib.get_close_matches(value, [str(c) for c in choices], n=1, cutoff=0.6)
    if not close:
        close = [c for c in map(str, choices) if c.lower() == value.lower()]
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_enum(enum: type[StrEnum], value: str, what: str) -> StrEnum:
    """Map text onto an enum member or raise ValueError with a suggestion."""
    v = value.strip().lower()
    try:
        return enum(v)
    except ValueError:
        known = ", ".join(m.value for m in enum)
        raise ValueError(
            f"unknown {what} {value!r}{suggest(v, [m.value for m in enum])}; known: {known}"
        ) from None


def parse_body(value: str) -> str:
    """Canonical body name (upper case) or ValueError with a suggestion."""
    v = value.strip().upper()
    if v in BODIES:
        return v
    raise ValueError(f"unknown body {value!r}{suggest(v, BODIES)}; known: {', '.join(BODIES)}")
