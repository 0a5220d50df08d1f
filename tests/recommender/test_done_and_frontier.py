"""Issue 11, points 1-2: "you are done" is said plainly (exit 0), and a frontier prints as JSON."""

import json

from tests.helpers import FIXTURES, json_out, recommend

TRUST = FIXTURES / "trust"
OFF = FIXTURES / "offerings"


def test_complete_transcript_table_says_done_with_what_was_counted(tmp_path):
    """60 AAMA points (10 general, 25 clinical, 25 administrative) in the cycle from 2022-03-01: done."""
    proc = recommend(
        "--credential", "CMA", "--transcript", TRUST / "cma-complete.csv", "--cycle-start", "2022-03-01",
        home=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "You are done: every requirement is met. Nothing to buy." in out
    assert "CMA (cycle 2022-03-01 to 2027-02-28): every requirement is met" in out
    assert "counted 60 of 60 points in total; 10 of 10 general points; 25 of 10 clinical points" in out
    assert "60 of 30 points from courses approved by the AAMA" in out
    assert "Traceback" not in proc.stderr and "Cheapest plan" not in out


def test_complete_transcript_json_keeps_the_contract_and_adds_complete(tmp_path):
    out = json_out(
        recommend(
            "--credential", "CMA", "--transcript", TRUST / "cma-complete.csv", "--cycle-start", "2022-03-01",
            "--format", "json", home=tmp_path,
        )
    )  # fmt: skip
    assert out["status"] == "optimal" and out["selected"] == [] and out["total_cost"] == 0
    assert out["complete"] is True
    met = out["met"][0]
    assert met["credential"] == "CMA" and met["cycle"] == {"start": "2022-03-01", "end": "2027-02-28"}
    total = next(r for r in met["requirements"] if r["gap"] == "total")
    assert total == {"gap": "total", "required": 60, "counted": 60}


def test_zero_gaps_over_offerings_is_done_not_a_crash():
    for gaps in ("total=0", "general=0"):
        proc = recommend("--offerings", OFF / "employer.csv", "--gaps", gaps)
        assert proc.returncode == 0, proc.stderr
        assert "You are done" in proc.stdout and "KeyError" not in proc.stderr
        out = json_out(recommend("--offerings", OFF / "employer.csv", "--gaps", gaps, "--format", "json"))
        assert out["complete"] is True and out["selected"] == [] and out["total_cost"] == 0


def test_open_plan_is_not_complete():
    out = json_out(recommend("--offerings", OFF / "employer.csv", "--gaps", "general=5", "--format", "json"))
    assert out["complete"] is False and [s["id"] for s in out["selected"]] == ["emp-gen"]


def test_frontier_json_lists_each_cost_hours_plan():
    """$10 for 10 hours (long course) or $30 for 4 hours (short course): two Pareto-optimal plans."""
    proc = recommend(
        "--credential", "CMA", "--offerings", TRUST / "frontier.csv", "--gaps", "clinical=10",
        "--frontier", "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["total_cost"], out["total_hours"]) == (10.0, 10)
    points = [(p["total_cost"], p["total_hours"], [s["id"] for s in p["selected"]]) for p in out["frontier"]]
    assert points == [(10.0, 10, ["fr-long"]), (30.0, 4, ["fr-short"])]
    assert all("frontier" not in p and p["status"] == "optimal" for p in out["frontier"])
