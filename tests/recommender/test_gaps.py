"""The `--gaps` grammar of interfaces.md and the Gaps object."""

from __future__ import annotations

import pytest

from recommender.credentials import load_credential
from recommender.gaps import Gaps, GapsSyntaxError, parse_gaps


def test_the_interfaces_example_parses():
    assert parse_gaps("general=3,clinical=5,administrative=0,total=20,approved:AAMA=8") == {
        "general": 3,
        "clinical": 5,
        "administrative": 0,
        "total": 20,
        "approved:AAMA": 8,
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("clinical=5", {"general": 0, "clinical": 5, "administrative": 0, "total": 5}),
        ("general=2.5, clinical=1", {"general": 2.5, "clinical": 1, "administrative": 0, "total": 3.5}),
        ("total=10", {"general": 0, "clinical": 0, "administrative": 0, "total": 10}),
        (
            "topic:Medical-Errors=2,approved:aama=1",
            {
                "general": 0,
                "clinical": 0,
                "administrative": 0,
                "total": 0,
                "topic:medical_errors": 2,
                "approved:AAMA": 1,
            },
        ),
    ],
)
def test_missing_areas_are_zero_and_total_defaults_to_their_sum(text, expected):
    assert parse_gaps(text) == expected


@pytest.mark.parametrize(
    "text, problem",
    [
        ("clinical=-1", "clinical=-1: must be a non-negative number"),
        ("clinical=five", "clinical='five': not a number"),
        ("clinical=nan", "must be a non-negative number"),
        ("clinicl=3", "unknown key 'clinicl' (did you mean 'clinical'?)"),
        ("clinical 3", "'clinical 3' is not KEY=NUMBER"),
        ("approved:AAAM=3", "did you mean 'AAMA'?"),
        ("topic:a$b=1", "topic tags are letters, digits and underscores"),
        ("clinical=1,clinical=2", "clinical is given twice"),
        ("", "empty --gaps"),
    ],
)
def test_malformed_gaps_show_the_grammar_with_an_example(text, problem):
    with pytest.raises(GapsSyntaxError) as e:
        parse_gaps(text)
    msg = str(e.value)
    assert problem in msg
    assert "example: general=3,clinical=5,administrative=0,total=20,approved:AAMA=8" in msg
    assert "\n" not in msg


def test_gaps_round_trip_through_their_text_form():
    g = Gaps.from_text("general=1.25,topic:ethics=2,approved:NHA=3")
    assert parse_gaps(g.to_text()) == g.remaining


def test_full_gaps_of_a_credential_are_its_whole_cycle():
    assert Gaps.full(load_credential("CMA")).remaining == {
        "general": 10,
        "clinical": 10,
        "administrative": 10,
        "total": 60,
        "approved:AAMA": 30,
    }
    assert Gaps.full(load_credential("CCMA")).remaining == {
        "general": 0,
        "clinical": 0,
        "administrative": 0,
        "total": 10,
    }


def test_florida_full_gaps_include_recurring_topics_and_first_renewal_hiv():
    fl = load_credential("FL-RN")
    g = Gaps.full(fl).remaining
    assert g["total"] == 26  # 24 + 2 domestic violence, taken as due without a transcript
    assert g["topic:workplace_impairment"] == 2 and g["topic:hiv_aids"] == 0
    assert Gaps.full(fl, first_renewal=True).remaining["topic:hiv_aids"] == 1


def test_gaps_closed_only_when_everything_is_zero():
    assert Gaps.from_text("total=0").closed
    assert not Gaps.from_text("topic:ethics=0.5").closed
