"""Credential recertification rules (the dataclasses) and what they make of an offering table.

`credentials.load_credential("CMA")` gives a frozen `Credential`; `Credential.view(table)` turns an
`OfferingTable` into per-offering credential units, area values, masks and caps, all as
numpy arrays, for the optimizer and the transcript evaluator alike. Imports numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from catalog import filters
from catalog.vocab import HOURS_PER_UNIT
from recommender.cycles import add_months, end_of_month
from recommender.table import AREAS, OfferingTable

#: Kinds that earn no credit themselves; they give access to other offerings.
NO_CREDIT_KINDS = ("membership", "bundle")
#: Filter keys usable in a `where` table (caps, min_activity).
WHERE_KEYS = filters.WHERE_FIELDS


@dataclass(frozen=True)
class Fee:
    name: str
    usd: float
    every_months: int | None
    source: str
    verified: bool = True
    note: str = ""
    route: str | None = None  # "ce" (due when recertifying by CE), "exam", "lapse"; None = not planned
    members: bool | None = None  # True: only members of the body pay it; False: only nonmembers


@dataclass(frozen=True)
class Processing:
    """How long the body takes to process an application (the last day to submit is that much earlier)."""

    approved_by: str
    all_approved_days: int
    other_days: int
    source: str


@dataclass(frozen=True)
class Cap:
    """At most `max_value` credential units from offerings in `mask` count."""

    name: str
    mask: np.ndarray
    max_value: float


@dataclass(frozen=True)
class CapRule:
    name: str
    max_value: float
    where: tuple[tuple[str, str], ...]
    note: str = ""


@dataclass(frozen=True)
class KindRule:
    """Per-item value for a kind (CPR: 4 clinical points per card, counted as AAMA-approved)."""

    kind: str
    value_each: float
    area: str | None
    approved_by: tuple[str, ...]


@dataclass(frozen=True)
class TopicRule:
    name: str
    amount: float
    every_cycles: int = 1
    adds_to_total: bool = False
    first_renewal_only: bool = False


@dataclass(frozen=True)
class CarryIn:
    """First recertification only: up to `max_value` units earned shortly before the cycle count."""

    max_value: float
    window_months: int
    verified: bool


@dataclass
class CredentialView:
    """Vectorized meaning of every offering of a table for one credential (length n arrays)."""

    value: np.ndarray
    area_value: np.ndarray
    counts: np.ndarray
    reason: np.ndarray
    approved: dict[str, np.ndarray]
    topics: dict[str, np.ndarray]
    caps: list[Cap]
    unit: str = "contact_hour"
    #: Units an offering would earn if it counted (0 where the unit does not convert).
    raw_value: np.ndarray | None = None
    #: (text, mask): cautions a plan must print for the offerings in mask that it buys.
    notices: list[tuple[str, np.ndarray]] = field(default_factory=list)


@dataclass(frozen=True)
class NoticeRule:
    """A caution shown when a plan buys an offering matching `where` (e.g. non-AAMA credit)."""

    text: str
    where: tuple[tuple[str, str], ...]


class _MaskDict(dict):
    """dict of masks that builds a missing key from the table (any BODY or topic on demand)."""

    def __init__(self, build, items):
        super().__init__(items)
        self._build = build

    def __missing__(self, key):
        self[key] = mask = self._build(key)
        return mask


@dataclass(frozen=True)
class Credential:
    code: str
    body: str
    name: str
    unit: str
    cycle_months: int
    cycle_anchor: str = "date"  # "date" or "end_of_month"
    earliest: str = "cycle_start"  # or "previous_calendar_year"
    total: float = 0.0
    areas: dict[str, float] = field(default_factory=dict)
    approved: dict[str, float] = field(default_factory=dict)
    units: dict[str, float] = field(default_factory=dict)
    kinds: tuple[KindRule, ...] = ()
    caps: tuple[CapRule, ...] = ()
    min_minutes: float | None = None
    min_where: tuple[tuple[str, str], ...] = ()
    topics: tuple[TopicRule, ...] = ()
    accept_bodies: tuple[str, ...] = ()
    round_down_to: float | None = None
    carry_in: CarryIn | None = None
    notices: tuple[NoticeRule, ...] = ()
    #: Which offerings' audiences the body accepts (recommender/audience.py); None = any.
    audience: Any = None
    fees: tuple[Fee, ...] = ()
    #: Catalog offering ids that make the holder a member of `body` (member fees).
    member_offerings: tuple[str, ...] = ()
    processing: Processing | None = None
    exam_allowed: bool | None = None
    authority_url: str = ""
    unverified: tuple[str, ...] = ()
    path: str = ""

    # --- cycles ---------------------------------------------------------------------
    def cycle_from_start(self, start: date) -> tuple[date, date]:
        """(first day, last day) of the cycle beginning on `start`."""
        return start, add_months(start, self.cycle_months) - timedelta(days=1)

    def cycle_from_certification(self, certified_on: date, as_of: date) -> tuple[date, date]:
        """The cycle containing `as_of`, counting whole cycles from the certification date.

        AAMA: current for 60 months from the end of the calendar month of certification.
        """
        start, end = certified_on, self._end_after(certified_on)
        while as_of > end:
            start, end = end + timedelta(days=1), self._end_after(end, rolled=True)
        return start, end

    def _end_after(self, day: date, *, rolled: bool = False) -> date:
        """Last day of the cycle that starts on `day` (or follows the cycle ending on `day`)."""
        if self.cycle_anchor == "end_of_month":
            return end_of_month(add_months(day, self.cycle_months))
        if rolled:
            day += timedelta(days=1)
        return add_months(day, self.cycle_months) - timedelta(days=1)

    def earliest_day(self, start: date, end: date) -> date:
        if self.earliest == "previous_calendar_year":
            return date(end.year - 1, 1, 1)
        return start

    # --- views ----------------------------------------------------------------------
    def view(
        self, table: OfferingTable, *, stated_only: bool = False, min_area_confidence: float = 0.8
    ) -> CredentialView:
        """Credential units per offering, per area, and the masks of each requirement and cap."""
        n = len(table)
        value = np.zeros(n)
        counts = np.zeros(n, dtype=bool)
        reason = np.full(n, "", dtype=object)
        credits = table.credits
        units = table.credit_unit
        forced_area = np.full(n, -1)
        forced_approved: dict[str, np.ndarray] = {}
        for u, factor in self.units.items():
            m = units == u
            value[m] = credits[m] * factor
            counts[m] = True
        per_hour = self.units.get("contact_hour")
        if per_hour is not None:  # a unit with no conversion still counts by its stated hours
            by_hours = (~counts | np.isnan(value)) & ~np.isnan(table.hours)
            value[by_hours] = table.hours[by_hours] * per_hour
            counts[by_hours] = True
        bad_unit = ~counts
        reason[bad_unit] = [f"{u} credits do not convert to {self.unit}" for u in units[bad_unit]]
        unknown = counts & np.isnan(value)
        reason[unknown] = "credits unknown"
        counts &= ~unknown
        for rule in self.kinds:
            m = table.kind == rule.kind
            cards = np.where((units == "cpr_card") & ~np.isnan(credits), credits, 1.0)
            value[m] = rule.value_each * cards[m]
            counts[m] = True
            reason[m] = ""
            if rule.area:
                forced_area[m] = AREAS.index(rule.area)
            for b in rule.approved_by:
                forced_approved[b] = forced_approved.get(b, np.zeros(n, dtype=bool)) | m
        if self.round_down_to:
            step = self.round_down_to
            value = np.floor(value / step + 1e-9) * step
        value[~counts] = 0.0

        def approved_mask(body: str) -> np.ndarray:
            return (
                table.has("approved_by", body) | forced_approved.get(body, np.zeros(n, dtype=bool))
            ) & counts

        for kind in NO_CREDIT_KINDS:
            m = table.kind == kind
            counts[m] = False
            reason[m] = f"a {kind} earns no credit itself"
        if self.accept_bodies:
            ok = np.zeros(n, dtype=bool)
            for b in self.accept_bodies:
                ok |= table.has("approved_by", b) | table.has("accepted_by", b)
            m = counts & ~ok
            counts[m] = False
            reason[m] = f"not accepted by {'/'.join(self.accept_bodies)}"
        if self.min_minutes:
            minutes = _minutes(table)
            applies = self._where(table, self.min_where, forced_approved)
            short = counts & applies & (minutes < self.min_minutes - 1e-9)
            counts[short] = False
            reason[short] = f"under {self.min_minutes:g} minutes"
        audience_notices = []
        if self.audience is not None:  # offerings only for other professions do not count
            from recommender.audience import audience_check

            vouched = table.has("approved_by", self.body) | table.has("accepted_by", self.body)
            vouched = vouched | forced_approved.get(self.body, np.zeros(n, dtype=bool))
            other, why, audience_notices = audience_check(table, self.audience, self.body, vouched)
            hit = other & counts
            counts[hit], reason[hit] = False, why[hit]
        raw_value = value.copy()
        value[~counts] = 0.0
        area_value = _area_value(table, value, stated_only, min_area_confidence)
        for j in range(3):
            m = forced_area == j
            area_value[m] = 0.0
            area_value[m, j] = value[m]
        area_value[~counts] = 0.0
        approved = _MaskDict(approved_mask, {b: approved_mask(b) for b in self.approved})
        topics = _MaskDict(
            lambda t: table.has("topics", t) & counts,
            {t.name: table.has("topics", t.name) & counts for t in self.topics},
        )
        caps = [
            Cap(c.name, self._where(table, c.where, forced_approved) & counts, c.max_value) for c in self.caps
        ]
        notices = [(nr.text, self._where(table, nr.where, forced_approved) & counts) for nr in self.notices]
        notices += [(text, mask & counts) for text, mask in audience_notices]
        return CredentialView(
            value, area_value, counts, reason, approved, topics, caps, self.unit, raw_value, notices
        )

    def _where(self, table: OfferingTable, where, forced_approved) -> np.ndarray:
        """Mask of a `where` filter (catalog.filters); a rule's forced approvals count as approvals."""
        return filters.mask(table, where, also={("approved_by", b): m for b, m in forced_approved.items()})

    def describe(self) -> str:
        return f"{self.code} ({self.body})"


def hours_view(
    table: OfferingTable, *, stated_only: bool = False, min_area_confidence: float = 0.8
) -> CredentialView:
    """Without a credential: credits count as contact hours (catalog.vocab.HOURS_PER_UNIT).

    Credits in a unit with no published hour conversion (or unknown credits) fall back to the
    stated `hours`, as for every credential that accepts contact hours.
    """
    cred = Credential(
        code="",
        body="",
        name="contact hours",
        unit="contact_hour",
        cycle_months=0,
        units={str(u): float(h) for u, h in HOURS_PER_UNIT.items()},
    )
    return cred.view(table, stated_only=stated_only, min_area_confidence=min_area_confidence)


def _minutes(table: OfferingTable) -> np.ndarray:
    """Activity length in minutes: stated hours, else credits in an hour-convertible unit; NaN if unknown."""
    minutes = table.hours * 60.0
    for u, h in HOURS_PER_UNIT.items():
        m = np.isnan(minutes) & (table.credit_unit == str(u))
        minutes[m] = table.credits[m] * float(h) * 60.0
    return np.where(np.isnan(minutes), np.inf, minutes)


def _area_value(table: OfferingTable, value: np.ndarray, stated_only: bool, min_conf: float) -> np.ndarray:
    """Credential units per area: the table's area split scaled to `value`; zero rows where unknown."""
    area = table.area_credits
    known = ~np.isnan(area).any(axis=1)
    inferred = table.area_inferred
    conf = np.nan_to_num(table.area_confidence, nan=0.0)
    trusted = known & (~inferred | ((conf >= min_conf) & (not stated_only)))
    raw = np.nansum(np.where(known[:, None], area, 0.0), axis=1)
    scale = np.divide(value, raw, out=np.zeros_like(value, dtype=float), where=raw > 0)
    out = np.where(trusted[:, None], np.nan_to_num(area) * scale[:, None], 0.0)
    return out


#: Loading and validation moved to recommender.credentials; these names stay importable from here.
_MOVED = (
    "credentials_dir",
    "UnknownCredential",
    "CredentialFileError",
    "known_credentials",
    "load_credential",
    "load_credential_file",
)


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from recommender import credentials

        return getattr(credentials, name)
    raise AttributeError(f"module 'recommender.rules' has no attribute {name!r}")
