"""`recommend gaps` run as a real subprocess (`python -m recommender gaps ...`).

The expected gaps are counted by hand from the fixture transcripts in tests/fixtures/transcripts/.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import FIXTURES, run_cli

T = FIXTURES / "transcripts"


def gaps(*args: str, columns: int = 100):
    return run_cli("recommender", "gaps", *args, env={"COLUMNS": str(columns)})


def gaps_json(*args: str) -> dict | list:
    r = gaps(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_cma_remaining_gaps_match_the_hand_count():
    """cma.csv against CMA, cycle 2021-03-01 .. 2026-02-28 (60 months), in AAMA points.

    Not counted: Pharmacology Review (2021-02-28, one day before), HIPAA in 30 Minutes (non-AAMA,
    30 < 50 minutes), the 4th CPR card (3 cards x 4 = 12 is the cap), Patient Communication
    (2026-03-01, one day after).
    Counted: Medical Law and Ethics 5 admin (AAMA); Coding and Billing 3 admin + 1 clinical (AAMA);
    3 CPR cards 12 clinical (AAMA); Infection Control Webinar 6 clinical (non-AAMA); A&P I 2 college
    credits x 15 = 30, split 15 general + 15 clinical (non-AAMA).
    Non-AAMA = 6 + 30 = 36 > 30, so 6 go; general (15, all from A&P I) must stay >= 10, so
    they come off clinical: general 15, clinical 1 + 12 + 6 + 15 - 6 = 28, admin 5 + 3 = 8.
    AAMA-approved = 5 + 4 + 12 = 21; total = 21 + 30 = 51.
    Remaining: total 60 - 51 = 9, administrative 10 - 8 = 2, approved:AAMA 30 - 21 = 9, others 0.
    """
    out = gaps_json("--credential", "CMA", "--transcript", str(T / "cma.csv"), "--cycle-start", "2021-03-01")
    assert out["remaining"] == {
        "general": 0,
        "clinical": 0,
        "administrative": 2,
        "total": 9,
        "approved:AAMA": 9,
    }
    assert {r["name"]: (r["required"], r["counted"], r["remaining"]) for r in out["requirements"]} == {
        "total": (60, 51, 9),
        "general": (10, 15, 0),
        "clinical": (10, 28, 0),
        "administrative": (10, 8, 2),
        "approved:AAMA": (30, 21, 9),
    }
    assert [r["title"] for r in out["not_counted"]] == [
        "Pharmacology Review (one day before the cycle)",
        "HIPAA in 30 Minutes",
        "Anatomy and Physiology I",
        "BLS Provider CPR card",
        "Patient Communication (after the cycle)",
    ]
    assert all(r["reason"] for r in out["not_counted"])
    assert out["cycle"] == {"start": "2021-03-01", "end": "2026-02-28"}


def test_rma_remaining_gaps_match_the_hand_count():
    """rma.csv against RMA, cycle 2022-01-01 .. 2024-12-31 (36 months), 30 CCP points.

    Counted: STEP module 8 points; Medical Ethics 2 contact hours = 2; ECG 0.5 IACET CEU = 5 hours = 5;
    Medical Terminology 1 college credit = 5 (third-party rate); CPR card: no CCP rate, but 4 stated
    hours = 4. Total 8 + 2 + 5 + 5 + 4 = 24, remaining 30 - 24 = 6.
    Not counted: Lab Safety (one day before), NHA library course (nha_credit, no hours stated),
    Billing Basics (2025-01-01, after).
    """
    out = gaps_json("--credential", "rma", "--transcript", str(T / "rma.csv"), "--cycle-start", "2022-01-01")
    assert out["remaining"] == {"general": 0, "clinical": 0, "administrative": 0, "total": 6}
    assert {r["title"]: r["reason"] for r in out["not_counted"]} == {
        "Lab Safety (one day before the cycle)": "completed 2021-12-31, before the cycle starts (2022-01-01)",
        "NHA library: Patient Safety": "NHA credits do not convert to AMT CCP points by themselves and the "
        "hours are not given; add the hours column: AMT counts 1 contact hour as 1 point",
        "Billing Basics (after the cycle)": "completed 2025-01-01, after the cycle ends (2024-12-31)",
    }
    assert "units.college_credit" in out["unverified_rules"]


def test_ccma_remaining_gaps_match_the_hand_count():
    """ccma.csv against CCMA, cycle 2023-07-01 .. 2025-06-30 (24 months), 10 NHA credits (2 hours each).

    Counted: Phlebotomy Review 2 credits; Infection Control 3 hours = 1.5; ECG 0.4 IACET CEU = 4 hours = 2;
    AAMA Telehealth: aama_ceu has no NHA rate but 1 stated hour = 0.5. Total 2 + 1.5 + 2 + 0.5 = 6,
    remaining 10 - 6 = 4.
    Not counted: Venipuncture (2023-06-30, one day before), AAMA Vaccines (aama_ceu, no hours),
    A&P I (college_credit, no hours).
    """
    out = gaps_json(
        "--credential", "CCMA", "--transcript", str(T / "ccma.csv"), "--cycle-start", "2023-07-01"
    )
    assert out["remaining"] == {"general": 0, "clinical": 0, "administrative": 0, "total": 4}
    assert out["requirements"] == [{"name": "total", "required": 10, "counted": 6, "remaining": 4}]
    assert len(out["not_counted"]) == 3


def test_several_credentials_evaluate_the_one_transcript_against_each():
    out = gaps_json(
        "--credential",
        "CMA",
        "--credential",
        "CCMA",
        "--transcript",
        str(T / "ccma.csv"),
        "--cycle-start",
        "2023-07-01",
    )
    assert [o["credential"] for o in out] == ["CMA", "CCMA"]
    # CMA, cycle 2023-07-01 .. 2028-06-30: the two NHA-credit courses have no AAMA rate and no hours;
    # Infection Control 3 clinical + ECG 0.4 IACET CEU = 4 clinical + A&P I 15 clinical (non-AAMA, 22 <= 30)
    # + AAMA Vaccines 2 clinical + AAMA Telehealth 1 general = 25 points, 3 of them AAMA-approved.
    assert out[0]["remaining"] == {
        "general": 9,
        "clinical": 0,
        "administrative": 10,
        "total": 35,
        "approved:AAMA": 27,
    }
    assert out[1]["remaining"]["total"] == 4


def test_remaining_gaps_feed_straight_into_recommend_gaps_grammar():
    from recommender.gaps import Gaps, parse_gaps

    out = gaps_json("--credential", "CMA", "--transcript", str(T / "cma.csv"), "--cycle-start", "2021-03-01")
    text = Gaps(out["remaining"]).to_text()
    assert parse_gaps(text) == out["remaining"]


def test_table_reads_well_at_80_columns():
    r = gaps(
        "--credential",
        "CMA",
        "--credential",
        "CCMA",
        "--transcript",
        str(T / "cma.csv"),
        "--cycle-start",
        "2021-03-01",
        columns=80,
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    text = r.stdout
    for expected in (
        "CMA Certified Medical Assistant (AAMA)",
        "Cycle 2021-03-01 to 2026-02-28, in AAMA recertification points",
        "Requirement",
        "Remaining",
        "approved:AAMA",
        "Not counted",
        "under 50 minutes",
        "Limit: at most 30 points from courses not approved by the AAMA: 30 used",
        "CCMA Certified Clinical Medical Assistant (NHA)",
    ):
        assert expected in text
    row = next(line for line in lines if line.strip().startswith("administrative"))
    assert row.split() == ["administrative", "10", "8", "2"]


def test_certified_on_finds_the_current_cycle():
    """AAMA: certified 2016-02-10 -> current to 2021-02-28; recertified then -> to 2026-02-28."""
    out = gaps_json(
        "--credential",
        "CMA",
        "--transcript",
        str(T / "cma.csv"),
        "--certified-on",
        "2016-02-10",
        "--as-of",
        "2024-01-01",
    )
    assert out["cycle"] == {"start": "2021-03-01", "end": "2026-02-28"}
    assert out["remaining"]["total"] == 9


def test_custom_credential_file():
    out = gaps_json(
        "--credential-file",
        str(FIXTURES / "credentials" / "acme-cert.toml"),
        "--transcript",
        str(T / "ccma.csv"),
        "--cycle-start",
        "2023-07-01",
    )
    # Only NHA- or AMT-approved rows are accepted: Phlebotomy Review 2 NHA credits = 4 hours (in the
    # 12-month cycle); the Venipuncture course is one day early.
    assert out["remaining"] == {
        "general": 0,
        "clinical": 0,
        "administrative": 0,
        "total": 4,
        "topic:ethics": 2,
    }
    assert "not accepted by NHA/AMT" in {r["reason"] for r in out["not_counted"]}


def test_unknown_credential_lists_the_known_ones():
    r = gaps("--credential", "CNA", "--transcript", str(T / "cma.csv"), "--cycle-start", "2021-03-01")
    assert r.returncode == 1 and r.stdout == ""
    assert "unknown credential 'CNA'" in r.stderr
    assert "known: CCMA, CMA, CMAA, CMAC, CMAS, FL-RN, NCMA, RMA" in r.stderr


def test_bad_transcript_names_file_line_and_column():
    bad = T / "bad.csv"
    r = gaps(
        "--credential", "CMA", "--transcript", str(bad), "--cycle-start", "2021-03-01", "--format", "json"
    )
    assert r.returncode == 1 and r.stdout == ""
    assert f"{bad}:2:completed_on: not an ISO date" in r.stderr
    assert f"{bad}:6:areas: split sums to 2, but credits is 3" in r.stderr


def test_broken_credential_file_names_the_field(tmp_path):
    p = tmp_path / "broken.toml"
    p.write_text(
        (FIXTURES / "credentials" / "acme-cert.toml").read_text().replace("amount = 8", 'amount = "8"')
    )
    r = gaps("--credential-file", str(p), "--transcript", str(T / "ccma.csv"), "--cycle-start", "2023-07-01")
    assert r.returncode == 1
    assert f"{p}: total.amount: must be a non-negative number" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--credential", "CMA", "--transcript", str(T / "cma.csv")),
        (
            "--credential",
            "CMA",
            "--transcript",
            str(T / "cma.csv"),
            "--cycle-start",
            "2021-03-01",
            "--certified-on",
            "2021-03-01",
        ),
        ("--credential", "CMA", "--transcript", str(T / "cma.csv"), "--cycle-start", "2021-02-30"),
        ("--transcript", str(T / "cma.csv"), "--cycle-start", "2021-03-01"),
    ],
)
def test_usage_errors_exit_2(args):
    r = gaps(*args)
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""


def test_help_ends_with_an_example():
    r = gaps("--help")
    assert r.returncode == 0
    assert (
        "recommend gaps --credential CMA --transcript my-transcript.csv --cycle-start 2022-03-01" in r.stdout
    )


def test_rules_modules_import_light():
    """scipy (only when a cap binds) and rich (only for tables) load lazily; never pandas/scrapy/sklearn."""
    import subprocess
    import sys

    code = (
        "import sys, recommender.gaps_cli, recommender.evaluate, recommender.rules; "
        "print(sorted(m for m in ('scipy', 'rich', 'pandas', 'scrapy', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
