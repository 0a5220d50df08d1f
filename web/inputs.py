"""What a person sends (query string, form fields, an uploaded transcript) -> validated plan input.

Everything is parsed with the CLI's own parsers and messages (recommender.transcript for
activities and uploads, catalog.vocab for choices). Nothing here is stored or logged.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from catalog.vocab import BODIES, Area, Delivery, Kind, Unit

#: The largest request body (an uploaded transcript with the form around it) the server reads.
MAX_BODY_BYTES = 1024 * 1024
DELIVERIES = tuple(d.value for d in Delivery)
DELIVERY_LABELS = {
    "online": "Online, on demand",
    "live_webinar": "Live webinar",
    "self_study": "Self-study (print or PDF)",
    "journal": "Journal article with a test",
    "in_person": "In person",
    "conference": "Conference",
}
UNIT_LABELS = {
    "contact_hour": "contact hours",
    "aama_ceu": "AAMA CEUs",
    "ccp_point": "AMT CCP points",
    "nha_credit": "NHA CE credits",
    "amca_credit": "AMCA credits",
    "iacet_ceu": "IACET CEUs (1 = 10 hours)",
    "college_credit": "college credits",
    "cpr_card": "CPR cards",
    "aama_point": "AAMA recertification points",
}
KIND_LABELS = {
    "course": "Course or webinar",
    "article": "Article or journal test",
    "conference": "Conference session",
    "cpr": "CPR card",
    "college": "College course",
    "exam": "Exam",
}
AREA_LABELS = {"": "Not stated", **{a.value: a.value.capitalize() for a in Area}}
BODY_CHOICES = {"": "Nobody / not stated", **BODIES}
ACTIVITY_FIELDS = (
    "completed_on",
    "title",
    "provider",
    "kind",
    "credits",
    "credit_unit",
    "areas",
    "approved_by",
)
ACTIVITY_DEFAULTS = {"kind": "course", "credit_unit": "contact_hour"}


class BadInput(ValueError):
    """Input the planner cannot use; `lines` are the messages to show (FILE:LINE:FIELD for transcripts)."""

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__(self.lines[0] if self.lines else "bad input")


@dataclass
class PlanInput:
    """One question: which credential(s), what remains (gaps or done activities), which filters."""

    credentials: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    cycle_start: date | None = None
    certified_on: date | None = None
    budget: float | None = None
    max_hours: float | None = None
    delivery: tuple[str, ...] = ()
    exclude_provider: tuple[str, ...] = ()
    stated_only: bool = False
    first_renewal: bool = False
    have: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    finish_by: date | None = None
    activities: list[dict[str, str]] = field(default_factory=list)
    transcript_text: str | None = None
    transcript_name: str = "transcript.csv"

    @property
    def has_done(self) -> bool:
        """True when the person gave completed activities (typed or uploaded)."""
        return bool(self.transcript_text) or any(_filled(a) for a in self.activities)

    def query(self) -> list[tuple[str, str]]:
        """The shareable query string of this input (gaps and filters; never the activities)."""
        out = [("credential", c) for c in self.credentials] + [("gaps", g) for g in self.gaps]
        for name in ("cycle_start", "certified_on", "finish_by", "budget", "max_hours"):
            v = getattr(self, name)
            if v is not None:
                out.append((name, v.isoformat() if isinstance(v, date) else f"{v:g}"))
        out += [("delivery", d) for d in self.delivery] + [
            ("exclude_provider", p) for p in self.exclude_provider
        ]
        out += [("have", h) for h in self.have] + [("member_of", b) for b in self.member_of]
        if self.stated_only:
            out.append(("stated_only", "1"))
        if self.first_renewal:
            out.append(("first_renewal", "1"))
        return out

    def hidden_fields(self) -> list[tuple[str, str]]:
        """Every field, for a form that re-posts the same question (e.g. the CSV download)."""
        out = self.query()
        for a in self.activities:
            if _filled(a):
                out += [(f"a_{k}", a.get(k, "")) for k in ACTIVITY_FIELDS]
        if self.transcript_text:
            out += [("transcript_text", self.transcript_text), ("transcript_name", self.transcript_name)]
        return out


def _filled(a: dict[str, str]) -> bool:
    return any((a.get(k) or "").strip() and a.get(k) != ACTIVITY_DEFAULTS.get(k) for k in ACTIVITY_FIELDS)


def parse_date(name: str, text: str | None) -> date | None:
    """'' -> None; an ISO date; else the CLI's message."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"{name}: {text!r} is not an ISO date (YYYY-MM-DD)") from None


def parse_amount(name: str, text: str | None) -> float | None:
    """'' -> None; a non-negative number (e.g. a budget in USD)."""
    if text is None or not str(text).strip():
        return None
    try:
        v = float(str(text).strip().lstrip("$").replace(",", ""))
    except ValueError:
        raise BadInput(f"{name}: {text!r} is not a number") from None
    if not v >= 0 or v == float("inf"):
        raise BadInput(f"{name}: {text!r} must be a non-negative number")
    return v


def build_input(params: dict[str, Any]) -> PlanInput:
    """A PlanInput from request fields (lists for repeatable ones); raises BadInput with every problem."""
    problems: list[str] = []

    def attempt(fn, *args):
        try:
            return fn(*args)
        except BadInput as e:
            problems.extend(e.lines)
            return None

    def many(name: str) -> list[str]:
        vals = params.get(name) or []
        vals = [vals] if isinstance(vals, str) else list(vals)
        return [v.strip() for v in vals if v and v.strip()]

    def one(name: str) -> str | None:
        vals = many(name)
        return vals[-1] if vals else None

    delivery = tuple(dict.fromkeys(many("delivery")))
    for d in delivery:
        if d not in DELIVERIES:
            problems.append(f"delivery: {d!r} is not one of {', '.join(DELIVERIES)}")
    inp = PlanInput(
        credentials=list(dict.fromkeys(c.upper() for c in many("credential"))),
        gaps=many("gaps"),
        cycle_start=attempt(parse_date, "cycle_start", one("cycle_start")),
        certified_on=attempt(parse_date, "certified_on", one("certified_on")),
        budget=attempt(parse_amount, "budget", one("budget")),
        max_hours=attempt(parse_amount, "max_hours", one("max_hours")),
        delivery=delivery,
        exclude_provider=tuple(dict.fromkeys(many("exclude_provider"))),
        stated_only=(one("stated_only") or "").lower() in ("1", "true", "on", "yes"),
        first_renewal=(one("first_renewal") or "").lower() in ("1", "true", "on", "yes"),
        have=tuple(dict.fromkeys(many("have"))),
        member_of=tuple(dict.fromkeys(b.upper() for b in many("member_of"))),
        finish_by=attempt(parse_date, "finish_by", one("finish_by")),
        activities=activity_rows(params),
        transcript_text=_text(params.get("transcript_text")),
        transcript_name=(one("transcript_name") or "transcript.csv"),
    )
    if inp.cycle_start and inp.certified_on:
        problems.append("give either cycle_start or certified_on, not both")
    if problems:
        raise BadInput(problems)
    return inp


def _text(value: Any) -> str | None:
    """A free-text field as given (the last one when repeated), None when empty."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return value if isinstance(value, str) and value.strip() else None


def activity_rows(params: dict[str, Any]) -> list[dict[str, str]]:
    """The form's activity rows (fields a_completed_on, a_title, ... repeated once per row)."""
    cols = {}
    for k in ACTIVITY_FIELDS:
        v = params.get(f"a_{k}") or []
        cols[k] = [v] if isinstance(v, str) else list(v)
    n = max((len(v) for v in cols.values()), default=0)
    return [{k: (cols[k][i] if i < len(cols[k]) else "") for k in ACTIVITY_FIELDS} for i in range(n)]


def decode_upload(data: bytes, name: str) -> str:
    """The uploaded transcript as text (UTF-8, BOM tolerated), or the CLI's message."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{name}:1:-: not valid UTF-8; save the file as UTF-8") from None


def transcript_entries(inp: PlanInput) -> list | None:
    """Activities typed into the form plus the uploaded transcript, parsed by the CLI's validator."""
    from recommender.transcript import TranscriptError, parse_transcript

    if not inp.has_done:
        return None
    entries, problems = [], []
    if inp.transcript_text:
        try:
            entries += parse_transcript(inp.transcript_text, inp.transcript_name)
        except TranscriptError as e:
            problems += str(e).splitlines()
    rows = inp.activities
    if any(_filled(a) for a in rows):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(ACTIVITY_FIELDS)
        for a in rows:
            w.writerow([a.get(k, "") for k in ACTIVITY_FIELDS] if _filled(a) else [])
        try:
            entries += parse_transcript(buf.getvalue(), "activity")
        except TranscriptError as e:
            problems += [_activity_message(line) for line in str(e).splitlines()]
    if problems:
        raise BadInput(problems)
    return entries


def _activity_message(line: str) -> str:
    """'activity:3:credits: not a number' -> 'Activity 2, credits: not a number' (row 1 is CSV line 2)."""
    _, _, rest = line.partition(":")
    num, _, rest = rest.partition(":")
    col, _, msg = rest.partition(":")
    try:
        return f"Activity {int(num) - 1}, {col.replace('_', ' ')}:{msg}"
    except ValueError:
        return line


def unit_choices() -> dict[str, str]:
    """Credit units a person can pick, with plain names."""
    return {u.value: UNIT_LABELS.get(u.value, u.value) for u in Unit}


def kind_choices() -> dict[str, str]:
    return {k.value: KIND_LABELS[k.value] for k in Kind if k.value in KIND_LABELS}
