"""The web app's only door into the library: the same calls the CLI makes, so both give the same answers.

`run_plan` is `recommend` (recommender.plan), `run_gaps` is `recommend gaps`
(recommender.evaluate), `search`/`show` are `catalog search`/`catalog show` (catalog.search).
Library errors become `BadInput` with the CLI's messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from web.inputs import BadInput, PlanInput, transcript_entries


@dataclass
class Answer:
    """A plan (as the CLI's JSON) and, when activities were given, each credential's evaluation."""

    plan: dict[str, Any]
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    credentials: list[dict[str, str]] = field(default_factory=list)
    snapshot: str = ""


def _library_errors() -> tuple[type[Exception], ...]:
    from catalog.snapshot import CatalogError
    from recommender.api import PlanInputError
    from recommender.gaps import GapsSyntaxError
    from recommender.rules import CredentialFileError, UnknownCredential
    from recommender.transcript import TranscriptError

    return (
        UnknownCredential,
        CredentialFileError,
        GapsSyntaxError,
        TranscriptError,
        CatalogError,
        PlanInputError,
    )


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's user-facing errors into BadInput (every line kept)."""
    try:
        yield
    except _library_errors() as e:
        raise BadInput(str(e).splitlines()) from None


def credential_choices() -> list[dict[str, str]]:
    """Every shipped credential: code, full name, body and unit (for the form's checkboxes)."""
    from recommender.rules import known_credentials, load_credential

    out = []
    for code in known_credentials():
        c = load_credential(code)
        out.append({"code": c.code, "name": c.name, "body": c.body, "unit": c.unit, "months": c.cycle_months})
    return out


def _credentials(inp: PlanInput) -> list[Any]:
    from recommender.rules import load_credential

    return [load_credential(c) for c in inp.credentials]


def _cycle(cred: Any, inp: PlanInput, as_of: date) -> tuple[date, date] | None:
    if inp.cycle_start:
        return cred.cycle_from_start(inp.cycle_start)
    if inp.certified_on:
        return cred.cycle_from_certification(inp.certified_on, as_of)
    return None


def evaluations(inp: PlanInput, as_of: date) -> tuple[list[Any], list[Any] | None]:
    """(Evaluation per credential, transcript entries) for the activities given; ([], None) without any."""
    from recommender.evaluate import evaluate

    with library_errors():
        creds = _credentials(inp)
        entries = transcript_entries(inp)
        if entries is None:
            return [], None
        if not creds:
            raise BadInput("choose a credential: completed activities are counted under its rules")
        if not inp.cycle_start and not inp.certified_on:
            raise BadInput("give the cycle start or the certification date: activities count within a cycle")
        out = []
        for cred in creds:
            cycle = _cycle(cred, inp, as_of)
            out.append(evaluate(cred, entries, cycle[0], cycle=cycle))
        return out, entries


def _gaps_argument(gaps: list[str], n_credentials: int) -> Any:
    """One --gaps for all credentials, or one per credential (the CLI's rule)."""
    if not gaps:
        return None
    if len(gaps) > 1 or n_credentials <= 1:
        return gaps if len(gaps) > 1 else gaps[0]
    return gaps[0]


def run_plan(inp: PlanInput, home: Any = None, as_of: date | None = None) -> Answer:
    """The cheapest plan for this input (recommender.plan), as the CLI's JSON."""
    from recommender import plan

    as_of = as_of or date.today()
    if not inp.credentials and not inp.gaps:
        raise BadInput("give --gaps and/or --credential (see --help)")
    evals, entries = evaluations(inp, as_of)
    with library_errors():
        creds = _credentials(inp)
        gaps = _gaps_argument(inp.gaps, len(creds))
        if gaps is None and evals:
            gaps = [ev.gaps for ev in evals]
        result = plan(
            gaps,
            creds,
            None,
            transcript=entries,
            cycle_start=inp.cycle_start,
            budget=inp.budget,
            max_hours=inp.max_hours,
            delivery=inp.delivery,
            exclude_provider=inp.exclude_provider,
            stated_only=inp.stated_only,
            as_of=as_of,
            home=home,
        )
    return Answer(
        plan=to_json(result.to_json()),
        evaluations=[ev.to_json() for ev in evals],
        credentials=[{"code": c.code, "name": c.name, "unit": c.unit} for c in creds],
    )


def run_gaps(inp: PlanInput, as_of: date | None = None) -> list[dict[str, Any]]:
    """`recommend gaps` for the activities given (or a transcript-free view of the gaps/requirements)."""
    from recommender.gaps import Gaps

    as_of = as_of or date.today()
    if not inp.credentials:
        raise BadInput("give --credential CODE or --credential-file FILE")
    evals, _ = evaluations(inp, as_of)
    if evals:
        return [ev.to_json() for ev in evals]
    with library_errors():
        creds = _credentials(inp)
        if inp.gaps and len(inp.gaps) not in (1, len(creds)):
            raise BadInput(
                f"{len(inp.gaps)} --gaps for {len(creds)} credentials: give one per --credential, in order"
            )
        out = []
        for k, cred in enumerate(creds):
            g = Gaps.from_text(inp.gaps[k if len(inp.gaps) > 1 else 0], cred) if inp.gaps else Gaps.full(cred)
            view = {
                "credential": cred.code,
                "name": cred.name,
                "unit": cred.unit,
                "remaining": {k2: _num(v) for k2, v in g.remaining.items()},
                "requirements": [
                    {"name": k2, "remaining": _num(v)}
                    for k2, v in g.remaining.items()
                    if v > 0 or k2 == "total"
                ],
                "not_counted": [],
                "counted": [],
            }
            cycle = _cycle(cred, inp, as_of)
            if cycle:
                view["cycle"] = {"start": cycle[0].isoformat(), "end": cycle[1].isoformat()}
            out.append(view)
        return out


def _num(v: float) -> float | int:
    v = round(float(v), 6)
    return int(v) if v == int(v) else v


def to_json(obj: Any) -> Any:
    """What `recommend --format json` prints, as plain JSON values (dates as ISO text)."""
    return json.loads(json.dumps(obj, default=str))


@contextmanager
def snapshot(home: Any = None) -> Iterator[Any]:
    """The published snapshot (read-only), as `catalog` opens it."""
    from catalog.snapshot import open_snapshot

    with library_errors(), open_snapshot(home) as snap:
        yield snap


def providers(home: Any = None) -> list[str]:
    """Provider names in the published catalog (for the 'exclude a provider' choice)."""
    from catalog.search import provider_stats

    with snapshot(home) as snap:
        return [r["provider"] for r in provider_stats(snap)]


def search(home: Any, **filters: Any) -> tuple[str, list[dict[str, Any]]]:
    """`catalog search` with these filters: (snapshot id, rows as JSON values)."""
    from catalog.commands.output import credits_text, jsonable, price_text
    from catalog.search import SearchQuery, search_offerings
    from catalog.vocab import parse_body

    if filters.get("accepted_by"):
        try:
            filters["accepted_by"] = parse_body(filters["accepted_by"])
        except ValueError as e:
            raise BadInput(f"accepted_by: {e}") from None
    with snapshot(home) as snap:
        rows = search_offerings(snap, SearchQuery(**filters))
    for r in rows:  # the display strings `catalog search --format json` adds
        r["price"], r["credits_text"] = price_text(r), credits_text(r)
    return snap.id, jsonable(rows)


def show(home: Any, offering_id: str) -> dict[str, Any]:
    """`catalog show ID`: the offering, its sources and its membership coverage."""
    from catalog.commands.output import jsonable
    from catalog.search import describe_offering
    from catalog.vocab import suggest

    with snapshot(home) as snap:
        info = describe_offering(snap, offering_id)
        if info is None:
            ids = [r[0] for r in snap.con.execute("SELECT id FROM offerings").fetchall()]
            raise LookupError(f"no offering {offering_id!r} in snapshot {snap.id}{suggest(offering_id, ids)}")
        return jsonable(info)
