"""Meta-tests: every command is documented in the README and teaches by example in --help."""

from __future__ import annotations

import re

import click
import pytest

from catalog.cli import cli as catalog_cli
from tests.helpers import REPO, catalog, recommend

README = (REPO / "README.md").read_text()


def _commands(group: click.Group, prefix: str):
    yield prefix, group
    for name, cmd in group.commands.items():
        yield f"{prefix} {name}", cmd


def all_commands():
    from recommender.cli import main as recommend_cli

    return [*_commands(catalog_cli, "catalog"), *_commands(recommend_cli, "recommend")]


@pytest.mark.parametrize("name, cmd", all_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_is_in_the_readme_and_its_help_has_an_example(name, cmd):
    assert f"`{name}" in README or f"\n{name} " in README, f"{name} is not documented in README.md"
    assert "Example" in (cmd.help or ""), f"`{name} --help` has no example"


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    assert blocks[1].strip() == "pip install -e '.[test]' && pytest -q"
    assert (REPO / ".ci" / "run").read_text().count(blocks[1].strip()) == 1


def test_help_runs_for_both_programs():
    for proc in (catalog("--help"), recommend("--help"), recommend("gaps", "--help")):
        assert proc.returncode == 0 and "Example" in proc.stdout


def test_quick_start_main_job_succeeds_on_the_shipped_catalog(tmp_path):
    """The part of the first Quick start command after the install, run on a fresh (empty) home."""
    section = README.split("## Quick start", 1)[1]
    first = re.findall(r"```bash\n(.*?)```", section, re.S)[0].strip()
    install, _, job = first.partition(" && ")
    assert install == "pip install ." and job.startswith("recommend ")
    proc = recommend(*job.split()[1:], "--format", "json", home=tmp_path / "fresh")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import json

    plan = json.loads(proc.stdout)
    # a CMA renewal: proven when the catalog allows, else (--allow-estimates) the cheapest estimate (issue 13)
    assert plan["status"] in ("optimal", "estimated") and plan["selected"]
