"""crawlers.units: a crawled unit is what the page states, resolved only when unambiguous."""

from decimal import Decimal

import pytest

from crawlers.units import duration_hours, read_credits


@pytest.mark.parametrize(
    "credits, duration, declared, expected",
    [
        (["2 CEUs"], "2 hours", {}, ("2", "contact_hour", "CEUs", "2")),  # one per hour: not IACET
        (["0.6 CEUs"], "PT6H", {}, ("0.6", "iacet_ceu", "CEUs", "6")),  # 0.1 per hour: IACET
        (["1.5 CEUs"], None, {}, ("1.5", None, "CEUs", None)),  # no duration: unknown
        (["5 CEUs"], "PT2H", {}, ("5", None, "CEUs", "2")),  # neither ratio: unknown
        (["1.5 CEUs"], None, {"ceu_unit": "aama_ceu"}, ("1.5", "aama_ceu", "CEUs", None)),  # declared
        (["3"], None, {}, ("3", None, None, None)),  # bare number: no unit word invented
        (["3"], None, {"credit_unit": "nha_credit"}, ("3", "nha_credit", None, None)),
        (["1 CE credit"], None, {}, ("1", None, "CE credit", None)),
        (["1.5 contact hours (0.15 CEU)"], None, {}, ("1.5", "contact_hour", "contact hours", "1.5")),
        (["2 AAMA CEUs"], "PT2H", {}, ("2", "aama_ceu", "AAMA CEUs", "2")),
        ([], "PT1H", {}, (None, None, None, "1")),  # a duration alone is no credit
    ],
)
def test_units_are_facts(credits, duration, declared, expected):
    r = read_credits(credits, duration, **declared)
    got = (r.credits, r.unit, r.unit_text, r.hours)
    assert tuple(None if v is None else str(v) for v in got) == expected
    assert bool(r.problems) == (r.credits is not None and r.unit is None)


@pytest.mark.parametrize(
    "credits, duration",
    [(["20 contact hours"], "PT2H"), (["0.2 contact hours"], "2 hours"), (["2 IACET CEUs"], "PT2H")],
)
def test_tenfold_contradiction_is_flagged_and_withheld(credits, duration):
    r = read_credits(credits, duration)
    assert (r.credits, r.unit, r.hours) == (None, None, None)
    assert [f for f, _ in r.problems] == ["credits"]


@pytest.mark.parametrize(
    "text, hours",
    [
        ("PT1H30M", "1.5"),
        ("3 hours", "3"),
        ("90 minutes", "1.5"),
        ("1 hour 30 minutes", "1.5"),
        ("soon", None),
    ],
)
def test_durations(text, hours):
    assert duration_hours(text) == (None if hours is None else Decimal(hours))


def test_readers_never_count_an_unstated_unit_as_hours():
    """A crawled offering whose page states no unit: the planner counts only its stated hours, and
    `catalog search` shows the page's words marked as unclear."""
    from catalog.commands.output import credits_text
    from catalog.records import Offering
    from catalog.vocab import Kind
    from recommender.rules import hours_view
    from recommender.table import OfferingTable

    def course(oid, **kw):
        return Offering(id=oid, provider="P", title=oid, kind=Kind.COURSE, url="https://p.example/", **kw)

    table = OfferingTable.from_offerings(
        [
            course("unit-unknown", credits=Decimal(5), credit_unit=None, credit_unit_text="CEUs"),
            course("unit-unknown-2h", credits=Decimal(5), credit_unit=None, hours=Decimal(2)),
            course("contact", credits=Decimal(5)),
        ]
    )
    view = hours_view(table)
    assert list(view.counts) == [False, True, True]
    assert list(view.value[1:]) == [2.0, 5.0]
    assert (
        credits_text({"credits": 1.5, "credit_unit": None, "credit_unit_text": "CEUs"})
        == "1.5 CEUs (unit unclear)"
    )
