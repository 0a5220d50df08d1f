"""relias crawled from its hand-made fixture site (tests/fixtures/sites/relias/)."""

import pytest

from tests.crawlers.spider_fixture import crawl_site


@pytest.fixture(scope="module")
def items(serve_site, tmp_path_factory):
    return crawl_site("relias", serve_site, tmp_path_factory)[0]


def test_cards_across_pages_and_the_all_access_plan(items):
    assert sorted(items) == [
        "relias:all-access",
        "relias:basic-medical-terminology",
        "relias:medical-ethics-for-the-medical-assistant",
        "relias:phlebotomy-basics",
    ]


def test_contact_hours_are_hours_and_the_ceu_figure_is_kept_aside(items):
    t = items["relias:basic-medical-terminology"]
    assert (t["hours"], t["credits"], t["credit_unit"]) == ("3", "3", "contact_hour")
    assert t["extras"]["other_credits"] == {"iacet_ceu": "0.3"}


def test_price_range_is_min_and_max(items):
    t = items["relias:basic-medical-terminology"]
    assert (t["price_usd"], t["price_min_usd"], t["price_max_usd"]) == (None, "15", "60")


def test_all_access_is_a_yearly_membership_covering_relias(items):
    plan = items["relias:all-access"]
    assert (plan["kind"], plan["price_usd"], plan["price_basis"], plan["covers"], plan["term_months"]) == (
        "membership",
        "249",
        "per_year",
        "provider=Relias Academy",
        12,
    )
    assert plan["discount_pct"] == "100"


def test_call_for_pricing_is_null_not_zero(items):
    assert items["relias:phlebotomy-basics"]["price_usd"] is None
