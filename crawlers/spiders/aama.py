"""AAMA continuing education: e-Learning Center, CMA Today CE articles and self-study.

Modelled on https://www.aama-ntl.org/continuing-education. Each product line has a listing page
(start_paths) whose `a.product-card` links lead to /store/product/<slug>. A product page gives the
title (h1), the AAMA CEUs and content area in `.ceu-info` ("1.5 AAMA CEUs (Clinical)"), member and
nonmember prices in `.price-member` / `.price-nonmember`, and `.product-description`. The listing
it was reached from sets delivery (e-Learning: online, CMA Today: journal, self-study: self_study).
"""

from catalog.vocab import Unit
from crawlers.bases import CatalogSpider
from crawlers.bases.common import joined, ref_from_url
from crawlers.items import RawOffering

_DELIVERY = {"e-learning-center": "online", "cma-today": "journal", "self-study": "self_study"}


class AamaSpider(CatalogSpider):
    name = "aama"
    provider = "AAMA"
    base_url = "https://www.aama-ntl.org"
    start_paths = [
        "/continuing-education/e-learning-center",
        "/continuing-education/cma-today",
        "/continuing-education/self-study",
    ]
    course_links = "a.product-card"
    next_page = "a.next-page::attr(href)"
    defaults = {"kind": "course", "approved_by_text": ["AAMA"]}
    credit_unit = Unit.AAMA_CEU.value
    ceu_unit = Unit.AAMA_CEU.value  # a bare "CEU" on aama-ntl.org is an AAMA CEU

    def parse_course(self, response, course):
        line = ref_from_url(response.meta.get("listing", ""))
        info = joined(response, ".ceu-info ::text")
        yield RawOffering(
            ref=ref_from_url(response.url),
            title=joined(response, "h1 ::text"),
            price_text=joined(response, ".price-nonmember ::text") or None,
            member_price_text=joined(response, ".price-member ::text") or None,
            credits_text=[info],
            categories_text=[info],
            delivery=_DELIVERY.get(line),
            description=response.css(".product-description").get(),
            extras={"product_line": line},
        )
