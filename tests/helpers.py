"""Shared test helpers: run the real CLIs in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
#: The project's shared folder, `../shared` beside the repository (reference texts, benchmarks);
#: tests that read it skip when it is absent.
SHARED = REPO.parent / "shared"


def run_cli(
    module: str,
    *args: str,
    home: Path | str | None = None,
    env: dict | None = None,
    timeout: float = 300,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess:
    """Run `python -m <module> args...` and capture its output (never raises on exit code)."""
    full_env = {**os.environ, "COLUMNS": "100", **(env or {})}
    full_env.pop("CEU_HOME", None)
    if home is not None:
        full_env["CEU_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=cwd or REPO,
    )


def catalog(*args: str, **kw) -> subprocess.CompletedProcess:
    return run_cli("catalog", *args, **kw)


def recommend(*args: str, **kw) -> subprocess.CompletedProcess:
    return run_cli("recommender", *args, **kw)


def json_out(proc: subprocess.CompletedProcess):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
