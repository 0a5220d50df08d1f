"""Relias Academy: the medical assistant course catalog and the all-access subscription.

Modelled on https://www.reliasacademy.com/rls/store/browse/medical-assistant. The catalog lists
`.course-card` entries in place (title link, `.hours` such as "1.50 Contact Hours", `.price`),
paginated by `a[rel=next]`; course pages are not needed. The all-access page shows one `.plan-card`
with the yearly price; it covers every Relias Academy course.
"""

from crawlers.bases import CatalogSpider
from crawlers.bases.common import joined, ref_from_url
from crawlers.items import RawOffering


class ReliasSpider(CatalogSpider):
    name = "relias"
    provider = "Relias Academy"
    base_url = "https://www.reliasacademy.com"
    start_paths = ["/rls/store/browse/medical-assistant", "/rls/store/all-access"]
    cards = ".course-card, .plan-card"
    next_page = "a[rel=next]::attr(href)"
    defaults = {"delivery": "online"}

    def parse_card(self, card, response):
        link = card.css("a.title::attr(href)").get("")
        if "plan-card" in card.attrib.get("class", ""):
            yield RawOffering(
                ref=ref_from_url(link or response.url),
                title=joined(card, ".title ::text"),
                url=response.urljoin(link),
                kind="membership",
                price_text=joined(card, ".price ::text"),
                price_basis="per_year",
                term_months="12",
                covers=f"provider={self.provider}",
                description=card.css(".summary").get(),
            )
            return
        yield RawOffering(
            ref=ref_from_url(link),
            title=joined(card, "a.title ::text"),
            url=response.urljoin(link),
            kind="course",
            price_text=joined(card, ".price ::text") or None,
            credits_text=[joined(card, ".hours ::text")],
            description=card.css(".summary").get(),
        )
