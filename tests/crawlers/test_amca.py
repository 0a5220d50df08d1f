"""amca crawled from its hand-made fixture site (tests/fixtures/sites/amca/)."""

import pytest

from tests.crawlers.spider_fixture import crawl_site


@pytest.fixture(scope="module")
def items(serve_site, tmp_path_factory):
    return crawl_site("amca", serve_site, tmp_path_factory)[0]


def test_every_volume(items):
    assert sorted(items) == ["amca:ce-volume-1", "amca:ce-volume-2"]


def test_sale_price_wins_and_regular_price_is_kept(items):
    v2 = items["amca:ce-volume-2"]
    assert v2["price_usd"] == "158"
    assert v2["extras"]["other_prices"] == [{"label": "regular (struck through)", "price_text": "$199.00"}]


def test_amca_credits_and_script_free_description(items):
    v1 = items["amca:ce-volume-1"]
    assert (v1["credits"], v1["credit_unit"]) == ("10", "amca_credit")
    assert v1["description"] == "Ten courses & quizzes."
