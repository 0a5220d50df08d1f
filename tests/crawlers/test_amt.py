"""amt crawled from its hand-made fixture site (tests/fixtures/sites/amt/)."""

import pytest

from tests.crawlers.spider_fixture import crawl_site


@pytest.fixture(scope="module")
def items(serve_site, tmp_path_factory):
    return crawl_site("amt", serve_site, tmp_path_factory)[0]


def test_one_item_per_table_row(items):
    assert sorted(items) == ["amt:coding-basics", "amt:infection-prevention", "amt:lab-safety"]


def test_ccp_points_including_a_bare_point(items):
    assert [
        (items[i]["credits"], items[i]["credit_unit"]) for i in ("amt:infection-prevention", "amt:lab-safety")
    ] == [("2", "ccp_point"), ("1", "ccp_point")]


def test_free_for_members_and_missing_general_price(items):
    assert items["amt:infection-prevention"]["member_price_usd"] == "0"
    coding = items["amt:coding-basics"]
    assert coding["price_usd"] is None and coding["member_price_usd"] == "10"
