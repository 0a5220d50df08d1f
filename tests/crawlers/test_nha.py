"""nha crawled from its hand-made fixture site (tests/fixtures/sites/nha/)."""

import pytest

from tests.crawlers.spider_fixture import crawl_site


@pytest.fixture(scope="module")
def items(serve_site, tmp_path_factory):
    return crawl_site("nha", serve_site, tmp_path_factory)[0]


def test_every_library_row(items):
    assert sorted(items) == ["nha:customer-service", "nha:ekg-rhythm-review", "nha:patient-safety-quality"]


def test_nha_credits_keep_their_unit_and_stated_hours_stay_separate(items):
    ekg = items["nha:ekg-rhythm-review"]
    assert (ekg["credits"], ekg["credit_unit"], ekg["hours"]) == ("2", "nha_credit", "4")
    assert items["nha:customer-service"]["credits"] == "0.5"


def test_included_with_membership_is_not_a_price(items):
    cs = items["nha:customer-service"]
    assert cs["price_usd"] is None
    assert cs["extras"]["price_text"] == "Included with membership"


def test_entities_decoded(items):
    assert items["nha:patient-safety-quality"]["title"] == "Patient Safety & Quality"
    assert items["nha:patient-safety-quality"]["description"] == "Reduce errors…"
