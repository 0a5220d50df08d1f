"""ace crawled from its hand-made fixture site (tests/fixtures/sites/ace/)."""

import pytest

from tests.crawlers.spider_fixture import crawl_site


@pytest.fixture(scope="module")
def run(serve_site, tmp_path_factory):
    return crawl_site("ace", serve_site, tmp_path_factory)


def test_follows_course_links_and_pagination(run):
    assert sorted(run[0]) == ["ace:cardiology-role", "ace:diabetes-care", "ace:hipaa-refresher"]


def test_price_from_jsonld_credit_and_area_from_html(run):
    c = run[0]["ace:cardiology-role"]
    assert (c["price_usd"], c["credits"], c["credit_unit"], c["areas"]) == (
        "9.95",
        "2",
        "contact_hour",
        "clinical",
    )
    assert c["title"] == "The Medical Assistant's Role in Cardiology"
    assert c["accepted_by"] == ["AAMA", "AMT"]


def test_page_without_jsonld_is_reported_and_keeps_null_price(run):
    items, m = run
    assert items["ace:diabetes-care"]["price_usd"] is None
    assert [p["url"].rsplit("/", 2)[-2] for p in m["malformed_pages"]] == ["diabetes-care"]
