"""Transcript CSV (what a user has completed; columns in interfaces.md) -> TranscriptEntry list.

Uses the catalog's own field parsers, so units, areas and bodies mean the same as in the
manual CSVs. Every error names FILE:LINE:COLUMN; all errors of a file are reported at once.
"""

from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from catalog.loaders.csv_checks import CellGuard, csv_rows, wrong_delimiter
from catalog.loaders.manual_csv import shown
from catalog.normalize import (
    FieldError,
    enum_field,
    parse_areas,
    parse_bodies,
    parse_date,
    parse_decimal,
    parse_topics,
)
from catalog.records import Offering
from catalog.vocab import Kind, Unit, suggest

COLUMNS = (
    "completed_on",
    "title",
    "provider",
    "kind",
    "credits",
    "credit_unit",
    "areas",
    "approved_by",
    "topics",
    "hours",
    "id",
)
REQUIRED = ("completed_on", "title", "credits")
MAX_CREDITS = Decimal(1000)


class TranscriptError(ValueError):
    """Invalid transcript; each line of the message is FILE:LINE:COLUMN: problem."""


class TranscriptWarning(UserWarning):
    """Something in a transcript was read with a default the user should know about."""


@dataclass(frozen=True)
class TranscriptEntry:
    completed_on: date
    title: str
    provider: str = ""
    kind: Kind = Kind.COURSE
    credits: Decimal | None = None
    credit_unit: Unit = Unit.CONTACT_HOUR
    areas: tuple = ()
    approved_by: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    hours: Decimal | None = None
    id: str = ""
    line: int = 0

    def to_offering(self) -> Offering:
        """The completed activity as an (unpriced) offering, for OfferingTable.from_offerings."""
        return Offering(
            id=self.id or f"line-{self.line}",
            provider=self.provider,
            title=self.title,
            kind=self.kind,
            url="",
            credits=self.credits,
            credit_unit=self.credit_unit,
            areas=self.areas,
            area_source="stated" if self.areas else None,
            hours=self.hours,
            approved_by=self.approved_by,
            topics=self.topics,
        )


def load_transcript(path: str | Path) -> list[TranscriptEntry]:
    """Parse a transcript CSV (UTF-8, BOM tolerated); raise TranscriptError listing every problem."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise TranscriptError(f"{path}:1:-: not valid UTF-8; save the file as UTF-8") from None
    return parse_transcript(text, str(path))


def parse_transcript(text: str, name: str = "<transcript>") -> list[TranscriptEntry]:
    delimiter = wrong_delimiter(text)
    if delimiter:
        raise TranscriptError(f"{name}:1:-: {delimiter}")
    reader = csv_rows(text)
    guard = CellGuard(text)
    try:
        raw_header = next(reader, [])
    except csv.Error as e:
        raise TranscriptError(f"{name}:1:-: not a readable CSV header ({e})") from None
    header = [h.strip() for h in raw_header]
    errors = [f"{name}:1:{p.column}: {p.message}" for p in guard.problems(raw_header, [], 1)]
    if errors:
        raise TranscriptError("\n".join(errors))
    errors = [
        f"{name}:1:{h or '(blank)'}: unknown column {h!r}{suggest(h, COLUMNS)}"
        for h in header
        if h not in COLUMNS
    ]
    errors += [f"{name}:1:{c}: missing required column {c!r}" for c in REQUIRED if c not in header]
    if errors:
        raise TranscriptError("\n".join(errors))
    entries = []
    unitless: list[int] = []  # lines whose credits are read in the default unit
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(f"{name}:{reader.line_num}:-: unreadable CSV ({e})")
            break
        line, start = reader.line_num, line + 1
        problems = guard.problems(cells, header, start)
        if problems:
            errors += [f"{name}:{p.line}:{p.column}: {p.message}" for p in problems]
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(f"{name}:{start}:-: {len(cells)} cells but the header has {len(header)} columns")
            continue
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        entry, field_problems = _entry(row, start)
        errors += [f"{name}:{start}:{e.field}: {e.message} (got {shown(e.value)})" for e in field_problems]
        if entry:
            entries.append(entry)
            if entry.credits is not None and not row.get("credit_unit"):
                unitless.append(start)
    if errors:
        raise TranscriptError("\n".join(errors))
    _warn_default_unit(name, "credit_unit" in header, unitless)
    return entries


def _warn_default_unit(name: str, has_column: bool, lines: list[int]) -> None:
    """Say so (a TranscriptWarning) when credits are read in the default unit because none is stated."""
    if not lines:
        return
    default = Unit.CONTACT_HOUR.value
    if not has_column:
        msg = f"{name}: no credit_unit column; every credit is read as {default} (add a credit_unit column)"
    else:
        shown_lines = ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")
        msg = f"{name}: credit_unit is blank on line(s) {shown_lines}; those credits are read as {default}"
    warnings.warn(msg, TranscriptWarning, stacklevel=3)


def _collect(errors: list[FieldError], fn, *args, **kw):
    """fn(*args) or None, with its FieldError appended to `errors`."""
    try:
        return fn(*args, **kw)
    except FieldError as e:
        errors.append(e)
    return None


def _entry(row: dict[str, str], line: int) -> tuple[TranscriptEntry | None, list[FieldError]]:
    errors: list[FieldError] = []
    attempt = partial(_collect, errors)
    get = row.get
    for req in ("completed_on", "title"):
        if not get(req):
            errors.append(FieldError(req, "", "required value is empty"))
    done = attempt(parse_date, "completed_on", get("completed_on"))
    credits = attempt(parse_decimal, "credits", get("credits"), maximum=MAX_CREDITS)
    hours = attempt(parse_decimal, "hours", get("hours"), maximum=MAX_CREDITS)
    kind = attempt(enum_field, "kind", Kind, get("kind"), Kind.COURSE)
    unit = attempt(enum_field, "credit_unit", Unit, get("credit_unit"), Unit.CONTACT_HOUR)
    areas = (
        attempt(parse_areas, "areas", get("areas"), credits)
        if "credits" not in {e.field for e in errors}
        else ()
    )
    approved = attempt(parse_bodies, "approved_by", get("approved_by"))
    topics = attempt(parse_topics, "topics", get("topics"))
    if errors or done is None:
        return None, errors
    return TranscriptEntry(
        done,
        get("title") or "",
        get("provider") or "",
        kind,
        credits,
        unit,
        areas or (),
        approved or (),
        topics or (),
        hours,
        get("id") or "",
        line,
    ), []
