"""Crawler test helpers: fixture-site servers on 127.0.0.1 and `crawl(...)` via `python -m crawlers`."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "fixtures" / "sites"
CRAWLS = ROOT / "tests" / "fixtures" / "crawls"
RUN_DATE = "2026-01-15"
HEADER = "<!-- Hand-made page modelled on the layout of "
#: Test crawls are polite to nobody but still go through retries, robots.txt and the pipelines.
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=0",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "RETRY_BACKOFF_BASE=0.05",
    "-s",
    "LOG_LEVEL=INFO",
]


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files plus the site's `_routes.json`: `flaky` paths answer 503 once, `redirects` answer 301."""

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def do_GET(self):
        server = self.server
        server.requests.append(self.path)
        routes = server.routes
        path = self.path.split("?", 1)[0]
        if path in routes.get("redirects", {}):
            self.send_response(301)
            self.send_header("Location", routes["redirects"][path])
            self.end_headers()
            return
        if path in routes.get("flaky", []) and path not in server.failed_once:
            server.failed_once.add(path)
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        super().do_GET()


class SiteServer:
    """One fixture site served from its folder on an ephemeral port, with a log of requested paths."""

    def __init__(self, name: str):
        root = SITES / name
        if not root.is_dir():
            raise FileNotFoundError(root)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
        routes_file = root / "_routes.json"
        self.httpd.routes = json.loads(routes_file.read_text()) if routes_file.exists() else {}
        self.httpd.requests = []
        self.httpd.failed_once = set()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def crawl(
    spider: str,
    base_url: str,
    out_dir: Path,
    *extra: str,
    check: bool = True,
) -> list[dict]:
    """Run `python -m crawlers SPIDER --base-url URL --out DIR --run-date 2026-01-15`; return its items."""
    cmd = [
        sys.executable,
        "-m",
        "crawlers",
        spider,
        "--base-url",
        base_url,
        "--out",
        str(out_dir),
        "--run-date",
        RUN_DATE,
        *FAST,
        *extra,
    ]
    subprocess.run(cmd, check=check, timeout=120, cwd=ROOT, capture_output=not check)
    path = Path(out_dir) / f"{spider}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def manifest(out_dir: Path) -> dict:
    return json.loads((Path(out_dir) / "manifest.json").read_text())
