"""The FastAPI application: pages, JSON API, static files, offline API docs and error handling.

`create_app(home)` builds one stateless app over the catalog home (the published snapshot, else
the embedded one); workers share nothing but that read-only snapshot. For a process manager:
`uvicorn --factory web.app:create_app` (the home comes from $CEU_HOME).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from web import present
from web.guard import Guard
from web.inputs import BadInput

HERE = Path(__file__).parent
log = logging.getLogger("web")


def templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on (every value a person or a source wrote is escaped)."""
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True
    for name in ("money", "number", "unit_name", "gap_name", "serves_name", "link", "plain", "plan_hours"):
        t.env.filters[name] = getattr(present, name)
    return t


def create_app(home: str | Path | None = None) -> FastAPI:
    """The web app over the catalog in `home` (default: $CEU_HOME, else the user data dir, else embedded)."""
    from web import api, pages

    app = FastAPI(
        title="CEU Planner",
        summary="The provably cheapest way to finish a continuing-education recertification.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    _access_log()
    _quiet_transcript_warnings()
    app.state.home = home
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.mount("/docs-assets", StaticFiles(directory=str(_swagger_dir())), name="docs-static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _handlers(app)
    app.add_middleware(Guard)
    return app


def _access_log() -> None:
    """Give the `web` loggers a stderr handler when nothing else did (uvicorn configures only its own)."""
    logger = logging.getLogger("web")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _quiet_transcript_warnings() -> None:
    """A transcript warning quotes the uploaded file's name and lines: it must never reach the server's stderr."""
    import warnings

    from recommender.transcript import TranscriptWarning

    warnings.filterwarnings("ignore", category=TranscriptWarning)


def _swagger_dir() -> Path:
    """Swagger UI's files as shipped by fastapi-offline (no CDN)."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def error_response(
    request: Request, lines: list[str], status: int, title: str = "Please check your input"
) -> Response:
    """Bad input as JSON (the CLI's messages) for the API, as a page for people."""
    if wants_json(request):
        return JSONResponse(
            {"status": "error", "error": lines[0] if lines else title, "errors": lines}, status
        )
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"title": title, "lines": lines}, status_code=status
    )


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput) -> Response:
        return error_response(request, exc.lines, 400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        lines = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "body", "path"))
            lines.append(f"{where or 'request'}: {e.get('msg', 'invalid value')}")
        return error_response(request, lines or ["invalid request"], 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = "Page not found" if exc.status_code == 404 else "Request not understood"
        detail = exc.detail if isinstance(exc.detail, str) else title
        return error_response(request, [detail], exc.status_code, title)


def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI for /openapi.json, served offline, started by a static script (no inline script)."""
    return request.app.state.templates.TemplateResponse(request, "docs.html", {})
