"""Every spider has its fixture site (with the hand-made header), its test file and a matching name."""

import inspect
import os
from pathlib import Path

import pytest

from crawlers.loader import load_sources
from tests.crawl_helpers import HEADER, ROOT, SITES

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")


def _names():
    from crawlers.run import spider_names

    return spider_names()


@pytest.mark.parametrize("name", _names())
def test_spider_has_fixture_site_test_file_and_matching_stem(name):
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    cls = load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings).load(name)
    if name in load_sources():
        assert cls.__module__ == "crawlers.sources"
    else:
        assert Path(inspect.getfile(cls)).stem == name
        doc = inspect.getmodule(cls).__doc__ or ""
        assert "http" in doc or "url=" in doc, "the module docstring names the source URL"
    site = SITES / name
    pages = list(site.rglob("*.html"))
    assert pages, f"{site} has no fixture pages"
    for page in pages:
        text = page.read_bytes().decode("utf-8", "replace")
        assert (
            text.startswith(HEADER) and "(seen 2026-11-24). Titles and prices are illustrative. -->" in text
        ), page
    assert (ROOT / "tests" / "crawlers" / f"test_{name}.py").is_file()


@pytest.mark.parametrize("name", _names())
def test_spider_is_in_the_docs_table(name):
    assert f"| `{name}` |" in (ROOT / "docs" / "crawling.md").read_text()


def test_fixture_links_are_never_absolute_to_a_real_host():
    for page in SITES.rglob("*.html"):
        body = page.read_bytes().decode("utf-8", "replace").split("-->", 1)[1]
        assert 'href="http' not in body and '"url": "http' not in body, page
