"""Normalize/Validate building blocks as ATP-style tables of inline inputs."""

from datetime import date
from decimal import Decimal

import pytest

from crawlers.items import RawOffering
from crawlers.pipelines.normalize import to_record
from crawlers.structured import extract
from crawlers.textparse import areas_text, body_names, iso_duration_hours


def record(**kw):
    raw = RawOffering(**{"ref": "x", "title": "T", "url": "https://p.example/x", "provider": "P", **kw})
    return to_record(raw, spider="s", run_day=date(2026, 1, 15))


@pytest.mark.parametrize(
    "credits_text, expected",
    [
        (["1.5 contact hours (0.15 CEU)"], ("1.5", "1.5", "contact_hour")),
        (["0.2 IACET CEUs"], (None, "0.2", "iacet_ceu")),
        (["2 AAMA CEUs"], (None, "2", "aama_ceu")),
        (["90 minutes"], ("1.5", "1.5", "contact_hour")),
        (["10 CCP points"], (None, "10", "ccp_point")),
        ([], (None, None, None)),  # nothing stated: no unit (crawled items never default one)
    ],
)
def test_credit_units_stay_explicit(credits_text, expected):
    rec, errors = record(credits_text=credits_text)
    assert not errors
    assert (rec["hours"], rec["credits"], rec["credit_unit"]) == expected


@pytest.mark.parametrize(
    "price_text, expected",
    [
        ("$39.00", ("39", None, None)),
        ("Free", ("0", None, None)),
        ("$15 - $60", (None, "15", "60")),
        ("Call for pricing", (None, None, None)),
        (None, (None, None, None)),
        ("USD 1,249.50", ("1249.5", None, None)),
    ],
)
def test_prices(price_text, expected):
    rec, errors = record(price_text=price_text)
    assert not errors
    assert (rec["price_usd"], rec["price_min_usd"], rec["price_max_usd"]) == expected


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"price_text": "-$5.00"}, "price_usd"),
        ({"credits_text": ["10,000 hours"]}, "hours"),
        ({"credits_text": ["10000 contact hours"]}, "credits"),
        ({"kind": "webinar"}, "kind"),
        ({"categories_text": ["General", "Clinical"]}, "areas"),
        ({"extras": {"currency": "EUR"}, "price_text": "30"}, "price_usd"),
    ],
)
def test_absurd_or_unmappable_values_are_errors_not_fixes(kw, field):
    _, errors = record(**kw)
    assert field in {e.field for e in errors}


def test_html_soup_becomes_plain_text():
    rec, _ = record(
        title="Law &amp; Ethics",
        description="<p>A&nbsp;&amp;&nbsp;B<script>x()</script><style>p{}</style></p>",
    )
    assert (rec["title"], rec["description"]) == ("Law & Ethics", "A & B")


def test_unknown_bodies_are_kept_in_extras():
    rec, _ = record(accepted_by_text=["AMT", "State Board of Somewhere"])
    assert rec["accepted_by"] == ["AMT"]
    assert rec["extras"]["unmapped_bodies"] == {"accepted_by": ["State Board of Somewhere"]}


@pytest.mark.parametrize(
    "text, hours",
    [("PT1H30M", Decimal("1.5")), ("P1DT2H", Decimal(26)), ("PT45M", Decimal("0.75")), ("1 hour", None)],
)
def test_iso_durations(text, hours):
    assert iso_duration_hours(text) == hours


def test_areas_and_bodies_map_onto_vocabularies():
    assert areas_text(["Content area: Clinical"]) == "clinical"
    assert areas_text(["General: 1, Administrative: 0.5"]) == "general:1;administrative:0.5"
    assert body_names(["National Healthcareer Association", "AMT and AMCA"]) == (["NHA", "AMT", "AMCA"], [])


def test_type_list_and_https_context_in_one_block_broken_in_another():
    html = """<script type="application/ld+json">{"@context": "http://schema.org", "@type": ["Product", "Course"],
    "name": "A", "offers": {"price": 5}}</script><script type="application/ld+json">{nope</script>"""
    ex = extract(html, "https://p.example/a")
    assert [c.title for c in ex.courses] == ["A"] and ex.courses[0].price_text == "5"
    assert len(ex.errors) == 1 and "broken JSON-LD in script block 2" in ex.errors[0]
