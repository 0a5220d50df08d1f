"""Run the app with uvicorn: one process, our own access log (method, path, status; no query string)."""

from __future__ import annotations

import logging
from pathlib import Path


def run(host: str, port: int, home: str | Path | None = None) -> None:
    """Serve create_app(home) on host:port until interrupted."""
    import uvicorn

    from web.app import create_app

    app = create_app(home)
    logging.getLogger("web").info("CEU Planner on http://%s:%s/ (Ctrl+C to stop)", host, port)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info", server_header=False)
