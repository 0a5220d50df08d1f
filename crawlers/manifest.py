"""A spider's crawl manifest entry, shared by the runner (crawlers/run.py) and the Scrapyd sidecar.

`FeedManifest` (an extension, on with the CEU_FEED_MANIFEST setting) writes the entry next to each
local file feed as `<feed stem>.manifest.json` when the spider closes. Scrapyd's `items_dir` serves
it beside the items (`/items/<project>/<spider>/<job>.manifest.json`), which is how
`catalog refresh --scrapyd` collects each job's stats without reading logs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from scrapy import signals
from scrapy.exceptions import NotConfigured


def manifest_entry(
    crawler,
    *,
    file: str,
    items: int,
    providers: set[str],
    finish_reason: str | None = None,
    end_time: datetime | None = None,
) -> dict[str, Any]:
    """The manifest entry of one finished spider (counts from its stats, items from its feed)."""
    stats = crawler.stats.get_stats()
    spider = crawler.spider
    return {
        "spider": spider.name,
        "source": f"spider:{spider.name}",
        "file": file,
        "start_time": _iso(stats.get("start_time")),
        "end_time": _iso(end_time or stats.get("finish_time")),
        "finish_reason": finish_reason or stats.get("finish_reason"),
        "items": items,
        "invalid": stats.get("ceu/invalid", 0),
        "invalid_by_reason": _by_field(stats, "ceu/invalid/"),
        "duplicates": stats.get("ceu/duplicates", 0),
        "errors": stats.get("log_count/ERROR", 0),
        "malformed_pages": list(getattr(spider, "malformed", [])),
        "problems": _by_field(stats, "ceu/problems/"),
        "problem_details": list(getattr(spider, "problems", [])),
        "pages_without_data": stats.get("ceu/pages_without_data", 0),
        "requests": stats.get("downloader/request_count", 0),
        "retries": stats.get("retry/count", 0),
        "robots_forbidden": stats.get("robotstxt/forbidden", 0),
        "providers": sorted(p for p in providers if p),
    }


def _by_field(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return None


class FeedManifest:
    """Writes `<feed stem>.manifest.json` beside every local file feed when the spider closes."""

    def __init__(self, crawler):
        if not crawler.settings.getbool("CEU_FEED_MANIFEST"):
            raise NotConfigured
        self.crawler = crawler
        self.items = 0
        self.providers: set[str] = set()
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def item_scraped(self, item, response=None, spider=None):
        self.items += 1
        if isinstance(item, dict):
            self.providers.add(item.get("provider") or "")

    def spider_closed(self, spider, reason):
        for uri in self.crawler.settings.getdict("FEEDS"):
            parsed = urlparse(str(uri) % {"name": spider.name})
            if parsed.scheme not in ("", "file"):
                continue  # only local files: Scrapyd serves them from its items_dir
            feed = Path(unquote(parsed.path))
            entry = manifest_entry(
                self.crawler,
                file=feed.name,
                items=self.items,
                providers=self.providers,
                finish_reason=reason,
                end_time=datetime.now(UTC),
            )
            sidecar = feed.with_name(feed.stem + ".manifest.json")
            sidecar.write_text(json.dumps(entry, indent=2, sort_keys=True, default=str) + "\n")
