"""Issue 11, point 6: no internal code reaches a person, and an infeasible plan says what to do next."""

from __future__ import annotations

import re

import pytest

from tests.helpers import REPO, recommend

EXAMPLE = REPO / "data" / "examples" / "cma-transcript.csv"
CODES = re.compile(
    r"aama_point|ccp_point|nha_credit|amca_credit|contact_hour|aama_ceu|iacet_ceu|non_aama|units\.|fees\[|"
    r"\bCap \w|mip_rel_gap|total_hours|\b[A-Z]{2,5}:(?:total|general|clinical|administrative|approved)"
)
URL = re.compile(r"\(?https?://\S+")


def people_text(proc) -> str:
    """What a person reads: stdout and stderr, without URLs (pages may contain underscores)."""
    return URL.sub("", " ".join((proc.stdout + proc.stderr).split()))


@pytest.mark.parametrize(
    "args",
    [
        ("--credential", "CMA"),
        ("--credential", "RMA"),
        ("--credential", "CMA", "--gaps", "total=20", "--allow-estimates"),
        ("--credential", "CMA", "--credential", "CCMA", "--gaps", "CMA:total=20", "--gaps", "CCMA:total=10"),
        (
            "gaps",
            "--credential",
            "CMA",
            "--credential",
            "CCMA",
            "--credential",
            "RMA",
            "--transcript",
            EXAMPLE,
            "--cycle-start",
            "2022-03-01",
        ),
    ],  # fmt: skip
    ids=["cma-full", "rma", "cma-estimate", "joint", "gaps"],
)
def test_tables_use_plain_words(args, tmp_path):
    proc = recommend(*args, home=tmp_path, env={"COLUMNS": "200"})
    assert proc.returncode in (0, 3), proc.stderr
    text = people_text(proc)
    assert not CODES.findall(text), CODES.findall(text)


def test_an_infeasible_why_ends_with_what_to_do_next(tmp_path):
    """RMA on the shipped catalog: the only AMT-accepted course row has no published credits."""
    proc = recommend("--credential", "RMA", home=tmp_path, env={"COLUMNS": "2000"})
    assert proc.returncode == 3
    text = " ".join(proc.stdout.split())
    why = text[text.index("Why: ") :]
    assert why.startswith("Why: For the RMA, the catalog can supply at most 0 of the 30 points in total")
    assert "The credits are not published for 1 offering(s): AMT continuing education modules" in why
    assert why.endswith("--allow-estimates shows the cheapest plan under named assumptions.")
    assert "add the missing facts for these offerings to data/manual/" in why
