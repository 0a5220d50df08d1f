"""A catalog home with history: an older synthetic snapshot, then one built from the shipped data/manual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, REPO


@pytest.fixture(scope="session")
def history_home(tmp_path_factory) -> tuple[Path, dict]:
    """(home, the fixture script's JSON summary of what changed between the two snapshots)."""
    home = tmp_path_factory.mktemp("history-home")
    env = {k: v for k, v in os.environ.items() if k != "CEU_HOME"}
    out = subprocess.run([sys.executable, str(FIXTURES / "history" / "make_history.py"), str(home)],
                         capture_output=True, text=True, env=env, cwd=REPO, timeout=600, check=True)
    return home, json.loads(out.stdout)
