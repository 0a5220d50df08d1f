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


def execute(path, home, monkeypatch) -> list:
    """Run the notebook in a python3 kernel (cwd = notebooks/) with CEU_HOME=home; its code cells."""
    monkeypatch.setenv("CEU_HOME", str(home))  # the kernel inherits this environment
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()  # raises on a cell error
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    last = "".join(o.get("text", "") for o in code[-1].outputs if o.output_type == "stream")
    assert "all checks passed" in last
    return code


def answer(code: list) -> str:
    """The Markdown the answer cell (the one before the checks) displayed."""
    return "".join(o["data"].get("text/markdown", "") for o in code[-2].outputs if "data" in o)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_top_to_bottom(path, history_home, monkeypatch):
    home, made = history_home
    before = data_fingerprint()
    text = answer(execute(path, home, monkeypatch))
    assert text.strip(), "the answer cell displayed nothing"
    assert data_fingerprint() == before, "a notebook wrote under data/"
    if path.stem == "price_history":  # the answer reports exactly what the fixture script changed
        assert f"from `{made['older']}` to `{made['current']}`" in text
        assert (f"{len(made['added'])} offering(s) added, {len(made['removed'])} removed, "
                f"{len(made['repriced'])} repriced") in text
    if path.stem == "plan_explorer":  # shipped-catalog profiles and the illustrative ones both answered
        assert text.count("- ") >= 6 and "illustrative" in text


def test_price_history_says_so_when_the_home_has_one_snapshot(tmp_path, monkeypatch):
    text = answer(execute(NOTEBOOKS_DIR / "price_history.ipynb", tmp_path / "empty-home", monkeypatch))
    assert "No history yet" in text and "`embedded`" in text
