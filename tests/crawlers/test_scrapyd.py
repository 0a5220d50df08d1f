"""`catalog refresh --scrapyd` against a real Scrapyd started here on 127.0.0.1.

The test writes a scrapyd.conf into a temporary directory (loopback address, a free port, its own
eggs/logs/items/dbs directories), starts `scrapyd` there, deploys the project with the real
`scrapyd-deploy` (scrapy.cfg's `env` target), crawls the shapes fixture site through it, checks the
published snapshot, and stops the server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.crawl_helpers import ROOT, RUN_DATE

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    """A Scrapyd bound to 127.0.0.1 on a free port, with everything under a temporary directory."""
    root = tmp_path_factory.mktemp("scrapyd")
    port = _free_port()
    (root / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {root / 'eggs'}\n"
        f"logs_dir = {root / 'logs'}\n"
        f"items_dir = {root / 'items'}\n"
        f"dbs_dir = {root / 'dbs'}\n"
        "poll_interval = 0.2\n"
        "max_proc = 2\n"
    )
    env = {**os.environ, "HOME": str(root)}  # no ~/.scrapyd.conf of the machine's user
    log = open(root / "scrapyd.log", "wb")  # noqa: SIM115 - closed after the server stops
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/daemonstatus.json", timeout=2) as r:
                    if json.load(r)["status"] == "ok":
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((root / "scrapyd.log").read_text()) from None
                time.sleep(0.3)
        yield url, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def deployed(scrapyd):
    url, _ = scrapyd
    result = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "env", "--version", "test-1"],
        cwd=ROOT,
        env={**os.environ, "SCRAPYD_URL": url + "/"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return scrapyd


@pytest.fixture(scope="module")
def refreshed(deployed, serve_site, tmp_path_factory):
    url, root = deployed
    home = tmp_path_factory.mktemp("home")
    site = serve_site("shapes")
    seen = len(
        serve_site.requests("shapes")
    )  # the server is shared by the session: only this crawl's requests
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "catalog",
            "refresh",
            "--scrapyd",
            url,
            "--spider",
            "structured",
            "--base-url",
            site,
            "--run-date",
            RUN_DATE,
            "--home",
            str(home),
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "DOWNLOAD_DELAY=0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result, home, root, serve_site.requests("shapes")[seen:]


def test_deploy_registers_every_spider(deployed):
    url, _ = deployed
    with urllib.request.urlopen(f"{url}/listspiders.json?project=crawlers", timeout=30) as r:
        spiders = set(json.load(r)["spiders"])
    assert {"structured", "netce", "aama", "relias"} <= spiders


def test_refresh_through_scrapyd_publishes_the_crawl(refreshed):
    result, home, root, requests = refreshed
    assert result.returncode == 0, result.stderr
    assert "published snapshot" in result.stdout
    assert "crawl structured: scheduled on http://127.0.0.1:" in result.stderr
    latest = (home / "latest").read_text().strip() if (home / "latest").is_file() else None
    dbs = sorted(home.rglob("catalog.duckdb"))
    assert dbs, f"no snapshot under {home} (latest={latest})"
    con = duckdb.connect(str(dbs[-1]), read_only=True)
    rows = con.execute(
        "SELECT id, credits, credit_unit, credit_unit_text, member_price_usd FROM offerings "
        "WHERE source = 'spider:structured' ORDER BY id"
    ).fetchall()
    con.close()
    assert len(rows) == 20
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id["structured:nw-201"][1:] == ("contact_hour", "CEUs", 25)
    assert by_id["structured:nw-305"][1:3] == ("iacet_ceu", "CEUs")
    assert "/courses/wound-care/" in requests  # the Scrapyd job crawled this server
    assert not any(p.startswith("/members-only/") for p in requests)
    feeds = list((root / "items" / "crawlers" / "structured").glob("*.jl"))
    assert len(feeds) == 1 and len(feeds[0].read_text().splitlines()) == 20


def test_scrapyd_manifest_reaches_the_snapshot(refreshed):
    _, home, _, _ = refreshed
    manifests = sorted(home.rglob("manifest.json"))
    source = None
    for m in manifests:
        data = json.loads(m.read_text())
        source = (data.get("sources") or {}).get("spider:structured") or source
    assert source is not None
    assert source["items"] == 20 and source["invalid"] == 0
    assert source["malformed_pages"] == 1


def test_unknown_node_is_a_one_line_error(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "catalog",
            "refresh",
            "--scrapyd",
            f"http://127.0.0.1:{_free_port()}",
            "--home",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Scrapyd at http://127.0.0.1:" in result.stderr and "Traceback" not in result.stderr
