"""The generic `structured` spider on tests/fixtures/sites/shapes/: every schema.org shape real catalogs use.

A hand-made multi-provider site (6 providers, 20 courses) served on 127.0.0.1:
- /catalog/          ItemList: ListItem.item Courses with their own url (merged with their own pages;
                     /courses/ekg-basics/ has no markup, so the listing's data is the item), and a
                     ListItem with only a url, the one way to reach /courses/medical-terminology/;
- /providers/bayside/ Organization.hasOfferCatalog -> OfferCatalog (nested) -> Offer.itemOffered Course,
                     price from the Offer, provider from the Organization; AggregateOffer; free; no price;
- /graph/            @graph with @id references (provider, hasCourseInstance, offers, Offer.itemOffered),
                     @type lists and IRIs, an http context; credits contradicting the duration tenfold;
- /schedule/         hasCourseInstance carrying offers (member / general) and courseWorkload;
- /micro/ /rdfa/     microdata (https and http itemtypes) and RDFa;
- /courses/mixed-blocks/ one broken JSON-LD block beside a good one; /courses/array-block/ a JSON array,
                     reachable only through sitemap.xml;
- pages that must yield nothing (/, /about/, /store/scrubs/ a Product, /faq/, /blog/, /missing/ 404),
  and /members-only/ disallowed by robots.txt (linked from the home page and listed in sitemap.xml).
"""

from __future__ import annotations

import pytest

from tests.crawl_helpers import SITES, crawl, manifest

# id: title, provider, path, price, min, max, member, hours, credits, credit_unit, credit_unit_text, delivery
N, B, S, K, L, H = (
    "Northwind CE",
    "Bayside Health Academy",
    "Summit Allied Education",
    "Keystone Clinical Learning",
    "Lakeside MA Institute",
    "Harbor Compliance Training",
)
EXPECTED = {
    # ItemList entries merged with their own pages (the course page's data wins)
    "nw-201": ("Wound Care Essentials", N, "/courses/wound-care/", "40", None, None, "25", "2", "2", "contact_hour", "CEUs", None),
    "nw-305": ("Infection Prevention Intensive", N, "/courses/infection-prevention/", "120", None, None, None, "6", "0.6", "iacet_ceu", "CEUs", None),
    "courses-ekg-basics": ("EKG Basics", N, "/courses/ekg-basics/", "29", None, None, None, "1", "1", "contact_hour", "contact hour", None),
    "courses-medical-terminology": ("Medical Terminology Review", N, "/courses/medical-terminology/", None, "15", "30", None, None, "1.5", None, "CEUs", None),
    # Organization.hasOfferCatalog
    "bh-1": ("Patient Intake Interviewing", B, "/providers/bayside/", "35", None, None, None, "3", "3", "contact_hour", "contact hours", None),
    "bh-2": ("Bloodborne Pathogens Update", B, "/providers/bayside/", "0", None, None, None, None, "1", None, None, None),
    "bh-3": ("Telephone Triage", B, "/providers/bayside/", "50", None, None, "35", None, "2", "aama_ceu", "AAMA CEUs", None),
    "bh-4": ("Coding Compliance Series", B, "/providers/bayside/", None, "20", "60", None, None, None, None, None, None),
    "bh-5": ("Front Desk Safety", B, "/providers/bayside/", None, None, None, None, None, None, None, None, None),
    # @graph with @id references
    "sa-10": ("Pharmacology for MAs", S, "/graph/", "60", None, None, None, "4", "4", "contact_hour", "contact hours", "online"),
    "sa-11": ("Lab Safety Review", S, "/graph/", "18", None, None, None, None, None, None, None, None),
    "sa-12": ("Vital Signs Competency", S, "/graph/", "45", None, None, None, None, None, None, "contact hours", None),
    # hasCourseInstance with offers and courseWorkload
    "kc-7": ("Phlebotomy Refresher", K, "/schedule/", "75", None, None, "55", "3", "3", "contact_hour", "contact hours", "online"),
    "kc-8": ("Injection Techniques Lab", K, "/schedule/", "150", None, None, None, "8", "0.8", "iacet_ceu", "CEU", "in_person"),
    # microdata and RDFa
    "lm-1": ("HIPAA for the Front Office", L, "/micro/", "19", None, None, None, "1", "1", "contact_hour", "contact hour", None),
    "lm-2": ("Medical Ethics Case Studies", L, "/micro/", "0", None, None, None, "2", "2", "contact_hour", "CEUs", None),
    "hc-1": ("Workplace Violence Prevention", H, "/rdfa/", "0", None, None, None, "1.5", "1.5", "contact_hour", "contact hours", None),
    # a broken block beside a good one; a top-level JSON array found only through sitemap.xml
    "hc-2": ("OSHA Bloodborne Basics", H, "/courses/mixed-blocks/", "15", None, None, None, "1", "1", "contact_hour", "contact hour", None),
    "hc-3": ("Fire Safety Basics", H, "/courses/array-block/", "12", None, None, None, None, "1", None, "credit", None),
    "hc-4": ("Emergency Preparedness", H, "/courses/array-block/", "12", None, None, None, None, None, None, None, None),
}  # fmt: skip
FIELDS = (
    "title",
    "provider",
    "path",
    "price_usd",
    "price_min_usd",
    "price_max_usd",
    "member_price_usd",
    "hours",
    "credits",
    "credit_unit",
    "credit_unit_text",
    "delivery",
)


@pytest.fixture(scope="module")
def run(serve_site, tmp_path_factory):
    out = tmp_path_factory.mktemp("shapes")
    base = serve_site("shapes")
    seen = len(
        serve_site.requests("shapes")
    )  # the server is shared by the session: only this crawl's requests
    rows = crawl("structured", base, out)
    return rows, manifest(out)["spiders"]["structured"], serve_site.requests("shapes")[seen:], base


@pytest.fixture(scope="module")
def items(run):
    return {r["id"].removeprefix("structured:"): r for r in run[0]}


def test_every_course_once_and_nothing_else(run, items):
    assert len(run[0]) == len(items) == 20  # no duplicate ids, no extra item
    assert sorted(items) == sorted(EXPECTED)
    assert len({e[1] for e in EXPECTED.values()}) == 6
    assert run[1]["duplicates"] == 0 and run[1]["invalid"] == 0


@pytest.mark.parametrize("ref", sorted(EXPECTED))
def test_every_field(run, items, ref):
    item = items[ref]
    got = {f: item.get(f) for f in FIELDS if f != "path"}
    got["path"] = item["url"].removeprefix(run[3])
    assert got == dict(zip(FIELDS, EXPECTED[ref], strict=True))


def test_disallowed_page_is_never_requested(run):
    requests = run[2]
    assert "/robots.txt" in requests
    assert not any(p.startswith("/members-only/") for p in requests)
    assert run[1]["robots_forbidden"] >= 1


def test_pages_without_courses_yield_nothing_but_are_visited(run, items):
    for path in ("/", "/about/", "/store/scrubs/", "/faq/", "/blog/", "/missing/"):
        assert path in run[2]
    pages = {item["url"].removeprefix(run[3]) for item in items.values()}
    assert not pages & {"/", "/about/", "/store/scrubs/", "/faq/", "/blog/"}


def test_listed_course_and_its_own_page_are_one_item(run):
    assert run[2].count("/courses/wound-care/") == 1  # fetched once although listed and linked
    ids = [r["id"] for r in run[0] if r["url"].endswith("/courses/wound-care/")]
    assert ids == ["structured:nw-201"]


def test_ceus_resolved_from_the_pages_own_duration(items):
    """ "2 CEUs" next to "2 hours" is one credit per hour; "0.6 CEUs" next to "6 hours" is IACET."""
    two = items["nw-201"]
    assert (two["credits"], two["credit_unit"], two["credit_unit_text"], two["hours"]) == (
        "2",
        "contact_hour",
        "CEUs",
        "2",
    )
    iacet = items["nw-305"]
    assert (iacet["credits"], iacet["credit_unit"], iacet["credit_unit_text"], iacet["hours"]) == (
        "0.6",
        "iacet_ceu",
        "CEUs",
        "6",
    )


def test_no_item_has_a_unit_its_page_did_not_state(items):
    site_text = " ".join(p.read_text(encoding="utf-8") for p in SITES.joinpath("shapes").rglob("*.html"))
    for ref, item in items.items():
        if item["credit_unit"] is not None:
            assert item["credit_unit_text"], ref  # a canonical unit only from stated words
        if item["credit_unit_text"]:
            assert item["credit_unit_text"] in site_text, ref


def test_unknown_units_and_contradictions_are_counted_problems(run):
    m = run[1]
    assert m["problems"] == {"credit_unit": 3, "credits": 1, "structured_data": 1}
    by_field = {}
    for p in m["problem_details"]:
        by_field.setdefault(p["field"], []).append(p["url"].removeprefix(run[3]))
    assert sorted(by_field["credit_unit"]) == [
        "/courses/array-block/",
        "/courses/medical-terminology/",
        "/providers/bayside/",
    ]
    assert by_field["credits"] == ["/graph/"]


def test_broken_json_ld_block_is_reported_and_the_others_still_count(run, items):
    pages = run[1]["malformed_pages"]
    assert [p["url"].removeprefix(run[3]) for p in pages] == ["/courses/mixed-blocks/"]
    assert "broken JSON-LD in script block 1" in pages[0]["reason"]
    assert items["hc-2"]["title"] == "OSHA Bloodborne Basics"


def test_contradicting_credits_are_withheld_not_published(items):
    sa12 = items["sa-12"]
    assert (sa12["credits"], sa12["credit_unit"], sa12["hours"]) == (None, None, None)


def test_a_list_entry_with_only_a_url_is_followed(run, items):
    assert "/courses/medical-terminology/" in run[2]  # named by the ItemList alone: no anchor, no sitemap
    assert items["courses-medical-terminology"]["title"] == "Medical Terminology Review"
