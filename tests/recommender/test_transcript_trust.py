"""Issue 11, points 3-4: a transcript never over-counts, a mistake is never silent, units say what they need.

Dates are computed from today's date, so "in the future" stays in the future whenever the test runs.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.helpers import FIXTURES, json_out, recommend

OFF = FIXTURES / "offerings"
HEADER = "completed_on,title,provider,kind,credits,credit_unit,areas,approved_by,hours,id\n"


def write(tmp_path, rows: str, name: str = "done.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows)
    return path


def gaps_json(*args):
    return json_out(recommend("gaps", *args, "--format", "json"))


def test_duplicates_count_once_and_a_future_completion_not_at_all(tmp_path):
    """Cycle from a year ago. Line 2 (5 admin) counts; line 3 repeats its id; line 4 (3 clinical) counts;
    line 5 is line 4 again in other letter case; line 6 is dated in a month: 5 + 3 = 8 counted."""
    start = date.today() - timedelta(days=365)
    done = (start + timedelta(days=30)).isoformat()
    later = (start + timedelta(days=60)).isoformat()
    future = (date.today() + timedelta(days=30)).isoformat()
    path = write(
        tmp_path,
        f"{done},Medical Law,AAMA,course,5,aama_ceu,administrative,AAMA,,law-1\n"
        f"{later},Medical Law (copy),AAMA,course,5,aama_ceu,administrative,AAMA,,law-1\n"
        f"{done},Infection Control,AAMA,course,3,aama_ceu,clinical,AAMA,,\n"
        f"{done},infection control,aama,course,3,aama_ceu,clinical,AAMA,,\n"
        f"{future},Ahead of Time,AAMA,course,4,aama_ceu,general,AAMA,,\n",
    )
    out = gaps_json("--credential", "CMA", "--transcript", path, "--cycle-start", start.isoformat())
    counted = {r["name"]: r["counted"] for r in out["requirements"]}
    assert counted == {"total": 8, "general": 0, "clinical": 3, "administrative": 5, "approved:AAMA": 8}
    reasons = {r["line"]: r["reason"] for r in out["not_counted"]}
    assert reasons == {
        3: "duplicate of line 2",
        5: "duplicate of line 4",
        6: f"completed in the future ({future}, after today, {date.today()})",
    }
    assert out["warnings"] == []
    # The planner counts the same way: 60 - 8 = 52 points remain.
    plan = json.loads(
        recommend(
            "--credential", "CMA", "--transcript", path, "--cycle-start", start.isoformat(),
            "--offerings", OFF / "employer.csv", "--format", "json",
        ).stdout
    )  # fmt: skip
    total = next(r for r in plan["requirements"] if r["gap"] == "total")
    assert total["needed"] == 52


def test_a_cycle_in_the_wrong_year_is_named_with_its_dates(tmp_path):
    path = write(tmp_path, "2015-05-01,Ethics,AAMA,course,2,aama_ceu,general,AAMA,,\n")
    old = gaps_json("--credential", "CMA", "--transcript", path, "--cycle-start", "2010-01-01")
    assert old["warnings"] == [
        f"the cycle 2010-01-01 to 2014-12-31 ended before today ({date.today()}): check the year of the "
        "cycle start, or give --certified-on to evaluate the current cycle"
    ]
    ahead = recommend("gaps", "--credential", "CMA", "--transcript", path, "--cycle-start", "2095-01-01")
    assert ahead.returncode == 0
    text = " ".join(ahead.stdout.split())
    assert f"Warning: the cycle 2095-01-01 to 2099-12-31 starts after today ({date.today()})" in text
    plan = recommend(
        "--credential", "CMA", "--transcript", path, "--cycle-start", "2095-01-01",
        "--offerings", OFF / "employer.csv", "--format", "json",
    )  # fmt: skip
    assert json.loads(plan.stdout)["warnings"][0].startswith("CMA: the cycle 2095-01-01 to 2099-12-31 starts")


def test_contradicting_options_are_usage_errors(tmp_path):
    path = write(tmp_path, "2024-05-01,Ethics,AAMA,course,2,aama_ceu,general,AAMA,,\n")
    cases = {
        ("--credential", "CMA", "--gaps", "total=5", "--cycle-start", "2024-01-01"): "--cycle-start needs "
        "--transcript",
        ("--credential", "CMA", "--gaps", "total=5", "--transcript", path, "--cycle-start", "2024-01-01"): (
            "give --gaps or --transcript, not both"
        ),
        ("--credential", "CMA", "--credential", "CCMA", "--gaps", "total=5"): "1 --gaps for 2 credentials",
        ("--credential", "CMA", "--credential", "CCMA", "--gaps", "CMA:total=5"): "no --gaps for CCMA",
        ("--credential", "CMA", "--gaps", "RMA:total=5"): "'RMA' is not one of the credentials given",
        ("--credential", "CMA", "--credential", "CCMA", "--gaps", "CMA:total=5", "--gaps", "total=1"): (
            "name the credential in every --gaps or in none"
        ),
    }
    for args, message in cases.items():
        proc = recommend(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert message in " ".join(proc.stderr.split()), (args, proc.stderr)


def test_per_credential_gaps_and_each_credentials_own_units():
    """CMA needs 5 clinical points, CCMA 1 NHA credit. Clinical Skills A or B ($20, 5 AAMA CEUs, 5 hours)
    gives CMA 5 clinical points and CCMA 5 hours / 2 = 2.5 NHA credits: one $20 course closes both."""
    args = (
        "--credential",
        "CMA",
        "--credential",
        "CCMA",
        "--gaps",
        "CMA:clinical=5",
        "--gaps",
        "CCMA:total=1",
    )
    out = json_out(recommend(*args, "--offerings", OFF / "employer.csv", "--format", "json"))
    assert out["total_cost"] == 20.0 and len(out["selected"]) == 1
    course = out["selected"][0]
    assert course["credits_by_credential"] == {
        "CMA": {"unit": "aama_point", "total": 5, "by_area": {"clinical": 5}},
        "CCMA": {"unit": "nha_credit", "total": 2.5, "by_area": {"clinical": 2.5}},
    }
    assert {(r["credential"], r["gap"], r["needed"]) for r in out["requirements"]} >= {
        ("CMA", "clinical", 5),
        ("CCMA", "total", 1),
    }
    table = recommend(*args, "--offerings", OFF / "employer.csv", env={"COLUMNS": "250"}).stdout
    assert "CMA: 5 clinical points; CCMA: 2.5 credits" in table


def test_aama_ceus_count_toward_ccma_by_their_hours_and_say_how_to_fix_missing_hours(tmp_path):
    """3 AAMA CEUs with 3 stated hours = 1.5 NHA credits; the same course without hours does not count."""
    path = write(
        tmp_path,
        "2025-02-01,Vaccines,AAMA,course,3,aama_ceu,clinical,AAMA,3,\n"
        "2025-03-01,Telehealth,AAMA,course,2,aama_ceu,general,AAMA,,\n",
    )
    out = gaps_json("--credential", "CCMA", "--transcript", path, "--cycle-start", "2025-01-01")
    assert out["requirements"] == [{"name": "total", "required": 10, "counted": 1.5, "remaining": 8.5}]
    (nc,) = out["not_counted"]
    assert nc["title"] == "Telehealth" and nc["reason"] == (
        "AAMA CEUs do not convert to NHA credits by themselves and the hours are not given; "
        "add the hours column: NHA counts 2 contact hours as 1 credit"
    )


def test_hundred_thousand_row_complete_transcript_is_done(tmp_path):
    """100,000 distinct one-point AAMA courses (general, clinical, administrative in turn) in one cycle."""
    rows = "".join(
        f"2025-{1 + i % 9:02d}-{10 + i % 9},Course {i},AAMA,course,1,aama_ceu,"
        f"{('general', 'clinical', 'administrative')[i % 3]},AAMA,,\n"
        for i in range(100_000)
    )
    path = write(tmp_path, rows)
    proc = recommend(
        "--credential", "CMA", "--transcript", path, "--cycle-start", "2025-01-01", home=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "You are done" in proc.stdout and "counted 100000 of 60 points in total" in " ".join(
        proc.stdout.split()
    )


def test_recommend_takes_certified_on_like_recommend_gaps(tmp_path):
    """The shipped example transcript; certified 2022-02-10, AAMA: current to the end of February 2027."""
    from tests.helpers import REPO

    example = REPO / "data" / "examples" / "cma-transcript.csv"
    out = json_out(
        recommend(
            "--credential", "CMA", "--transcript", example, "--certified-on", "2022-02-10",
            "--as-of", "2026-12-01", "--format", "json", home=tmp_path,
        )
    )  # fmt: skip
    assert out["complete"] is True
    assert out["met"][0]["cycle"] == {"start": "2022-02-10", "end": "2027-02-28"}
    bad = recommend("--credential", "CMA", "--gaps", "total=5", "--state", "New Hampshire")
    assert bad.returncode == 2 and "two-letter US state code" in bad.stderr
