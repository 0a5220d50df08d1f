"""Project-wide fixtures: catalog homes built by the real builder from real CSVs."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, REPO


def pytest_configure(config):
    """One shared cache for the session (subprocesses inherit it): the classifier's model
    selection runs once, not in every build, and the developer's own cache is never touched."""
    os.environ["CEU_CACHE_DIR"] = tempfile.mkdtemp(prefix="ceu-test-cache-")


@pytest.fixture(autouse=True)
def _no_user_home(monkeypatch, tmp_path_factory):
    """Never read or write the developer's real catalog home."""
    monkeypatch.setenv("CEU_HOME", str(tmp_path_factory.mktemp("default-home")))


@pytest.fixture(scope="session")
def shipped_manual_dir() -> Path:
    return REPO / "data" / "manual"


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory) -> Path:
    """A catalog home holding one snapshot built from the shipped data/manual."""
    from catalog.builder import build

    home = tmp_path_factory.mktemp("shipped-home")
    build(None, home).close()
    return home


@pytest.fixture
def small_sources(tmp_path) -> Path:
    """A writable copy of tests/fixtures/manual/good (a small valid catalog)."""
    dst = tmp_path / "manual"
    shutil.copytree(FIXTURES / "manual" / "good", dst)
    return dst
