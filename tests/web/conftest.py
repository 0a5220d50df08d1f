"""Web fixtures: a small catalog home built by the real builder, and a TestClient over the app."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers import FIXTURES

WEB_CATALOG = FIXTURES / "web" / "catalog"
TRANSCRIPTS = FIXTURES / "transcripts"
#: A cycle running today (plans refuse a cycle that has ended), and a day inside it.
START = date.today() - timedelta(days=300)
DONE = START + timedelta(days=30)
#: The cycle start each fixture transcript was written for, and where it is moved so that its cycle
#: runs today and its completions (but the one after the cycle) lie in the past.
WRITTEN_FOR = {"cma.csv": date(2021, 3, 1), "ccma.csv": date(2023, 7, 1)}
CMA_START = date.today() + timedelta(days=40) - (date(2026, 3, 1) - WRITTEN_FOR["cma.csv"])
CCMA_START = date.today() - timedelta(days=600)
STARTS = {"cma.csv": CMA_START, "ccma.csv": CCMA_START}


def current(name: str) -> bytes:
    """A fixture transcript with every date moved so that its cycle starts on STARTS[name]."""
    shift = STARTS[name] - WRITTEN_FOR[name]
    rows = list(csv.reader(io.StringIO((TRANSCRIPTS / name).read_text())))
    col = rows[0].index("completed_on")
    for row in rows[1:]:
        row[col] = (date.fromisoformat(row[col]) + shift).isoformat()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="session")
def web_home(tmp_path_factory) -> Path:
    """A catalog home with one published snapshot of tests/fixtures/web/catalog (a membership, 14 courses)."""
    from catalog.builder import build

    home = tmp_path_factory.mktemp("web-home")
    build([WEB_CATALOG], home, enrich=False).close()
    return home


@pytest.fixture
def client(web_home):
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(web_home)) as c:
        yield c


@pytest.fixture
def shipped_client(tmp_path):
    """The app over an empty home: the embedded catalog a fresh install serves."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(tmp_path)) as c:
        yield c
