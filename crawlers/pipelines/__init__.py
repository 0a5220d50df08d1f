"""Item pipelines, in order: defaults (100), normalize (200), validate (300), dedup (400)."""


class CrawlerPipeline:
    """Base: pipelines reach the spider and stats through the crawler (Scrapy's `from_crawler`)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)
