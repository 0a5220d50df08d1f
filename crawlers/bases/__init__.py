"""Spider bases: CatalogSpider (listing -> course pages) and StructuredDataSpider (schema.org)."""

from crawlers.bases.catalog import CatalogSpider
from crawlers.bases.structured import StructuredDataSpider

__all__ = ["CatalogSpider", "StructuredDataSpider"]
