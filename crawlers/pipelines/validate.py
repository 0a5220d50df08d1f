"""Validate (300): drop an invalid item with one log line, counted by field as `ceu/invalid/<field>`."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from crawlers.pipelines import CrawlerPipeline

logger = logging.getLogger(__name__)


class Validate(CrawlerPipeline):
    def process_item(self, item):
        errors = item.pop("_errors", []) if isinstance(item, dict) else []
        if not errors:
            return item
        stats = self.crawler.stats
        stats.inc_value("ceu/invalid")
        for field in dict.fromkeys(e.field for e in errors):
            stats.inc_value(f"ceu/invalid/{field}")
        detail = "; ".join(str(e) for e in errors)
        logger.warning(
            "invalid item %s %s (%s): %s", self.crawler.spider.name, item.get("ref"), item.get("url"), detail
        )
        raise DropItem(f"invalid: {detail}")
