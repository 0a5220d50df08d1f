"""AMCA (American Medical Certification Association): CE volumes for recertification.

Modelled on https://www.amcaexams.com/stay-certified/. Each CE volume is a `.product` block with
its name (`h2`), credits (`.ce-credits`, "10 CE Credits"), a sale price (`.price ins`) or a regular
price (`.price`), and an HTML description. The regular price shown struck through is kept in extras.
"""

from catalog.vocab import Unit
from crawlers.bases import CatalogSpider
from crawlers.bases.common import joined, ref_from_url
from crawlers.items import RawOffering


class AmcaSpider(CatalogSpider):
    name = "amca"
    provider = "AMCA"
    base_url = "https://www.amcaexams.com"
    start_paths = ["/stay-certified/"]
    cards = ".product"
    defaults = {"kind": "course", "delivery": "online", "accepted_by_text": ["AMCA"]}
    credit_unit = Unit.AMCA_CREDIT.value

    def parse_card(self, card, response):
        link = card.css("h2 a::attr(href)").get("")
        sale = joined(card, ".price ins ::text")
        regular = joined(card, ".price del ::text")
        raw = RawOffering(
            ref=ref_from_url(link),
            title=joined(card, "h2 ::text"),
            url=response.urljoin(link),
            price_text=sale or joined(card, ".price ::text") or None,
            credits_text=[joined(card, ".ce-credits ::text")],
            description=card.css(".description").get(),
        )
        if regular:
            raw.other_prices = [{"label": "regular (struck through)", "price_text": regular}]
        yield raw
