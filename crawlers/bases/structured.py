"""StructuredDataSpider: any site publishing schema.org Course data (JSON-LD, microdata, RDFa).

Starts at `start_url`, reads sitemap.xml, follows same-site links, and yields one item per course
(crawlers.structured does the reading). A course listed on one page with its own same-site `url` is
one item: its own page is fetched and, when that page marks the course up again, the two are merged
(the course page wins, the listing fills gaps); when it does not (no markup, an error, robots.txt),
the listing's data is the item. Subclasses made from crawlers/sources.toml set `start_url`,
`provider`, `defaults` and the unit declarations `credit_unit` / `ceu_unit` only.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlparse

import scrapy
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

from crawlers.bases.common import ReportingMixin, host_of
from crawlers.items import RawOffering


class StructuredDataSpider(ReportingMixin, scrapy.Spider):
    start_url: str = ""
    provider: str | None = None
    defaults: ClassVar[dict[str, Any]] = {}
    #: What "N credits" / a bare numberOfCredits means on this site, and what a bare "CEU" means;
    #: None (the default) = not declared: crawlers.units resolves it or leaves it unknown.
    credit_unit: str | None = None
    ceu_unit: str | None = None
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
        self.pending: dict[str, RawOffering] = {}  # course URL -> listing data awaiting its own page
        self.done: set[str] = set()  # course pages parsed or failed
        self.yielded: set[str] = set()  # course URLs already yielded

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse, errback=self.page_failed)
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
                index = sitemap.type == "sitemapindex"
                yield response.follow(
                    loc,
                    callback=self.parse_sitemap if index else self.parse,
                    errback=None if index else self.page_failed,
                )

    def parse(self, response):
        ex = self.structured_data(response, provider=self.provider)
        if not ex.has_data:
            self.crawler.stats.inc_value("ceu/pages_without_data")
        here = {_norm(u) for u in [response.url, *response.meta.get("redirect_urls", [])]}
        own = [raw for raw in ex.courses if _norm(raw.url) in here]
        for raw in ex.courses:
            key = _norm(raw.url)
            if key in here:
                waiting = self.pending.get(key)
                if raw.extras.get("_link") or len(own) == 1 or (waiting and _same_title(waiting, raw)):
                    yield from self._emit(key, raw)  # its own page: merge the listing data waiting for it
                else:
                    yield raw  # one of several courses sharing this page, none with a URL of its own
            elif not self._same_site(raw.url):
                yield raw
            else:
                yield from self._listed(key, raw, response)
        for key in here:  # a listed course whose own page did not mark it up: the listing's data
            self.done.add(key)
            yield from self._emit(key, None)
        if self.follow_links and hasattr(response, "text"):
            urls = [link.url for link in self.links.extract_links(response)] + ex.links
            for url in urls:  # anchors, and list entries that only name a page (the dupefilter drops repeats)
                if self._same_site(url):
                    yield response.follow(url, callback=self.parse, errback=self.page_failed)

    def page_failed(self, failure):
        """A page that could not be fetched (HTTP error, robots.txt, network): listing data still counts."""
        request = failure.request
        keys = {_norm(u) for u in [request.url, *request.meta.get("redirect_urls", [])]}
        for key in keys:
            self.done.add(key)
            yield from self._emit(key, None)

    def _listed(self, key: str, raw: RawOffering, response):
        """A course listed here with its own same-site page: one item, whichever page is read first."""
        if key in self.yielded:
            return
        if key in self.done:  # its page was read and did not mark it up (or failed)
            yield from self._emit(key, raw)
            return
        if key in self.pending:
            _fill(self.pending[key], raw)
            return
        self.pending[key] = raw
        yield response.follow(raw.url, callback=self.parse, errback=self.page_failed)

    def _emit(self, key: str, raw: RawOffering | None):
        listed = self.pending.pop(key, None)
        if raw is None:
            raw = listed
        elif listed is not None:
            _fill(raw, listed)
        if raw is not None and key not in self.yielded:
            self.yielded.add(key)
            yield raw

    def _same_site(self, url: str) -> bool:
        return host_of(url) in self.allowed_domains


def _same_title(a: RawOffering, b: RawOffering) -> bool:
    return " ".join(a.title.casefold().split()) == " ".join(b.title.casefold().split())


def _fill(target: RawOffering, source: RawOffering) -> None:
    """Fill the empty fields of `target` (the course page's data) from `source` (a listing's)."""
    for name in RawOffering.__slots__:
        if name != "extras" and not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
    for k, v in source.extras.items():
        target.extras.setdefault(k, v)


def _norm(url: str) -> str:
    p = urlparse(url)
    return f"{p.netloc}{p.path.rstrip('/')}?{p.query}"
