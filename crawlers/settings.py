"""Scrapy settings for the CEU Planner crawlers: polite by default.

No FEEDS here: `python -m crawlers` (crawlers/run.py) sets the output per spider, and a plain
`scrapy crawl NAME -O out.jsonl` adds its own feed. Tests speed things up with `-s` overrides.
"""

BOT_NAME = "ceu-planner"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"
SPIDER_LOADER_CLASS = "crawlers.loader.SourcesSpiderLoader"

USER_AGENT = "ceu-planner-crawler/0.1 (+https://github.com/ceu-planner/ceu-planner; CE catalog research)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Exponential backoff between retries (crawlers/middlewares.py): base * 2**(attempt-1), capped.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0

# Development runs only: `-s HTTPCACHE_ENABLED=1` (kept under .scrapy/httpcache, gitignored).
HTTPCACHE_ENABLED = False
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
}
SPIDER_MIDDLEWARES = {
    "crawlers.middlewares.StampUrl": 800,
}
# CEU_FEED_MANIFEST=1 (set by `catalog refresh --scrapyd`): a <job>.manifest.json beside each file feed.
EXTENSIONS = {"crawlers.manifest.FeedManifest": 500}
CEU_FEED_MANIFEST = False
ITEM_PIPELINES = {
    "crawlers.pipelines.defaults.ApplyProviderDefaults": 100,
    "crawlers.pipelines.normalize.Normalize": 200,
    "crawlers.pipelines.validate.Validate": 300,
    "crawlers.pipelines.dedup.DropDuplicates": 400,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
