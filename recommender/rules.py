"""Credential recertification rules, loaded from data/credentials/*.toml (see its README).

`load_credential("CMA")` gives a frozen `Credential`; `Credential.view(table)` turns an
`OfferingTable` into per-offering credential units, area values, masks and caps, all as
numpy arrays, for the optimizer and the transcript evaluator alike. Imports numpy only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from catalog import filters
from catalog.vocab import BODIES, HOURS_PER_UNIT, Area, Kind, Unit, suggest
from recommender.cycles import add_months, end_of_month
from recommender.table import AREAS, OfferingTable

#: Kinds that earn no credit themselves; they give access to other offerings.
NO_CREDIT_KINDS = ("membership", "bundle")
#: Filter keys usable in a `where` table (caps, min_activity).
WHERE_KEYS = filters.WHERE_FIELDS


def credentials_dir() -> Path:
    """The shipped data/credentials directory (package `ceu_data`)."""
    from importlib.resources import files

    return Path(str(files("ceu_data") / "credentials"))


class UnknownCredential(ValueError):
    """A credential code that no shipped file defines."""


class CredentialFileError(ValueError):
    """A credential file that breaks the schema; the message names the file and field."""


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


# --- loading ---------------------------------------------------------------------------
def _files() -> dict[str, Path]:
    out = {}
    for p in sorted(credentials_dir().glob("*.toml")):
        with p.open("rb") as f:
            code = tomllib.load(f).get("code", "")
        out[str(code).upper()] = p
    return out


def known_credentials() -> list[str]:
    """Codes of the shipped credentials, sorted."""
    return sorted(_files())


def load_credential(name_or_path: str | Path) -> Credential:
    """A shipped credential by code (case-insensitive) or a custom TOML file by path."""
    text = str(name_or_path)
    if text.endswith(".toml") or Path(text).is_file():
        return load_credential_file(Path(text))
    files = _files()
    key = text.strip().upper()
    if key not in files:
        raise UnknownCredential(
            f"unknown credential {text!r}{suggest(key, files)}; known: {', '.join(sorted(files))}"
        )
    return load_credential_file(files[key])


def load_credential_file(path: Path) -> Credential:
    """Parse and validate one credential file; CredentialFileError names the file and field."""
    try:
        with Path(path).open("rb") as f:
            doc = tomllib.load(f)
    except FileNotFoundError:
        raise CredentialFileError(f"{path}: no such credential file") from None
    except tomllib.TOMLDecodeError as e:
        raise CredentialFileError(f"{path}: not valid TOML: {e}") from None
    return _Schema(str(path)).credential(doc)


from recommender.audience import parse_rule  # noqa: E402  (after the dataclasses it builds on)


class _Schema:
    """Checks one parsed TOML document against the rule vocabulary of data/credentials/README.md."""

    TOP = {
        "schema",
        "code",
        "body",
        "name",
        "unit",
        "authority_url",
        "cycle",
        "total",
        "areas",
        "approved",
        "units",
        "kinds",
        "caps",
        "min_activity",
        "topics",
        "accept",
        "rounding",
        "carry_in",
        "fees",
        "exam",
        "notes",
        "notices",
        "audience",
        "membership",
        "processing",
    }

    def __init__(self, path: str):
        self.path = path
        self.unverified: list[str] = []

    def fail(self, where: str, msg: str):
        raise CredentialFileError(f"{self.path}: {where}: {msg}")

    def keys(self, table: Any, where: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict:
        if not isinstance(table, dict):
            self.fail(where, "must be a table")
        for k in table:
            if k not in allowed:
                self.fail(
                    f"{where}.{k}" if where else k,
                    f"unknown field{suggest(k, allowed)}; known: {', '.join(sorted(allowed))}",
                )
        for k in required:
            if k not in table:
                self.fail(f"{where}.{k}" if where else k, "required field is missing")
        return table

    def num(self, table: dict, key: str, where: str, *, integer: bool = False) -> float:
        v = table.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0 or (integer and int(v) != v):
            self.fail(
                f"{where}.{key}", f"must be a non-negative {'whole ' if integer else ''}number (got {v!r})"
            )
        return float(v)

    def sourced(self, table: dict, where: str) -> None:
        """Every number cites its source; unverified facts say so."""
        src = table.get("source")
        if not isinstance(src, str) or not src.startswith(("http://", "https://")):
            self.fail(f"{where}.source", "every number needs a source URL (http...)")
        verified = table.get("verified", True)
        if not isinstance(verified, bool):
            self.fail(f"{where}.verified", "must be true or false")
        if not verified:
            self.unverified.append(where)
            if not table.get("note"):
                self.fail(f"{where}.note", "an unverified fact needs a note saying why")

    def text(self, table: dict, key: str, where: str) -> str:
        v = table.get(key)
        if not isinstance(v, str) or not v.strip():
            self.fail(f"{where}.{key}" if where else key, "must be non-empty text")
        return v.strip()

    def body(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or value.upper() not in BODIES:
            self.fail(where, f"unknown body {value!r}{suggest(str(value).upper(), BODIES)}")
        return value.upper()

    def where(self, table: dict, where: str) -> filters.Filter:
        """A `where` table parsed into the filter language of catalog.filters."""
        w = self.keys(table.get("where", {}), f"{where}.where", set(WHERE_KEYS))
        out = []
        for k, v in w.items():
            if not isinstance(v, str):
                self.fail(f"{where}.where.{k}", "must be text")
            try:
                out.append(filters.condition(k, v))
            except filters.FilterError as e:
                self.fail(f"{where}.where.{k}", str(e))
        return tuple(out)

    def enum(self, enum, value: Any, where: str) -> str:
        names = [m.value for m in enum]
        if value not in names:
            self.fail(
                where, f"unknown value {value!r}{suggest(str(value), names)}; known: {', '.join(names)}"
            )
        return value

    def credential(self, doc: dict) -> Credential:
        d = self.keys(doc, "", self.TOP, ("code", "body", "name", "unit", "cycle", "total", "units"))
        code, name, unit = self.text(d, "code", ""), self.text(d, "name", ""), self.text(d, "unit", "")
        body = self.body(d["body"], "body")
        cyc = self.keys(
            d["cycle"], "cycle", {"months", "anchor", "earliest", "source", "verified", "note"}, ("months",)
        )
        self.sourced(cyc, "cycle")
        anchor = cyc.get("anchor", "date")
        if anchor not in ("date", "end_of_month"):
            self.fail("cycle.anchor", f"must be 'date' or 'end_of_month' (got {anchor!r})")
        earliest = cyc.get("earliest", "cycle_start")
        if earliest not in ("cycle_start", "previous_calendar_year"):
            self.fail(
                "cycle.earliest", f"must be 'cycle_start' or 'previous_calendar_year' (got {earliest!r})"
            )
        tot = self.keys(d["total"], "total", {"amount", "source", "verified", "note"}, ("amount",))
        self.sourced(tot, "total")
        areas = {}
        if "areas" in d:
            a = self.keys(d["areas"], "areas", {*AREAS, "source", "verified", "note"})
            self.sourced(a, "areas")
            areas = {k: self.num(a, k, "areas") for k in AREAS if k in a}
        approved = {}
        for i, ap in enumerate(d.get("approved", [])):
            w = f"approved[{i}]"
            self.keys(ap, w, {"body", "amount", "source", "verified", "note"}, ("body", "amount"))
            self.sourced(ap, w)
            approved[self.body(ap["body"], f"{w}.body")] = self.num(ap, "amount", w)
        units = {}
        for u, spec in self.keys(d["units"], "units", {m.value for m in Unit}).items():
            self.keys(spec, f"units.{u}", {"value", "source", "verified", "note"}, ("value",))
            self.sourced(spec, f"units.{u}")
            units[u] = self.num(spec, "value", f"units.{u}")
        kinds = []
        for i, k in enumerate(d.get("kinds", [])):
            w = f"kinds[{i}]"
            self.keys(
                k,
                w,
                {"kind", "value_each", "area", "approved_by", "source", "verified", "note"},
                ("kind", "value_each"),
            )
            self.sourced(k, w)
            area = k.get("area")
            if area is not None:
                self.enum(Area, area, f"{w}.area")
            kinds.append(
                KindRule(
                    self.enum(Kind, k["kind"], f"{w}.kind"),
                    self.num(k, "value_each", w),
                    area,
                    tuple(self.body(b, f"{w}.approved_by") for b in k.get("approved_by", [])),
                )
            )
        caps = []
        for i, c in enumerate(d.get("caps", [])):
            w = f"caps[{i}]"
            self.keys(c, w, {"name", "max", "where", "source", "verified", "note"}, ("name", "max", "where"))
            self.sourced(c, w)
            caps.append(
                CapRule(self.text(c, "name", w), self.num(c, "max", w), self.where(c, w), c.get("note", ""))
            )
        notices = []
        for i, c in enumerate(d.get("notices", [])):
            w = f"notices[{i}]"
            self.keys(c, w, {"text", "where", "source", "verified", "note"}, ("text", "where"))
            self.sourced(c, w)
            notices.append(NoticeRule(self.text(c, "text", w), self.where(c, w)))
        min_minutes, min_where = None, ()
        if "min_activity" in d:
            m = self.keys(
                d["min_activity"],
                "min_activity",
                {"minutes", "where", "source", "verified", "note"},
                ("minutes",),
            )
            self.sourced(m, "min_activity")
            min_minutes, min_where = self.num(m, "minutes", "min_activity"), self.where(m, "min_activity")
        topics = []
        for i, t in enumerate(d.get("topics", [])):
            w = f"topics[{i}]"
            self.keys(
                t,
                w,
                {
                    "name",
                    "amount",
                    "every_cycles",
                    "adds_to_total",
                    "first_renewal_only",
                    "source",
                    "verified",
                    "note",
                },
                ("name", "amount"),
            )
            self.sourced(t, w)
            every = int(self.num(t, "every_cycles", w, integer=True)) if "every_cycles" in t else 1
            if every < 1:
                self.fail(f"{w}.every_cycles", "must be at least 1")
            topics.append(
                TopicRule(
                    self.text(t, "name", w),
                    self.num(t, "amount", w),
                    every,
                    bool(t.get("adds_to_total", False)),
                    bool(t.get("first_renewal_only", False)),
                )
            )
        accept = ()
        if "accept" in d:
            a = self.keys(d["accept"], "accept", {"bodies", "source", "verified", "note"}, ("bodies",))
            self.sourced(a, "accept")
            accept = tuple(self.body(b, "accept.bodies") for b in a["bodies"])
        rounding = None
        if "rounding" in d:
            r = self.keys(d["rounding"], "rounding", {"down_to", "source", "verified", "note"}, ("down_to",))
            self.sourced(r, "rounding")
            rounding = self.num(r, "down_to", "rounding") or None
        carry = None
        if "carry_in" in d:
            c = self.keys(
                d["carry_in"],
                "carry_in",
                {"max", "window_months", "source", "verified", "note"},
                ("max", "window_months"),
            )
            self.sourced(c, "carry_in")
            carry = CarryIn(
                self.num(c, "max", "carry_in"),
                int(self.num(c, "window_months", "carry_in", integer=True)),
                bool(c.get("verified", True)),
            )
        fees = []
        for i, fe in enumerate(d.get("fees", [])):
            w = f"fees[{i}]"
            self.keys(
                fe,
                w,
                {"name", "usd", "every_months", "route", "members", "source", "verified", "note"},
                ("name", "usd"),
            )
            if fe.get("route") not in (None, "ce", "exam", "lapse"):
                self.fail(f"{w}.route", f"must be 'ce', 'exam' or 'lapse' (got {fe['route']!r})")
            if not isinstance(fe.get("members", False), bool):
                self.fail(f"{w}.members", "must be true or false")
            self.sourced(fe, w)
            every = int(self.num(fe, "every_months", w, integer=True)) if "every_months" in fe else None
            fees.append(
                Fee(
                    self.text(fe, "name", w),
                    self.num(fe, "usd", w),
                    every,
                    fe["source"],
                    bool(fe.get("verified", True)),
                    fe.get("note", ""),
                    fe.get("route"),
                    fe.get("members"),
                )
            )
        members: tuple[str, ...] = ()
        if "membership" in d:
            ms = self.keys(
                d["membership"], "membership", {"offerings", "source", "verified", "note"}, ("offerings",)
            )
            self.sourced(ms, "membership")
            if not isinstance(ms["offerings"], list) or not all(isinstance(x, str) for x in ms["offerings"]):
                self.fail("membership.offerings", "must be a list of offering ids")
            members = tuple(ms["offerings"])
        processing = None
        if "processing" in d:
            pr = self.keys(
                d["processing"],
                "processing",
                {"approved_by", "all_approved_days", "other_days", "source", "verified", "note"},
                ("approved_by", "all_approved_days", "other_days"),
            )
            self.sourced(pr, "processing")
            processing = Processing(
                self.body(pr["approved_by"], "processing.approved_by"),
                int(self.num(pr, "all_approved_days", "processing", integer=True)),
                int(self.num(pr, "other_days", "processing", integer=True)),
                pr["source"],
            )
        exam = None
        if "exam" in d:
            e = self.keys(d["exam"], "exam", {"allowed", "source", "verified", "note"}, ("allowed",))
            self.sourced(e, "exam")
            exam = bool(e["allowed"])
        return Credential(
            code=code.upper(),
            body=body,
            name=name,
            unit=unit,
            cycle_months=int(self.num(cyc, "months", "cycle", integer=True)),
            cycle_anchor=anchor,
            earliest=earliest,
            total=self.num(tot, "amount", "total"),
            areas=areas,
            approved=approved,
            units=units,
            kinds=tuple(kinds),
            caps=tuple(caps),
            min_minutes=min_minutes,
            min_where=min_where,
            topics=tuple(topics),
            accept_bodies=accept,
            round_down_to=rounding,
            carry_in=carry,
            notices=tuple(notices),
            audience=parse_rule(self, d),
            fees=tuple(fees),
            member_offerings=members,
            processing=processing,
            exam_allowed=exam,
            authority_url=str(d.get("authority_url", "")),
            unverified=tuple(self.unverified),
            path=self.path,
        )
