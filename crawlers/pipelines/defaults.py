"""ApplyProviderDefaults (100): fill what the spider left empty from its `provider` and `defaults`."""

from __future__ import annotations

from dataclasses import fields

from crawlers.items import RawOffering
from crawlers.pipelines import CrawlerPipeline

_NAMES = {f.name for f in fields(RawOffering)}


class ApplyProviderDefaults(CrawlerPipeline):
    def process_item(self, item):
        if not isinstance(item, RawOffering):
            return item
        spider = self.crawler.spider
        defaults = {"provider": getattr(spider, "provider", ""), **(getattr(spider, "defaults", None) or {})}
        for key, value in defaults.items():
            if key in _NAMES and not getattr(item, key):
                setattr(item, key, list(value) if isinstance(value, (list, tuple)) else value)
        return item
