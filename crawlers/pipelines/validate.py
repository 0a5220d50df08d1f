"""Validate (300): drop an invalid item with one log line, counted by field as `ceu/invalid/<field>`.

Non-fatal problems of a kept item (an unknown credit unit, credits contradicting the duration) are
counted by field as `ceu/problems/<field>` and listed on the spider for the crawl manifest.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from crawlers.pipelines import CrawlerPipeline

logger = logging.getLogger(__name__)


class Validate(CrawlerPipeline):
    def process_item(self, item):
        if not isinstance(item, dict):
            return item
        errors = item.pop("_errors", [])
        problems = item.pop("_problems", [])
        stats = self.crawler.stats
        spider = self.crawler.spider
        if errors:
            stats.inc_value("ceu/invalid")
            for field in dict.fromkeys(e.field for e in errors):
                stats.inc_value(f"ceu/invalid/{field}")
            detail = "; ".join(str(e) for e in errors)
            logger.warning(
                "invalid item %s %s (%s): %s", spider.name, item.get("ref"), item.get("url"), detail
            )
            raise DropItem(f"invalid: {detail}")
        for problem in problems:
            stats.inc_value(f"ceu/problems/{problem['field']}")
            report = getattr(spider, "report_problem", None)
            if report is not None:
                report(item.get("url", ""), problem["field"], problem["message"])
        return item
