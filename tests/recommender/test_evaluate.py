"""Transcript evaluation: what counts, toward which requirement, what does not and why."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.credentials import known_credentials, load_credential
from recommender.evaluate import allocate, evaluate
from recommender.gaps import Gaps
from recommender.transcript import TranscriptError, load_transcript, parse_transcript
from tests.helpers import FIXTURES

HEADER = "completed_on,title,provider,kind,credits,credit_unit,areas,approved_by,topics,hours\n"
START = date(2023, 3, 1)


def run(code: str, rows: str, start: date = START, **kw):
    return evaluate(load_credential(code), parse_transcript(HEADER + rows), start, **kw)


def reasons(ev) -> dict[str, str]:
    return {r["title"]: r["reason"] for r in ev.not_counted}


@pytest.mark.parametrize("code", known_credentials())
def test_an_empty_transcript_leaves_the_whole_cycle(code):
    cred = load_credential(code)
    ev = evaluate(cred, [], START)
    assert ev.gaps.remaining == Gaps.full(cred).remaining
    assert ev.not_counted == [] and all(r["counted"] == 0 for r in ev.requirements)


#: One credit in each credential's own unit, as a transcript row would carry it.
NATIVE = {
    "CMA": "aama_ceu",
    "RMA": "ccp_point",
    "CMAS": "ccp_point",
    "CCMA": "nha_credit",
    "CMAA": "nha_credit",
    "NCMA": "contact_hour",
    "CMAC": "amca_credit",
    "FL-RN": "contact_hour",
}


@pytest.mark.parametrize("code", known_credentials())
def test_a_credit_one_day_before_the_cycle_does_not_count_and_one_day_inside_does(code):
    cred = load_credential(code)
    start = date(2023, 3, 1)
    earliest = cred.earliest_day(*cred.cycle_from_start(start))  # NCCT: Jan 1 of the previous calendar year
    before = date.fromordinal(earliest.toordinal() - 1)
    first = earliest
    ev = run(
        code,
        f"{before},Before,P,course,2,{NATIVE[code]},general,AAMA,,\n"
        f"{first},Inside,P,course,2,{NATIVE[code]},general,AAMA,,\n",
        start,
    )
    total = next(r for r in ev.requirements if r["name"] == "total")
    assert total["counted"] == 2
    assert reasons(ev) == {"Before": f"completed {before}, before the cycle starts ({earliest})"}


@pytest.mark.parametrize("code", known_credentials())
def test_a_credit_after_the_last_day_does_not_count(code):
    start, end = load_credential(code).cycle_from_start(START)
    after = date.fromordinal(end.toordinal() + 1)
    ev = run(
        code, f"{end},Last day,P,course,1,{NATIVE[code]},,,,\n{after},After,P,course,1,{NATIVE[code]},,,,\n"
    )
    assert ev.requirements[0]["counted"] == 1
    assert reasons(ev) == {"After": f"completed {after}, after the cycle ends ({end})"}


def test_cma_split_area_course_counts_toward_each_area():
    ev = run("CMA", "2023-05-01,Coding,AAMA,course,4,aama_ceu,administrative:3;clinical:1,AAMA,,\n")
    counted = {r["name"]: r["counted"] for r in ev.requirements}
    assert counted == {"total": 4, "general": 0, "clinical": 1, "administrative": 3, "approved:AAMA": 4}
    assert ev.counted[0]["areas"] == {"clinical": 1, "administrative": 3}


def test_cma_fourth_cpr_card_is_not_counted():
    """3 cards x 4 clinical points = 12, the cap; the latest card is the one left out."""
    rows = "".join(f"{y}-06-01,CPR {y},AHA,cpr,1,cpr_card,,,,\n" for y in (2023, 2024, 2025, 2026))
    ev = run("CMA", rows)
    assert reasons(ev) == {"CPR 2026": "over the limit: at most 12 points from CPR cards; 4 of 4 not counted"}
    counted = {r["name"]: r["counted"] for r in ev.requirements}
    assert counted["clinical"] == 12 and counted["approved:AAMA"] == 12
    assert ev.gaps.caps_remaining == {"non_aama": 30, "cpr": 0}


def test_cma_non_aama_points_over_the_cap_are_counted_in_the_users_favour():
    """36 non-AAMA points against a cap of 30: 6 must go, and where they go matters.

    The 6-hour clinical webinar (earlier) counts in full; of the college course's 30 points
    (15 general + 15 clinical) 24 count. General comes only from the college course, so
    dropping the 6 from its general half would leave general at 9 (a gap of 1); dropping them
    from its clinical half leaves every area minimum met: general 15, clinical 6 + 9 = 15,
    administrative 0 (gap 10), total 30 (gap 30), AAMA-approved 0 (gap 30).
    """
    ev = run(
        "CMA",
        "2023-03-15,Clinical webinar,Relias,course,6,contact_hour,clinical,,,6\n"
        "2023-04-01,A&P I,Valencia College,college,2,college_credit,general:1;clinical:1,,,\n",
    )
    assert ev.gaps.remaining == {
        "general": 0,
        "clinical": 0,
        "administrative": 10,
        "total": 30,
        "approved:AAMA": 30,
    }
    by_name = {r["name"]: r["counted"] for r in ev.requirements}
    assert (by_name["general"], by_name["clinical"]) == (15, 15)
    assert [c["areas"] for c in ev.counted] == [{"clinical": 6}, {"general": 15, "clinical": 9}]
    assert ev.gaps.caps_remaining["non_aama"] == 0
    assert [(r["title"], r["amount"]) for r in ev.not_counted] == [("A&P I", 6)]


def test_cma_cap_choice_keeps_the_area_that_is_short_even_over_earlier_credits():
    """21 clinical non-AAMA points (earlier) + a 15-point administrative college course = 36.

    Counting the earlier course in full would cut the college course to 9 administrative
    points (a gap of 1). Gaps come first, so 10 administrative points are kept; among the
    equally good rest, the earlier course counts as far as it can: clinical 20, total 30.
    """
    ev = run(
        "CMA",
        "2023-03-01,Phlebotomy,Relias,course,21,contact_hour,clinical,,,21\n"
        "2023-04-01,Office management,College,college,1,college_credit,administrative,,,\n",
    )
    by_name = {r["name"]: r["counted"] for r in ev.requirements}
    assert (by_name["administrative"], by_name["clinical"], by_name["total"]) == (10, 20, 30)
    assert ev.gaps.remaining["administrative"] == 0
    assert reasons(ev) == {
        "Phlebotomy": "over the limit: at most 30 points from courses not approved by the AAMA; 1 of 21 not counted",
        "Office management": "over the limit: at most 30 points from courses not approved by the AAMA; 5 of 15 not counted",
    }


def test_cma_thirty_minute_non_aama_activity_is_not_counted_but_an_aama_one_is():
    ev = run(
        "CMA",
        "2023-05-01,HIPAA in 30 minutes,Relias,course,0.5,contact_hour,administrative,,,0.5\n"
        "2023-05-02,AAMA short quiz,AAMA,course,0.5,aama_ceu,administrative,AAMA,,0.5\n"
        "2023-05-03,One contact hour,Relias,course,1,contact_hour,administrative,,,\n",
    )
    assert reasons(ev) == {
        "HIPAA in 30 minutes": "under 50 minutes: the AAMA counts a course not approved by the AAMA only "
        "from 50 minutes on"
    }
    assert ev.requirements[0]["counted"] == 1.5


@pytest.mark.parametrize(
    "code, row, value",
    [
        ("CMA", "college,1,college_credit", 15),  # 1 college credit = 15 AAMA points
        (
            "RMA",
            "college,1,college_credit",
            5,
        ),  # third-party, unverified: 1 college credit hour = 5 CCP points
        ("CCMA", "course,3,contact_hour", 1.5),  # 2 hours = 1 NHA credit
        ("CCMA", "course,0.4,iacet_ceu", 2),  # 0.4 IACET CEU = 4 hours = 2 NHA credits
        ("NCMA", "course,1,nha_credit", 2),  # 1 NHA credit = 2 clock hours
        ("FL-RN", "course,0.25,iacet_ceu", 2.5),  # 2.5 contact hours
    ],
)
def test_unit_conversions(code, row, value):
    ev = run(code, f"2023-05-01,Course,P,{row},,,,\n")
    assert ev.requirements[0]["counted"] == value


def test_units_a_credential_does_not_list_are_not_counted_with_a_reason():
    ev = run("CCMA", "2023-05-01,College course,College,college,1,college_credit,,,,\n")
    assert reasons(ev) == {
        "College course": (
            "college credits do not convert to NHA credits by themselves and the hours are not given; "
            "add the hours column: NHA counts 2 contact hours as 1 credit"
        )
    }


FL_CORE = (
    "2023-04-01,Preventing Medical Errors,P,course,2,contact_hour,,,medical_errors,\n"
    "2023-04-02,Florida Laws and Rules,P,course,2,contact_hour,,,laws_and_rules,\n"
    "2023-04-03,Human Trafficking,P,course,1.75,contact_hour,,,human_trafficking,\n"
)


def test_florida_topic_minimums_and_half_hour_rounding():
    """1.75 h rounds down to 1.5: human trafficking is 0.5 short; total 5.5 of 26 (domestic violence due)."""
    ev = run("FL-RN", FL_CORE)
    rem = ev.gaps.remaining
    assert (rem["topic:medical_errors"], rem["topic:laws_and_rules"], rem["topic:human_trafficking"]) == (
        0,
        0,
        0.5,
    )
    assert rem["topic:workplace_impairment"] == 2 and rem["topic:domestic_violence"] == 2
    assert rem["total"] == 26 - 5.5
    assert "topic:hiv_aids" in rem and rem["topic:hiv_aids"] == 0  # only before the first renewal


def test_florida_every_other_renewal_topic_done_last_biennium_is_not_due():
    ev = run(
        "FL-RN",
        FL_CORE + "2022-03-01,Impairment in the Workplace,P,course,2,contact_hour,,,workplace_impairment,\n",
    )
    req = next(r for r in ev.requirements if r["name"] == "topic:workplace_impairment")
    assert (req["required"], req["remaining"]) == (0, 0)
    assert req["note"] == "not due: completed 2022-03-01, due every 2 cycles"
    assert "Impairment in the Workplace" in reasons(ev)  # it does not count toward this cycle's hours


def test_florida_every_other_renewal_topic_done_two_biennia_ago_is_due_again():
    ev = run(
        "FL-RN",
        FL_CORE + "2020-03-01,Impairment in the Workplace,P,course,2,contact_hour,,,workplace_impairment,\n",
    )
    assert ev.gaps.remaining["topic:workplace_impairment"] == 2


def test_florida_domestic_violence_done_in_the_last_two_cycles_drops_the_extra_two_hours():
    ev = run("FL-RN", "2020-06-01,Domestic Violence,P,course,2,contact_hour,,,domestic_violence,\n")
    assert ev.requirements[0]["required"] == 24


def test_florida_first_renewal_needs_hiv_aids():
    ev = run("FL-RN", FL_CORE, first_renewal=True)
    assert ev.gaps.remaining["topic:hiv_aids"] == 1


def test_a_topic_course_counts_toward_every_tag_and_the_total():
    ev = run(
        "FL-RN", "2023-04-01,Errors and Rules,P,course,4,contact_hour,,,medical_errors;laws_and_rules,\n"
    )
    rem = ev.gaps.remaining
    assert (rem["topic:medical_errors"], rem["topic:laws_and_rules"], rem["total"]) == (0, 0, 22)


def test_ncct_counts_outside_ce_from_the_previous_calendar_year():
    """Annual cycle starting 2023-03-01 ends 2024-02-29; the recertification year is 2024, so CE from 2023-01-01 on counts."""
    ev = run(
        "NCMA",
        "2023-01-01,Early,P,course,3,contact_hour,,,,\n2022-12-31,Too early,P,course,3,contact_hour,,,,\n",
    )
    assert ev.requirements[0]["counted"] == 3
    assert list(reasons(ev)) == ["Too early"]


def test_cma_first_renewal_carries_in_at_most_twenty_points_from_before_certification():
    rows = (
        "2023-01-15,Pre-cert A,AAMA,course,15,aama_ceu,general,AAMA,,\n"
        "2023-02-15,Pre-cert B,AAMA,course,10,aama_ceu,clinical,AAMA,,\n"
    )
    assert run("CMA", rows).requirements[0]["counted"] == 0
    ev = run("CMA", rows, first_renewal=True)
    assert ev.requirements[0]["counted"] == 20
    # 10 general + 10 clinical meets both area minimums, so 5 of the 15 general points go
    assert (
        reasons(ev)["Pre-cert A"]
        == "over the limit: at most 20 points earned before the cycle; 5 of 15 not counted"
    )


def test_fixture_transcript_for_cma_matches_the_hand_count():
    """tests/fixtures/transcripts/cma.csv, cycle 2021-03-01 to 2026-02-28 (hand count in test_gaps_cli)."""
    ev = evaluate(
        load_credential("CMA"), load_transcript(FIXTURES / "transcripts" / "cma.csv"), date(2021, 3, 1)
    )
    assert ev.gaps.remaining == {
        "general": 0,
        "clinical": 0,
        "administrative": 2,
        "total": 9,
        "approved:AAMA": 9,
    }


# --- transcript errors ------------------------------------------------------------------
def test_a_bad_transcript_names_file_line_and_column_for_every_problem():
    path = FIXTURES / "transcripts" / "bad.csv"
    with pytest.raises(TranscriptError) as e:
        load_transcript(path)
    lines = str(e.value).splitlines()
    assert [ln.split(": ", 1)[0] for ln in lines] == [
        f"{path}:2:completed_on",
        f"{path}:3:credits",
        f"{path}:4:credits",
        f"{path}:5:credit_unit",
        f"{path}:6:areas",
    ]
    assert "did you mean 'aama_ceu'" in lines[3]
    assert "split sums to 2, but credits is 3" in lines[4]


@pytest.mark.parametrize(
    "text, message",
    [
        ("completed_on,title,credts\n", "1:credts: unknown column 'credts' (did you mean 'credits'?)"),
        ("completed_on,credits\n", "1:title: missing required column 'title'"),
        (HEADER + ",No date,P,course,1,contact_hour,,,,\n", "2:completed_on: required value is empty"),
        (HEADER + "2023-01-01,X,P,webinar,1,contact_hour,,,,\n", "2:kind: unknown kind 'webinar'"),
        (HEADER + "2023-01-01,X,P,course,1,contact_hour,,AMAA,,\n", "2:approved_by: unknown body 'AMAA'"),
    ],
)
def test_transcript_errors(text, message):
    with pytest.raises(
        TranscriptError, match="^t.csv:" + message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        parse_transcript(text, "t.csv")


# --- the allocation under caps ------------------------------------------------------------
def _gap_sum(reqs, counted, by_area):
    total = 0.0
    for r in reqs:
        got = by_area[:, r["area"]].sum() if "area" in r else counted[r["mask"]].sum()
        total += max(0.0, r["required"] - got)
    return total


def _greedy(value, area_value, cap_mask, cap, order):
    """Count entries in `order`, cutting each capped one to what the cap still allows (areas pro rata)."""
    counted, by_area, left = np.zeros(len(value)), np.zeros((len(value), 3)), cap
    for i in order:
        take = value[i] if not cap_mask[i] else min(value[i], left)
        left -= take if cap_mask[i] else 0
        counted[i] = take
        by_area[i] = area_value[i] * (take / value[i] if value[i] else 0)
    return counted, by_area


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 20), st.sampled_from([0, 1, 2, None]), st.booleans()), min_size=1, max_size=7
    ),
    st.integers(0, 30),
)
def test_allocation_respects_caps_and_beats_counting_in_date_order(items, cap):
    """Whatever the transcript, the chosen allocation never exceeds a value or a cap, and its
    gaps are never larger than those of counting entries first-come-first-served (either order)."""
    n = len(items)
    value = np.array([float(v) for v, _, _ in items])
    area_value = np.zeros((n, 3))
    for i, (v, a, _) in enumerate(items):
        if a is not None:
            area_value[i, a] = v
    capped = np.array([c for _, _, c in items])
    approved = ~capped
    reqs = [
        {"name": "total", "required": 60.0, "mask": np.ones(n, dtype=bool)},
        *(
            {"name": a, "required": 10.0, "area": j}
            for j, a in enumerate(("general", "clinical", "administrative"))
        ),
        {"name": "approved:AAMA", "required": 30.0, "mask": approved},
    ]
    eligible = np.ones(n, dtype=bool)
    counted, by_area = allocate(value, area_value, eligible, reqs, [("non_aama", capped, float(cap))])
    assert (counted <= value + 1e-6).all() and (by_area <= area_value + 1e-6).all()
    assert counted[capped].sum() <= cap + 1e-6
    np.testing.assert_allclose(counted[~capped], value[~capped])
    best = _gap_sum(reqs, counted, by_area)
    for order in (range(n), reversed(range(n))):
        assert best <= _gap_sum(reqs, *_greedy(value, area_value, capped, cap, order)) + 1e-6
