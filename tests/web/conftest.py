"""Web fixtures: a small catalog home built by the real builder, and a TestClient over the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES

WEB_CATALOG = FIXTURES / "web" / "catalog"
TRANSCRIPTS = FIXTURES / "transcripts"


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
