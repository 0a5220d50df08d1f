"""Helpers every spider shares: malformed-page reporting, structured-data reading, text and refs."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from scrapy.http import TextResponse

from crawlers import structured


class ReportingMixin:
    """`report_malformed` logs a warning, counts `ceu/malformed_pages` and keeps the page for the manifest."""

    def report_malformed(self, url: str, reason: str) -> None:
        if not hasattr(self, "malformed"):
            self.malformed = []
        self.malformed.append({"url": url, "reason": reason})
        self.logger.warning("malformed page %s: %s", url, reason)
        self.crawler.stats.inc_value("ceu/malformed_pages")

    def report_problem(self, url: str, field: str, message: str) -> None:
        """A kept item's (or a page's) non-fatal problem: logged and listed for the manifest."""
        if not hasattr(self, "problems"):
            self.problems = []
        self.problems.append({"url": url, "field": field, "message": message})
        self.logger.warning("problem in %s: %s: %s", url, field, message)

    def structured_data(self, response, provider: str | None = None) -> structured.Extraction:
        """schema.org courses of a page; each broken block is reported (malformed page and a
        `structured_data` problem), never fatal: the page's other blocks still count."""
        if not isinstance(response, TextResponse):
            self.report_malformed(response.url, "not an HTML page")
            return structured.Extraction()
        ex = structured.extract(response.text, response.url, provider=provider)
        for err in ex.errors:
            self.report_malformed(response.url, err)
            self.crawler.stats.inc_value("ceu/problems/structured_data")
            self.report_problem(response.url, "structured_data", err)
        return ex


def ref_from_url(url: str) -> str:
    """The last path segment as a ref: /ce/course/hipaa-basics/ -> hipaa-basics."""
    path = urlparse(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1] or "home"
    return re.sub(r"\.html?$", "", last)


def joined(selector, css: str) -> str:
    """All text under `css`, whitespace collapsed ('' when absent)."""
    return re.sub(r"\s+", " ", " ".join(selector.css(css).getall())).strip()


def host_of(url: str) -> str:
    return urlparse(url).hostname or ""
