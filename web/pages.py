"""HTML pages: the form, the plan, the gaps, the plan as CSV, the catalog browser and the API docs.

Every page is a plain HTML form or link (no JavaScript needed); handlers only parse, call
`web.service` and render. Nothing a person sends is kept after the response.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from web import present, service
from web.inputs import (
    ACTIVITY_DEFAULTS,
    ACTIVITY_FIELDS,
    AREA_LABELS,
    BODY_CHOICES,
    DELIVERY_LABELS,
    BadInput,
    PlanInput,
    build_input,
    decode_upload,
    kind_choices,
    unit_choices,
)

router = APIRouter(include_in_schema=False)
MIN_ROWS = 3
MAX_ROWS = 40


@functools.cache
def _credential_choices() -> tuple[dict[str, Any], ...]:
    return tuple(service.credential_choices())


def _render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status)


def _params(request: Request) -> dict[str, list[str]]:
    q = request.query_params
    return {k: q.getlist(k) for k in q}


async def _form(request: Request) -> dict[str, Any]:
    """The posted form as lists, with an uploaded transcript read into memory as text."""
    form = await request.form()
    fields: dict[str, Any] = {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form}
    file = form.get("transcript")
    fields.pop("transcript", None)
    if isinstance(file, UploadFile) and file.filename:
        data = await file.read()
        name = file.filename.replace("\\", "/").rsplit("/", 1)[-1] or "transcript.csv"
        if data:
            fields["transcript_text"] = [decode_upload(data, name)]
            fields["transcript_name"] = [name]
    return fields


def form_context(
    request: Request, inp: PlanInput | None, errors: list[str] | None = None, rows: int = MIN_ROWS
):
    """Everything the question form needs: choices from the credential files and the catalog."""
    inp = inp or PlanInput()
    filled = [
        a for a in inp.activities if any((a.get(k) or "") not in ("", ACTIVITY_DEFAULTS.get(k)) for k in a)
    ]
    blank = {k: ACTIVITY_DEFAULTS.get(k, "") for k in ACTIVITY_FIELDS}
    n = min(MAX_ROWS, max(rows, len(filled) + 1, MIN_ROWS))
    try:
        providers = service.providers(request.app.state.home)
        held = service.memberships(request.app.state.home)
    except BadInput:
        providers, held = [], []
    return {
        "inp": inp,
        "errors": errors or [],
        "credentials": _credential_choices(),
        "providers": providers,
        "memberships": held,
        "fee_bodies": ("AAMA", "AMT", "NHA", "NCCT", "AMCA"),
        "units": unit_choices(),
        "kinds": kind_choices(),
        "areas": AREA_LABELS,
        "bodies": BODY_CHOICES,
        "deliveries": DELIVERY_LABELS,
        "rows": filled + [dict(blank) for _ in range(n - len(filled))],
        "today": date.today().isoformat(),
    }


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The question: credential(s), cycle, what you have done, filters."""
    try:
        inp = build_input(_params(request))
    except BadInput as e:
        return _render(request, "index.html", form_context(request, None, e.lines), 400)
    return _render(request, "index.html", form_context(request, inp))


@router.post("/", response_class=HTMLResponse)
async def more_rows(request: Request) -> HTMLResponse:
    """'Add rows' without JavaScript: the same form back with what was typed and more empty rows."""
    fields = await _form(request)
    try:
        inp = build_input(fields)
    except BadInput as e:
        return _render(request, "index.html", form_context(request, None, e.lines), 400)
    rows = len(inp.activities) + 3
    return _render(request, "index.html", form_context(request, inp, rows=rows))


async def _answer(request: Request, fields: dict[str, Any]) -> HTMLResponse:
    try:
        inp = build_input(fields)
    except BadInput as e:
        return _render(request, "index.html", form_context(request, None, e.lines), 400)
    try:
        answer = await run_in_threadpool(service.run_plan, inp, request.app.state.home)
    except BadInput as e:
        return _render(request, "index.html", form_context(request, inp, e.lines), 400)
    return _render(request, "plan.html", plan_context(inp, answer))


def plan_context(inp: PlanInput, answer: service.Answer) -> dict[str, Any]:
    plan = answer.plan
    share = inp.query()
    if inp.has_done and not inp.gaps and answer.evaluations:
        gaps = [_gaps_text(ev["remaining"]) for ev in answer.evaluations]
        share = [(k, v) for k, v in share if k not in ("cycle_start", "certified_on")]
        share[len(inp.credentials) : len(inp.credentials)] = [("gaps", g) for g in gaps]
    filters_used = bool(inp.budget is not None or inp.delivery or inp.exclude_provider or inp.max_hours)
    return {
        "inp": inp,
        "answer": answer,
        "plan": plan,
        "share_url": "/plan?" + urlencode(share),
        "share_from_transcript": inp.has_done and not inp.gaps,
        "hidden": inp.hidden_fields(),
        "proof": present.proof_words(plan),
        "next_steps": present.next_steps(plan, filters_used) if plan["status"] != "optimal" else [],
        "bars": [(ev, present.requirement_bars(ev)) for ev in answer.evaluations],
        "cred_names": {c["code"]: c["name"] for c in answer.credentials},
    }


def _gaps_text(remaining: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in remaining.items())


@router.get("/plan", response_class=HTMLResponse)
async def plan_get(request: Request) -> Response:
    """A shareable plan: /plan?credential=CMA&gaps=general%3D10%2C... (repeat credential: joint plan)."""
    params = _params(request)
    if not params.get("credential") and not params.get("gaps"):
        return RedirectResponse("/", status_code=303)
    return await _answer(request, params)


@router.post("/plan", response_class=HTMLResponse)
async def plan_post(request: Request) -> HTMLResponse:
    return await _answer(request, await _form(request))


async def _gaps(request: Request, fields: dict[str, Any]) -> HTMLResponse:
    try:
        inp = build_input(fields)
        views = await run_in_threadpool(service.run_gaps, inp)
    except BadInput as e:
        return _render(request, "index.html", form_context(request, None, e.lines), 400)
    ctx = {
        "inp": inp,
        "views": [(v, present.requirement_bars(v)) for v in views],
        "hidden": inp.hidden_fields(),
        "plan_url": "/plan?" + urlencode(inp.query()),
    }
    return _render(request, "gaps.html", ctx)


@router.get("/gaps", response_class=HTMLResponse)
async def gaps_get(request: Request) -> Response:
    """What remains per requirement, without a transcript (/gaps?credential=CMA[&gaps=...][&cycle_start=...])."""
    params = _params(request)
    if not params.get("credential"):
        return RedirectResponse("/", status_code=303)
    return await _gaps(request, params)


@router.post("/gaps", response_class=HTMLResponse)
async def gaps_post(request: Request) -> HTMLResponse:
    return await _gaps(request, await _form(request))


async def _csv(request: Request, fields: dict[str, Any]) -> Response:
    inp = build_input(fields)
    answer = await run_in_threadpool(service.run_plan, inp, request.app.state.home)
    return Response(
        present.plan_csv(answer.plan),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="ceu-plan.csv"'},
    )


async def _ics(request: Request, fields: dict[str, Any]) -> Response:
    from recommender.fees import ics_bytes

    answer = await run_in_threadpool(service.run_plan, build_input(fields), request.app.state.home)
    data, _ = ics_bytes(answer.shown)
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="ceu-plan.ics"'},
    )


@router.get("/plan.ics")
async def plan_ics_get(request: Request) -> Response:
    """The plan's dates (cycle end, last day to submit, cancel-by) as a calendar file (`recommend --ics`)."""
    return await _ics(request, _params(request))


@router.post("/plan.ics")
async def plan_ics_post(request: Request) -> Response:
    return await _ics(request, await _form(request))


@router.get("/plan.csv")
async def plan_csv_get(request: Request) -> Response:
    """The plan as a spreadsheet-safe CSV file (same query as /plan)."""
    return await _csv(request, _params(request))


@router.post("/plan.csv")
async def plan_csv_post(request: Request) -> Response:
    return await _csv(request, await _form(request))


SEARCH_FIELDS = ("text", "provider", "category", "accepted_by", "kind", "delivery", "max_price")


@router.get("/catalog", response_class=HTMLResponse)
def catalog_search(request: Request) -> HTMLResponse:
    """The catalog browser: `catalog search` filters as a form."""
    q = {k: (request.query_params.get(k) or "").strip() for k in SEARCH_FIELDS}
    errors: list[str] = []
    filters: dict[str, Any] = {k: (v or None) for k, v in q.items()}
    if filters["category"] not in (None, "general", "clinical", "administrative"):
        errors.append(f"category: {q['category']!r} is not general, clinical or administrative")
    try:
        from web.inputs import parse_amount

        filters["max_price"] = parse_amount("max_price", q["max_price"])
    except BadInput as e:
        errors += e.lines
    snapshot_id, rows = "", []
    if not errors:
        try:
            snapshot_id, rows = service.search(request.app.state.home, **filters, limit=100)
        except BadInput as e:
            errors += e.lines
    ctx = {
        "q": q,
        "rows": rows,
        "errors": errors,
        "snapshot": snapshot_id,
        "searched": any(q.values()),
        "kinds": kind_choices() | {"membership": "Membership", "bundle": "Bundle"},
        "deliveries": DELIVERY_LABELS,
        "bodies": BODY_CHOICES,
    }
    return _render(request, "catalog.html", ctx, 400 if errors else 200)


@router.get("/catalog/{offering_id:path}", response_class=HTMLResponse)
def catalog_show(request: Request, offering_id: str) -> HTMLResponse:
    """One offering with its sources and membership coverage (`catalog show`)."""
    try:
        info = service.show(request.app.state.home, offering_id)
    except LookupError as e:
        raise HTTPException(404, str(e)) from None
    return _render(request, "offering.html", {"info": info, "o": info["offering"]})


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The API's OpenAPI docs (Swagger UI files served locally, started by a static script)."""
    return _render(request, "docs.html", {})


@router.get("/healthz")
def healthz(request: Request) -> dict[str, str]:
    """Liveness for a load balancer: the snapshot this worker answers from."""
    with service.snapshot(request.app.state.home) as snap:
        return {"status": "ok", "snapshot": snap.id}
