"""`recommend serve`: start the web app (FastAPI and uvicorn are imported only when it runs)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    help="Catalog home (default: $CEU_HOME, else the shipped catalog).",
)
def serve_command(host: str, port: int, home: str | None) -> None:
    """Serve the planner as a web page for medical assistants, read-only, on the published catalog.

    Nothing a person types or uploads is stored or logged (the access log names only the path).
    For several workers behind a load balancer see docs/deploy.md.

    \b
    Example:
      recommend serve --port 8000
    """
    from web.server import run

    run(host, port, home)
