"""CatalogSpider: start pages -> listing (cards and/or links to course pages, pagination) -> items.

Subclasses set `provider`, `base_url`, `start_paths`, `course_links` and/or `cards`, `next_page`,
`defaults`, and implement `parse_course(response, course)` and/or `parse_card(card, response)`.
`base_url` can be overridden (`-a base_url=...`, the runner's --base-url) and `allowed_domains`
follows it, so tests crawl a fixture site on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import scrapy

from crawlers.bases.common import ReportingMixin, host_of
from crawlers.items import RawOffering


class CatalogSpider(ReportingMixin, scrapy.Spider):
    provider: ClassVar[str] = ""
    base_url: str = ""
    start_paths: ClassVar[list[str]] = ["/"]
    course_links: ClassVar[str | None] = None  # CSS for links to course pages
    cards: ClassVar[str | None] = None  # CSS for listing entries parsed in place
    next_page: ClassVar[str | None] = None  # CSS for the pagination link's href
    defaults: ClassVar[dict[str, Any]] = {}
    #: What "N credits" and a bare "CEU" mean on this site; None = not declared (never a default).
    credit_unit: ClassVar[str | None] = None
    ceu_unit: ClassVar[str | None] = None

    def __init__(self, *args, base_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url = (base_url or self.base_url).rstrip("/")
        self.allowed_domains = [host_of(self.base_url)]
        self.malformed: list[dict[str, str]] = []

    async def start(self):
        for path in self.start_paths:
            yield scrapy.Request(self.base_url + path, callback=self.parse)

    def parse(self, response):
        if self.cards:
            for card in response.css(self.cards):
                yield from self.parse_card(card, response)
        meta = {"listing": response.meta.get("listing", response.url)}  # the start page a course came from
        if self.course_links:
            yield from response.follow_all(css=self.course_links, callback=self.parse_course_page, meta=meta)
        if self.next_page:
            for href in response.css(self.next_page).getall():
                yield response.follow(href, callback=self.parse, meta=meta)

    def parse_course_page(self, response):
        ex = self.structured_data(response, provider=self.provider)
        yield from self.parse_course(response, ex.courses[0] if ex.courses else None)

    def parse_course(self, response, course: RawOffering | None) -> Iterable[RawOffering]:
        raise NotImplementedError(f"{type(self).__name__} follows course pages but has no parse_course")

    def parse_card(self, card, response) -> Iterable[RawOffering]:
        raise NotImplementedError(f"{type(self).__name__} lists cards but has no parse_card")
