"""Every notebook is stored clean and runs top to bottom (its own checks cell included) against a
catalog home holding two snapshots; running them writes nothing under data/."""

from __future__ import annotations

import hashlib

import nbformat
import pytest
from nbclient import NotebookClient

from tests.helpers import REPO

NOTEBOOKS_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def test_the_three_analyst_notebooks_exist():
    assert set(IDS) >= {"catalog_overview", "price_history", "plan_explorer"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for i, cell in enumerate(code):
        assert cell.outputs == [], f"{path.name}: code cell {i} has stored outputs"
        assert cell.execution_count is None, f"{path.name}: code cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_opens_with_its_question_and_ends_with_answer_and_checks(path):
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].cell_type == "markdown" and "**Question:**" in cells[0].source
    headings = [c.source.strip() for c in cells if c.cell_type == "markdown"]
    assert headings[-2:] == ["## Answer", "## Checks"]
    assert cells[-1].cell_type == "code" and cells[-1].source.count("assert ") >= 3
    assert "all checks passed" in cells[-1].source


def data_fingerprint() -> dict[str, str]:
    """Content hash of every file under data/ (contents, not mtimes: a same-content rewrite is no write)."""
    return {str(f.relative_to(REPO)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted((REPO / "data").rglob("*")) if f.is_file() and "__pycache__" not in f.parts}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_top_to_bottom(path, history_home, monkeypatch):
    home, _ = history_home
    monkeypatch.setenv("CEU_HOME", str(home))  # the kernel inherits this environment
    monkeypatch.setenv("MPLBACKEND", "Agg")
    before = data_fingerprint()
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()  # raises on a cell error
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    last = "".join(o.get("text", "") for o in code[-1].outputs if o.output_type == "stream")
    assert "all checks passed" in last
    assert data_fingerprint() == before, "a notebook wrote under data/"
