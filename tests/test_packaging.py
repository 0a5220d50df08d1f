"""The wheel a user installs holds every module and every shipped data file (not only the editable tree)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.helpers import REPO


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = out.glob("*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def _tracked(*patterns: str) -> list[str]:
    return subprocess.run(
        ["git", "ls-files", *patterns], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()


def test_every_module_is_in_the_wheel(wheel_names):
    modules = [
        p for p in _tracked("catalog", "recommender", "crawlers") if p.endswith((".py", ".sql", ".toml"))
    ]
    assert modules
    missing = [p for p in modules if p not in wheel_names]
    assert not missing, f"not packaged: {missing}"


def test_shipped_data_is_in_the_wheel(wheel_names):
    data = [p for p in _tracked("data") if not p.endswith("__init__.py")]
    assert any(p.startswith("data/snapshot/") for p in data) and any(
        p.startswith("data/credentials/") for p in data
    )
    missing = [p for p in data if "ceu_data/" + p.removeprefix("data/") not in wheel_names]
    assert not missing, f"not packaged: {missing}"
