"""netce: a config-only source (crawlers/sources.toml) on its hand-made fixture site."""

import pytest

from tests.crawlers.spider_fixture import crawl_site


@pytest.fixture(scope="module")
def items(serve_site, tmp_path_factory):
    return crawl_site("netce", serve_site, tmp_path_factory)[0]


def test_structured_data_source_needs_no_code(items):
    assert sorted(items) == ["netce:96541", "netce:98712"]
    assert {r["provider"] for r in items.values()} == {"NetCE"}
    assert {r["delivery"] for r in items.values()} == {"online"}  # default from the sources line


def test_bare_number_of_credits_uses_the_source_unit(items):
    assert (items["netce:98712"]["credits"], items["netce:98712"]["credit_unit"]) == ("5", "contact_hour")
