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

from recommender.errors import input_errors
from web.inputs import BadInput, PlanInput, transcript_entries


@dataclass
class Answer:
    """A plan (as the CLI's JSON) and, when activities were given, each credential's evaluation."""

    plan: dict[str, Any]
    #: The plan the calendar describes: the proven one, else the estimate (as `recommend --ics`).
    shown: dict[str, Any] = field(default_factory=dict)
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    credentials: list[dict[str, str]] = field(default_factory=list)
    snapshot: str = ""


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's user-facing errors into BadInput (every line kept)."""
    try:
        yield
    except input_errors() as e:
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


def evaluations(inp: PlanInput, entries: list[Any], as_of: date) -> list[Any]:
    """Each credential's evaluation of the activities (as `recommend gaps` counts them)."""
    from recommender.evaluate import evaluate

    if not inp.cycle_start and not inp.certified_on:
        raise BadInput("--transcript needs --cycle-start DATE or --certified-on DATE")
    out = []
    for cred in _credentials(inp):
        cycle = _cycle(cred, inp, as_of)
        out.append(
            evaluate(cred, entries, cycle[0], cycle=cycle, first_renewal=inp.first_renewal, as_of=as_of)
        )
    return out


def run_plan(inp: PlanInput, home: Any = None) -> Answer:
    """The cheapest plan for this input (recommender.plan, as `recommend` calls it), as the CLI's JSON."""
    from recommender import plan
    from recommender.options import OptionsError, check_transcript_options, split_gaps

    as_of = date.today()
    if not inp.credentials and not inp.gaps:
        raise BadInput("give --gaps and/or --credential (see --help)")
    with library_errors():
        entries = transcript_entries(inp)
        if entries is None and inp.credentials and not inp.gaps and (inp.cycle_start or inp.certified_on):
            entries = []  # a cycle with nothing done yet: the whole cycle, with its real dates
        if entries is not None and not inp.credentials:
            raise BadInput("choose a credential: completed activities are counted under its rules")
        creds = _credentials(inp)
        try:
            check_transcript_options(
                inp.gaps, "activities" if entries is not None else None, inp.cycle_start, inp.certified_on
            )
            per_credential = split_gaps(inp.gaps, [c.code for c in creds])
        except OptionsError as e:
            raise BadInput(str(e)) from None
        evals = evaluations(inp, entries, as_of) if entries is not None else []
        gaps = None if not inp.gaps else (per_credential[0] if len(per_credential) == 1 else per_credential)
        result = plan(
            gaps,
            creds,
            None,
            transcript=entries,
            cycle_start=inp.cycle_start,
            certified_on=inp.certified_on,
            first_renewal=inp.first_renewal,
            budget=inp.budget,
            max_hours=inp.max_hours,
            delivery=inp.delivery,
            exclude_provider=inp.exclude_provider,
            stated_only=inp.stated_only,
            have=inp.have,
            member_of=inp.member_of,
            finish_by=inp.finish_by,
            as_of=as_of,
            home=home,
        )
    shown = result if result.ok or getattr(result, "estimate", None) is None else result.estimate
    return Answer(
        plan=to_json(result.to_json()),
        shown=to_json(shown.to_json()),
        evaluations=[ev.to_json() for ev in evals],
        credentials=[{"code": c.code, "name": c.name, "unit": c.unit} for c in creds],
    )


def run_gaps(inp: PlanInput, as_of: date | None = None) -> list[dict[str, Any]]:
    """`recommend gaps` for the activities given (or a transcript-free view of the gaps/requirements)."""
    from recommender.gaps import Gaps

    as_of = as_of or date.today()
    if not inp.credentials:
        raise BadInput("give --credential CODE or --credential-file FILE")
    with library_errors():
        entries = transcript_entries(inp)
        if entries is not None:
            return [ev.to_json() for ev in evaluations(inp, entries, as_of)]
        creds = _credentials(inp)
        from recommender.options import OptionsError, split_gaps

        try:
            per_credential = split_gaps(inp.gaps, [c.code for c in creds])
        except OptionsError as e:
            raise BadInput(str(e)) from None
        out = []
        for k, cred in enumerate(creds):
            g = Gaps.from_text(per_credential[k], cred) if per_credential else Gaps.full(cred)
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


def memberships(home: Any = None) -> list[dict[str, Any]]:
    """Memberships and bundles in the catalog (for 'memberships you already hold')."""
    from catalog.search import SearchQuery, search_offerings

    with snapshot(home) as snap:
        rows = [
            r
            for kind in ("membership", "bundle")
            for r in search_offerings(snap, SearchQuery(kind=kind, limit=0))
        ]
    return [{"id": r["id"], "title": r["title"], "provider": r["provider"]} for r in rows]


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
