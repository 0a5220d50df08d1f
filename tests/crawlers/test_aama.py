"""aama crawled from its hand-made fixture site (tests/fixtures/sites/aama/)."""

import pytest

from tests.crawlers.spider_fixture import crawl_site


@pytest.fixture(scope="module")
def items(serve_site, tmp_path_factory):
    return crawl_site("aama", serve_site, tmp_path_factory)[0]


def test_follows_all_three_product_lines_and_pagination(items):
    assert sorted(items) == [
        "aama:cma-today-sepsis",
        "aama:hipaa-privacy",
        "aama:self-study-ethics",
        "aama:self-study-pharmacology",
    ]


def test_product_line_sets_delivery(items):
    assert {i: r["delivery"] for i, r in items.items()} == {
        "aama:cma-today-sepsis": "journal",
        "aama:hipaa-privacy": "online",
        "aama:self-study-ethics": "self_study",
        "aama:self-study-pharmacology": "self_study",
    }


def test_aama_ceus_stay_aama_ceus_not_hours(items):
    sepsis = items["aama:cma-today-sepsis"]
    assert (sepsis["credits"], sepsis["credit_unit"], sepsis["hours"], sepsis["areas"]) == (
        "2",
        "aama_ceu",
        None,
        "clinical",
    )
    assert items["aama:self-study-ethics"]["credit_unit"] == "aama_ceu"  # a bare "CEU" on this site


def test_area_split_is_kept(items):
    p = items["aama:self-study-pharmacology"]
    assert (p["areas"], p["credits_general"], p["credits_clinical"]) == ("general:1;clinical:2", "1", "2")


def test_member_and_nonmember_prices(items):
    hipaa = items["aama:hipaa-privacy"]
    assert (hipaa["price_usd"], hipaa["member_price_usd"]) == ("25", "0")


def test_call_for_pricing_stays_null_and_is_kept_as_text(items):
    ethics = items["aama:self-study-ethics"]
    assert ethics["price_usd"] is None
    assert ethics["extras"]["price_text"] == "Call for pricing"


def test_descriptions_are_plain_text(items):
    assert items["aama:cma-today-sepsis"]["description"] == "Read the CMA Today article, then take the test."
    assert (
        items["aama:hipaa-privacy"]["description"] == "Protect patient information & avoid common breaches."
    )
