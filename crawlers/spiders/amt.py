"""AMT (American Medical Technologists): CE courses that earn CCP points.

Modelled on https://www.americanmedtech.org/Stay-Certified. The CE page has a `table.ce-courses`,
one row per course: title link (td.title a), CCP points (td.points, "2 CCP points"), member price
(td.member) and non-member price (td.nonmember). Rows are parsed in place.
"""

from catalog.vocab import Unit
from crawlers.bases import CatalogSpider
from crawlers.bases.common import joined, ref_from_url
from crawlers.items import RawOffering


class AmtSpider(CatalogSpider):
    name = "amt"
    provider = "AMT"
    base_url = "https://www.americanmedtech.org"
    start_paths = ["/Stay-Certified/CE-Courses"]
    cards = "table.ce-courses tbody tr"
    defaults = {"kind": "course", "delivery": "online", "accepted_by_text": ["AMT"]}
    credit_unit = Unit.CCP_POINT.value

    def parse_card(self, row, response):
        link = row.css("td.title a::attr(href)").get("")
        yield RawOffering(
            ref=ref_from_url(link),
            title=joined(row, "td.title ::text"),
            url=response.urljoin(link),
            price_text=joined(row, "td.nonmember ::text") or None,
            member_price_text=joined(row, "td.member ::text") or None,
            credits_text=[joined(row, "td.points ::text")],
        )
