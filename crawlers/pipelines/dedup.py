"""DropDuplicates (400): one item per (spider, id) within a crawl; drops counted as `ceu/duplicates`."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawlers.pipelines import CrawlerPipeline


class DropDuplicates(CrawlerPipeline):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.seen: set[tuple[str, str]] = set()

    def process_item(self, item):
        key = (item.get("spider", ""), item.get("id", ""))
        if key in self.seen:
            self.crawler.stats.inc_value("ceu/duplicates")
            raise DropItem(f"duplicate {key[1]}")
        self.seen.add(key)
        return item
