"""Shared module fixture body: crawl one spider's fixture site once, index items by id."""

from tests.crawl_helpers import crawl, manifest


def crawl_site(name, serve_site, tmp_path_factory):
    out = tmp_path_factory.mktemp(name)
    rows = crawl(name, serve_site(name), out)
    return {r["id"]: r for r in rows}, manifest(out)["spiders"][name]
