"""Credential files: discovery in data/credentials/*.toml, loading, and validation against the rule
vocabulary of data/credentials/README.md. Every error names the file and the field
(`FILE: caps[0].where.kind: unknown value ...`); the rules themselves live in recommender/rules.py.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from catalog import filters
from catalog.vocab import BODIES, Area, Kind, Unit, suggest
from recommender.rules import (
    WHERE_KEYS,
    CapRule,
    CarryIn,
    Credential,
    Fee,
    KindRule,
    NoticeRule,
    Processing,
    TopicRule,
)
from recommender.table import AREAS


def credentials_dir() -> Path:
    """The shipped data/credentials directory (package `ceu_data`)."""
    from catalog.home import data_dir

    return data_dir() / "credentials"


class UnknownCredential(ValueError):
    """A credential code that no shipped file defines."""


class CredentialFileError(ValueError):
    """A credential file that breaks the schema; the message names the file and field."""


def _files(code: str = "") -> dict[str, Path]:
    """Code -> shipped file. With `code`, the file named for it (`<body>-<code>.toml`) alone when it
    defines that code: one file read instead of all (codes are unique: tests/recommender/test_rules.py)."""
    paths = sorted(credentials_dir().glob("*.toml"))
    named = [p for p in paths if code and f"-{p.stem}".upper().endswith(f"-{code}")]
    out = {}
    for p in named + paths:
        with p.open("rb") as f:
            found = str(tomllib.load(f).get("code", "")).upper()
        if p in named and found == code:
            return {found: p}
        out[found] = p
    return out


def known_credentials() -> list[str]:
    """Codes of the shipped credentials, sorted."""
    return sorted(_files())


def load_credential(name_or_path: str | Path) -> Credential:
    """A shipped credential by code (case-insensitive) or a custom TOML file by path."""
    text = str(name_or_path)
    if text.endswith(".toml") or Path(text).is_file():
        return load_credential_file(Path(text))
    key = text.strip().upper()
    files = _files(key)
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

#: Top-level tables and keys a credential file may have.
_TOP_KEYS = (
    "schema code body name unit authority_url cycle total areas approved units kinds "
    "caps min_activity topics accept rounding carry_in fees exam notes notices audience membership processing"
)


class _Schema:
    """Checks one parsed TOML document against the rule vocabulary of data/credentials/README.md."""

    TOP = set(_TOP_KEYS.split())

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
