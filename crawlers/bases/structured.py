"""StructuredDataSpider: any site publishing schema.org Course data (JSON-LD, microdata, RDFa).

Starts at `start_url`, reads sitemap.xml, follows same-site links, and yields one item per course
(crawlers.structured does the reading). A listing entry that only links to its course page is
followed rather than yielded, so the page with the full data wins. Subclasses made from
crawlers/sources.toml set `start_url`, `provider` and `defaults` only.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlparse

import scrapy
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

from catalog.vocab import Unit
from crawlers.bases.common import ReportingMixin, host_of


class StructuredDataSpider(ReportingMixin, scrapy.Spider):
    start_url: str = ""
    provider: str | None = None
    defaults: ClassVar[dict[str, Any]] = {}
    credit_unit: str = Unit.CONTACT_HOUR.value
    ceu_unit: str = Unit.IACET_CEU.value
    follow_links: bool = True

    def __init__(
        self,
        *args,
        url: str | None = None,
        base_url: str | None = None,
        provider: str | None = None,
        credit_unit: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        start = url or self.start_url
        if base_url:  # keep the configured path, swap the host (tests serve fixtures locally)
            path = urlparse(start).path if start and not url else "/"
            start = url or base_url.rstrip("/") + (path or "/")
        if not start:
            raise ValueError(f"spider {self.name!r} needs a start URL: -a url=https://example.org/")
        self.start_url = start
        self.provider = provider or self.provider
        self.credit_unit = credit_unit or self.credit_unit
        self.allowed_domains = [host_of(start)]
        self.links = LinkExtractor()  # allow_domains compares host:port; _same_site compares hosts
        self.malformed: list[dict[str, str]] = []

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse)
        origin = "{0.scheme}://{0.netloc}".format(urlparse(self.start_url))
        yield scrapy.Request(origin + "/sitemap.xml", callback=self.parse_sitemap, priority=-1)

    def parse_sitemap(self, response):
        try:
            sitemap = Sitemap(response.body)
        except Exception as e:  # lxml refuses some broken sitemaps outright
            self.report_malformed(response.url, f"unreadable sitemap: {e}")
            return
        for entry in sitemap:
            loc = entry.get("loc")
            if loc:
                yield response.follow(
                    loc, callback=self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse
                )

    def parse(self, response):
        ex = self.structured_data(response, provider=self.provider)
        if not ex.has_data:
            self.crawler.stats.inc_value("ceu/pages_without_data")
        elsewhere = set()
        for raw in ex.courses:
            if self._same_site(raw.url) and _norm(raw.url) != _norm(response.url):
                elsewhere.add(_norm(raw.url))
                yield response.follow(raw.url, callback=self.parse)  # the course's own page has the full data
            else:
                yield raw
        if self.follow_links and hasattr(response, "text"):
            for link in self.links.extract_links(response):
                if self._same_site(link.url) and _norm(link.url) not in elsewhere:
                    yield response.follow(link.url, callback=self.parse)

    def _same_site(self, url: str) -> bool:
        return host_of(url) in self.allowed_domains


def _norm(url: str) -> str:
    p = urlparse(url)
    return f"{p.netloc}{p.path.rstrip('/')}?{p.query}"
