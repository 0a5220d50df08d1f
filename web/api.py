"""JSON API for scripts and assistants: the CLI's JSON shapes, the CLI's error messages.

An infeasible plan is a normal answer (HTTP 200, `status: "infeasible"`); bad input is HTTP 400
(or 422 for a request FastAPI cannot read) with `{"status": "error", "error", "errors"}`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from web import service
from web.inputs import BadInput, build_input, decode_upload

router = APIRouter(prefix="/api", tags=["API"])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad input: `error` is the CLI's message, `errors` every line (FILE:LINE:FIELD)"},
    413: {"description": "The request is larger than 1 MB"},
    422: {"description": "A request the API cannot read (e.g. a missing multipart field)"},
}
Many = Annotated[list[str] | None, Query()]
CREDENTIAL = "Credential code (CMA, CCMA, RMA, ...); repeat for one joint plan."
GAPS = "Remaining gaps, `general=3,clinical=5,total=20,approved:AAMA=8`; one for all or one per credential."


def _plan_fields(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


@router.get("/plan", responses=ERRORS, summary="Cheapest plan (as `recommend --format json`)")
def get_plan(
    request: Request,
    credential: Annotated[list[str] | None, Query(description=CREDENTIAL)] = None,
    gaps: Annotated[list[str] | None, Query(description=GAPS)] = None,
    cycle_start: Annotated[str | None, Query(description="First day of the cycle, YYYY-MM-DD")] = None,
    certified_on: Annotated[str | None, Query(description="Date of the last (re)certification")] = None,
    budget: Annotated[str | None, Query(description="Most you will spend, USD")] = None,
    max_hours: Annotated[str | None, Query(description="Most hours you will spend")] = None,
    delivery: Annotated[list[str] | None, Query(description="Only these delivery modes; repeatable")] = None,
    exclude_provider: Annotated[list[str] | None, Query(description="Never buy from this provider")] = None,
    stated_only: Annotated[str | None, Query(description="1: ignore inferred content areas")] = None,
    have: Annotated[
        list[str] | None, Query(description="Offering id you already hold (free); repeatable")
    ] = None,
    member_of: Annotated[list[str] | None, Query(description="Body you are a member of (fees)")] = None,
    finish_by: Annotated[str | None, Query(description="Finish by this date, YYYY-MM-DD")] = None,
) -> dict[str, Any]:
    """The provably cheapest plan for the gaps (no transcript: use POST for one)."""
    fields = _plan_fields(
        credential=credential,
        gaps=gaps,
        cycle_start=cycle_start,
        certified_on=certified_on,
        budget=budget,
        max_hours=max_hours,
        delivery=delivery,
        exclude_provider=exclude_provider,
        stated_only=stated_only,
        have=have,
        member_of=member_of,
        finish_by=finish_by,
    )
    return service.run_plan(build_input(fields), request.app.state.home).plan


@router.post("/plan", responses=ERRORS, summary="Cheapest plan from a transcript (multipart form)")
def post_plan(
    request: Request,
    transcript: Annotated[
        UploadFile | None, File(description="Transcript CSV (the documented format)")
    ] = None,
    credential: Annotated[list[str] | None, Form(description=CREDENTIAL)] = None,
    gaps: Annotated[list[str] | None, Form(description=GAPS)] = None,
    cycle_start: Annotated[str | None, Form()] = None,
    certified_on: Annotated[str | None, Form()] = None,
    budget: Annotated[str | None, Form()] = None,
    max_hours: Annotated[str | None, Form()] = None,
    delivery: Annotated[list[str] | None, Form()] = None,
    exclude_provider: Annotated[list[str] | None, Form()] = None,
    stated_only: Annotated[str | None, Form()] = None,
    have: Annotated[list[str] | None, Form()] = None,
    member_of: Annotated[list[str] | None, Form()] = None,
    finish_by: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """The cheapest plan after counting the uploaded transcript (as `recommend --transcript`)."""
    fields = _plan_fields(
        credential=credential,
        gaps=gaps,
        cycle_start=cycle_start,
        certified_on=certified_on,
        budget=budget,
        max_hours=max_hours,
        delivery=delivery,
        exclude_provider=exclude_provider,
        stated_only=stated_only,
        have=have,
        member_of=member_of,
        finish_by=finish_by,
    )
    fields.update(_upload(transcript))
    return service.run_plan(build_input(fields), request.app.state.home).plan


@router.post(
    "/gaps", responses=ERRORS, summary="What a transcript counts (as `recommend gaps --format json`)"
)
def post_gaps(
    transcript: Annotated[
        UploadFile | None, File(description="Transcript CSV (the documented format)")
    ] = None,
    credential: Annotated[list[str] | None, Form(description=CREDENTIAL)] = None,
    cycle_start: Annotated[str | None, Form()] = None,
    certified_on: Annotated[str | None, Form()] = None,
) -> Any:
    """Counted, not counted (with the reason) and remaining, per credential; a list for several."""
    fields = _plan_fields(credential=credential, cycle_start=cycle_start, certified_on=certified_on)
    fields.update(_upload(transcript))
    inp = build_input(fields)
    if not inp.transcript_text:
        raise BadInput(
            "Missing option '--transcript': send the transcript CSV as the multipart field 'transcript'"
        )
    if (inp.cycle_start is None) == (inp.certified_on is None):
        raise BadInput("give exactly one of --cycle-start DATE and --certified-on DATE")
    out = service.run_gaps(inp)
    return out[0] if len(out) == 1 else out


def _upload(file: UploadFile | None) -> dict[str, str]:
    """The uploaded transcript as text fields for build_input (read in memory, never written)."""
    if file is None:
        return {}
    name = (file.filename or "transcript.csv").replace("\\", "/").rsplit("/", 1)[-1] or "transcript.csv"
    data = file.file.read()
    if not data:
        return {}
    return {"transcript_text": decode_upload(data, name), "transcript_name": name}


@router.get(
    "/catalog/search", responses=ERRORS, summary="Search offerings (as `catalog search --format json`)"
)
def search(
    request: Request,
    text: str | None = None,
    provider: str | None = None,
    category: Annotated[str | None, Query(pattern="^(general|clinical|administrative)$")] = None,
    accepted_by: str | None = None,
    kind: str | None = None,
    delivery: str | None = None,
    max_price: Annotated[float | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=0, le=1000)] = 50,
) -> list[dict[str, Any]]:
    """Offerings matching every filter, cheapest first."""
    _, rows = service.search(
        request.app.state.home,
        text=text,
        provider=provider,
        category=category,
        accepted_by=accepted_by,
        kind=kind,
        delivery=delivery,
        max_price=max_price,
        limit=limit,
    )
    return rows


@router.get("/catalog/offerings/{offering_id}", responses={404: {"description": "No such offering"}})
def offering(request: Request, offering_id: str) -> dict[str, Any]:
    """One offering with every source it came from and its membership coverage (as `catalog show`)."""
    try:
        return service.show(request.app.state.home, offering_id)
    except LookupError as e:
        from fastapi import HTTPException

        raise HTTPException(404, str(e)) from None
