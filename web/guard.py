"""ASGI middleware: security headers, a request-size limit, and an access log without query strings.

Pure ASGI (no BaseHTTPMiddleware) so an over-size upload is refused before anything parses it
and a body is never buffered to disk. The log names method, path and status only: what a person
typed (query string, form fields, files) never reaches a log.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from web.inputs import MAX_BODY_BYTES

log = logging.getLogger("web.access")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
CRASH = "something went wrong on our side; nothing you sent was kept"
TOO_LARGE = f"the upload is larger than {MAX_BODY_BYTES // 1024} KB; send a smaller transcript"


class Guard:
    """Wraps the app: adds HEADERS (and no-store on pages), refuses bodies over `max_body` with 413."""

    def __init__(self, app: Any, max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        path = scope.get("path", "")
        state = {"received": 0, "over": False, "started": False, "status": 0}
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await self._refuse(path, send, state)
            self._log(scope, state, t0)
            return

        async def limited_receive() -> dict:
            msg = await receive()
            if msg["type"] == "http.request":
                state["received"] += len(msg.get("body", b""))
                if state["received"] > self.max_body:
                    state["over"] = True
                    return {"type": "http.disconnect"}
            return msg

        async def send_with_headers(message: dict) -> None:
            if state["over"]:
                return
            if message["type"] == "http.response.start":
                state["started"], state["status"] = True, message["status"]
                extra = list(HEADERS)
                if not path.startswith("/static"):
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except Exception as exc:
            if not state["over"]:
                # Only the type and the path: a message or traceback could quote what the person sent.
                log.error("internal error %s on %s %s", type(exc).__name__, scope.get("method"), path)
                if not state["started"]:
                    await self._plain(path, send, state, 500, "Server error", CRASH)
        if state["over"] and not state["started"]:
            await self._plain(path, send, state, 413, "Upload too large", TOO_LARGE)
        self._log(scope, state, t0)

    async def _refuse(self, path: str, send: Any, state: dict) -> None:
        await self._plain(path, send, state, 413, "Upload too large", TOO_LARGE)

    @staticmethod
    async def _plain(path: str, send: Any, state: dict, status: int, title: str, message: str) -> None:
        """A minimal JSON (API) or HTML answer written without the app (it failed or was cut off)."""
        if path.startswith("/api"):
            body = json.dumps({"status": "error", "error": message, "errors": [message]}).encode()
            ctype = b"application/json"
        else:
            body = (
                f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<link rel="stylesheet" href="/static/style.css"></head><body><main id="main">'
                f'<h1>{title}</h1><p>{message[0].upper() + message[1:]}.</p><p><a href="/">Back to the form</a>'
                "</p></main></body></html>"
            ).encode()
            ctype = b"text/html; charset=utf-8"
        headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode()), *HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        state["started"], state["status"] = True, status

    @staticmethod
    def _log(scope: dict, state: dict, t0: float) -> None:
        ms = (time.perf_counter() - t0) * 1000
        log.info("%s %s %s %.0fms", scope.get("method", "-"), scope.get("path", "-"), state["status"], ms)
