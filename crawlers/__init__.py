"""Scrapy project: provider pages in, normalized offerings out as JSON Lines plus a crawl manifest.

Spiders extract text (crawlers/items.py RawOffering); pipelines normalize it with catalog.normalize,
validate, and deduplicate. Run with `python -m crawlers NAME --out DIR` (crawlers/run.py).
"""
