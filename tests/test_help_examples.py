"""Every example in `recommend --help`, `recommend gaps --help` and the README's transcript section runs
verbatim (in a fresh directory, on the shipped catalog) and succeeds."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.helpers import REPO, recommend

HELPS = [(), ("gaps",), ("example-transcript",)]


def examples_in(text: str) -> list[str]:
    """Command lines of the indented block after 'Example:' / 'Examples:' (continuations joined)."""
    block = re.search(r"Examples?:\n((?:[ \t]+\S.*\n?)+)", text)
    assert block, text
    joined = re.sub(r"\\\n\s*", "", block.group(1))
    return [line.strip() for line in joined.splitlines() if line.strip()]


def run_line(line: str, cwd, home) -> subprocess.CompletedProcess:
    assert line.startswith("recommend"), line
    command = f"{sys.executable} -m recommender" + line.removeprefix("recommend")
    env = {**os.environ, "CEU_HOME": str(home), "COLUMNS": "120", "PYTHONPATH": str(REPO)}
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("sub", HELPS, ids=lambda s: " ".join(s) or "recommend")
def test_help_examples_run_verbatim(sub, tmp_path):
    help_text = recommend(*sub, "--help").stdout
    lines = examples_in(help_text)
    assert lines
    home = tmp_path / "home"
    home.mkdir()
    for line in lines:
        proc = run_line(line, tmp_path, home)
        assert proc.returncode == 0, (line, proc.stdout[-2000:], proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr


def test_readme_transcript_example_works_as_written(tmp_path):
    readme = (REPO / "README.md").read_text()
    section = readme.split("### Your transcript", 1)[1]
    block = re.search(r"print it and\s+evaluate it:\n\n```bash\n(.*?)```", section, re.S)
    assert block
    home = tmp_path / "home"
    home.mkdir()
    outputs = []
    for line in block.group(1).splitlines():
        line = line.split("   #", 1)[0].strip()
        proc = run_line(line, tmp_path, home)
        assert proc.returncode == 0, (line, proc.stderr)
        outputs.append(" ".join(proc.stdout.split()))
    assert "total 60 61 0" in outputs[1]
    assert "You are done: every requirement is met. Nothing to buy." in outputs[2]
    assert "counted 61 of 60 points in total" in outputs[2]


def test_readme_csv_sample_is_accepted_by_recommend_gaps(tmp_path):
    readme = (REPO / "README.md").read_text()
    sample = re.search(r"```csv\n(.*?)```", readme.split("### Your transcript", 1)[1], re.S).group(1)
    path = tmp_path / "sample.csv"
    path.write_text(sample)
    proc = recommend("gaps", "--credential", "CMA", "--transcript", path, "--cycle-start", "2022-03-01")
    assert proc.returncode == 0, proc.stderr
    # 5 administrative (AAMA) + one CPR card (4 clinical, AAMA) + 8 clinical hours (non-AAMA) = 17
    assert re.search(r"total\s+60\s+17\s+43", proc.stdout)
