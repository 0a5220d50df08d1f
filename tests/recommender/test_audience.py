"""Issue 11, point 5: only offerings she can use — audience, eligibility, past events.

The fixture tests/fixtures/trust/audience.csv holds seven 5-contact-hour clinical courses (2.5 NHA
credits each); the cheapest is for nurses ($5), then members of the AAMA ($6), Acme Clinic staff
($7), people in New Hampshire ($8), a 2020 conference ($1, past), one whose audience is not stated
($9) and one for medical assistants ($20).
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from tests.helpers import FIXTURES, REPO, catalog, json_out, recommend

AUD = FIXTURES / "trust" / "audience.csv"
MA_CREDENTIALS = ("CMA", "RMA", "CMAS", "CCMA", "CMAA", "NCMA", "CMAC")


def plan_ids(*args: str) -> tuple[float, list[str], dict]:
    out = json_out(
        recommend(
            "--credential", "CCMA", "--offerings", AUD, "--gaps", "total=2.5", *args, "--format", "json"
        )
    )
    return out["total_cost"], [s["id"] for s in out["selected"]], out


def test_other_professions_past_events_and_limits_are_never_planned():
    cost, ids, out = plan_ids()
    assert (cost, ids) == (9.0, ["aud-unknown"])
    assert (
        "CCMA: who it is for is not stated; check with NHA that it counts for your credential before buying"
        in (out["selected"][0]["cautions"])
    )


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (("--member-of", "AAMA"), (6.0, ["aud-members"])),
        (("--employer", "acme clinic"), (7.0, ["aud-employer"])),
        (("--state", "nh"), (8.0, ["aud-state"])),
    ],
)
def test_a_limit_that_depends_on_the_person_opens_when_she_meets_it(option, expected):
    cost, ids, _ = plan_ids(*option)
    assert (cost, ids) == expected


def test_a_credential_without_an_audience_rule_takes_the_nurses_course():
    """FL-RN (a nursing credential) accepts the $5 nursing course that no MA credential may plan."""
    out = json_out(
        recommend("--credential", "FL-RN", "--offerings", AUD, "--gaps", "total=2", "--format", "json")
    )
    assert [s["id"] for s in out["selected"]] == ["aud-nurse"]


def test_gaps_say_why_a_course_for_another_profession_does_not_count(tmp_path):
    """The planner's reason, word for word, via the transcript-free path: CCMA over only the nurses' course."""
    only_nurse = tmp_path / "nurse.csv"
    lines = AUD.read_text().splitlines()
    only_nurse.write_text("\n".join([lines[0], lines[1]]) + "\n")
    proc = recommend(
        "--credential", "CCMA", "--offerings", only_nurse, "--gaps", "total=2.5", "--format", "json"
    )
    assert proc.returncode == 3
    why = json.loads(proc.stdout)["why"]
    assert "Clinical Update for Nurses (for nurses, not for medical assistants)" in why
    assert why.endswith("--allow-estimates shows the cheapest plan under named assumptions.")


def test_a_bad_audience_or_eligibility_is_a_clear_error(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    lines = AUD.read_text().splitlines()
    bad = lines[1].replace(",nursing,", ",nurse,") + "\n" + lines[2].replace("member_of=AAMA", "members=AAMA")
    (src / "bad.csv").write_text(lines[0] + "\n" + bad + "\n")
    proc = catalog("build", "--source", src, home=tmp_path / "home")
    assert proc.returncode == 1
    assert "bad.csv:2:audience: unknown audience 'nurse' (did you mean 'nursing'?)" in proc.stderr
    assert "bad.csv:3:eligibility: unknown condition 'members'" in proc.stderr


# --- the shipped catalog -------------------------------------------------------------------------------
def shipped_offerings() -> dict[str, dict]:
    rows = duckdb.sql(
        f"SELECT id, audience, eligibility, kind, delivery, valid_from, valid_until, approved_by, accepted_by "
        f"FROM '{REPO / 'data' / 'snapshot' / 'offerings.parquet'}'"
    ).fetchall()
    cols = (
        "id",
        "audience",
        "eligibility",
        "kind",
        "delivery",
        "valid_from",
        "valid_until",
        "approved_by",
        "accepted_by",
    )
    return {r[0]: dict(zip(cols, r, strict=True)) for r in rows}


def planned_ids(out: dict) -> set[str]:
    """Every offering a plan (or the estimate it carries) buys: courses and memberships."""
    ids = set()
    for p in (out, out.get("estimate") or {}):
        ids |= {s["id"].split("~")[0] for s in p.get("selected", [])}
        ids |= {m["id"].split("~")[0] for m in p.get("memberships", [])}
    return ids


@pytest.mark.parametrize("code", MA_CREDENTIALS)
def test_shipped_plans_hold_no_other_profession_no_past_and_no_restricted_event(code, tmp_path):
    from recommender.rules import load_credential

    cred = load_credential(code)
    assert cred.audience is not None and "medical_assistant" in cred.audience.accepts
    offerings = shipped_offerings()
    today = date.today()
    seen = set()
    for extra in ((), ("--allow-estimates",), ("--gaps", "total=5")):
        proc = recommend("--credential", code, *extra, "--format", "json", home=tmp_path)
        assert proc.returncode in (0, 3), proc.stderr
        ids = planned_ids(json.loads(proc.stdout))
        seen |= ids
        for i in ids:
            o = offerings[i]
            vouched = code and (
                cred.body in (o["approved_by"] or []) or cred.body in (o["accepted_by"] or [])
            )
            audience = set(filter(None, (o["audience"] or "").split(";")))
            assert not audience or audience & set(cred.audience.accepts) or vouched, (code, i, audience)
            assert o["eligibility"] in ("", f"certified_by={cred.body}"), (code, i, o["eligibility"])
            assert o["valid_until"] is None or o["valid_until"] >= today, (code, i)
            is_event = o["kind"] == "conference" or o["delivery"] in (
                "in_person",
                "conference",
                "live_webinar",
            )
            assert not is_event or o["valid_from"] is None or o["valid_from"] >= today, (code, i)
    assert "nursecom-ca-30-hour-no-test-renewal-package" not in seen
    assert "exeter-hospital-ma-ceu-session" not in seen


def test_shipped_rows_all_carry_the_audience_columns():
    """Every shipped row was tagged: the nurses', behavior analysts' and lab rows say so; the Exeter
    session is limited to its invitees and dated November 2014."""
    offerings = shipped_offerings()
    assert offerings["nursecom-ca-30-hour-no-test-renewal-package"]["audience"] == "nursing"
    assert offerings["relias-verbal-behavior"]["audience"] == "behavior_analysis"
    exeter = offerings["exeter-hospital-ma-ceu-session"]
    assert exeter["eligibility"] == "employer=Core Physicians|member_of=NHSMA"
    assert str(exeter["valid_until"]) == "2014-11-30"
    assert offerings["ace-role-ma-cardiology"]["audience"] == "medical_assistant"
