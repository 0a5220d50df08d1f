"""Crawler middlewares: retries with exponential backoff, and the page URL stamped on items."""

from __future__ import annotations

import asyncio
import logging

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware

from crawlers.items import RawOffering

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware plus a pause before each retry: base * 2**(n-1) seconds, capped,
    or the server's Retry-After (also capped) on 429/503."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def _delay(self, retry: Request, response=None) -> float:
        after = response.headers.get(b"Retry-After") if response is not None else None
        if after and after.strip().isdigit():
            return min(float(after.strip()), self.cap)
        return min(self.base * 2 ** (retry.meta.get("retry_times", 1) - 1), self.cap)

    async def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            delay = self._delay(result, response)
            logger.info("retrying %s after %.2fs (HTTP %s)", request.url, delay, response.status)
            await asyncio.sleep(delay)
        return result

    async def process_exception(self, request, exception, spider=None):
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await asyncio.sleep(self._delay(result))
        return result


class StampUrl:
    """Spider middleware: an item the spider left without `url` gets the page it came from."""

    def _stamp(self, response, item):
        if isinstance(item, RawOffering) and not item.url:
            item.url = response.url
        return item

    def process_spider_output(self, response, result, spider=None):
        for item in result:
            yield self._stamp(response, item)

    async def process_spider_output_async(self, response, result, spider=None):
        async for item in result:
            yield self._stamp(response, item)
