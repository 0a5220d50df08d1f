"""NHA (National Healthcareer Association): the CE library for NHA-certified professionals.

Modelled on https://www.nhanow.com/certification/Before-After-Certification/continuing-education.
The library page lists `.ce-item` rows in place: title (`h3`), credit (`.credits`, e.g. "1 CE credit"),
price (`.price`; members see "Included with membership"), and a link to the course detail used as ref.
"""

from catalog.vocab import Unit
from crawlers.bases import CatalogSpider
from crawlers.bases.common import joined, ref_from_url
from crawlers.items import RawOffering


class NhaSpider(CatalogSpider):
    name = "nha"
    provider = "NHA"
    base_url = "https://www.nhanow.com"
    start_paths = ["/certification/Before-After-Certification/continuing-education"]
    cards = ".ce-item"
    next_page = "a.pager-next::attr(href)"
    defaults = {
        "kind": "course",
        "delivery": "online",
        "approved_by_text": ["NHA"],
        "accepted_by_text": ["NHA"],
    }
    credit_unit = Unit.NHA_CREDIT.value

    def parse_card(self, card, response):
        link = card.css("a::attr(href)").get("")
        yield RawOffering(
            ref=ref_from_url(link),
            title=joined(card, "h3 ::text"),
            url=response.urljoin(link),
            price_text=joined(card, ".price ::text") or None,
            credits_text=[joined(card, ".credits ::text")],
            categories_text=[joined(card, ".category ::text")],
            description=card.css(".blurb").get(),
        )
