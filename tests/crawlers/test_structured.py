"""structured: the generic spider end to end against tests/fixtures/sites/structured/ on 127.0.0.1.

The site has three listing pages (ItemList, @graph/OfferCatalog, microdata), course pages in
JSON-LD, microdata and RDFa, a robots.txt disallowing /private/, /courses/flaky/ answering 503 once,
/old-course/ redirecting to /courses/ethics/, a page with broken JSON-LD (/courses/broken/), a page
without structured data (/about/), a windows-1252 page found only through sitemap.xml, and one
absurd course (10,000 hours) that validation must drop.
"""

import json
import subprocess
import sys

import pytest

from tests.crawl_helpers import ROOT, crawl, manifest


@pytest.fixture(scope="module")
def run(serve_site, tmp_path_factory):
    out = tmp_path_factory.mktemp("structured")
    base = serve_site("structured")
    rows = crawl("structured", base, out)
    return (
        {r["id"]: r for r in rows},
        manifest(out)["spiders"]["structured"],
        serve_site.requests("structured"),
    )


@pytest.fixture(scope="module")
def items(run):
    return run[0]


def test_yields_exactly_the_published_courses(items):
    assert sorted(items) == [
        "structured:courses-ethics",  # reached through the /old-course/ redirect
        "structured:courses-flaky",  # 503 first, then 200
        "structured:courses-infection-control",  # microdata
        "structured:courses-sitemap-only",  # only in sitemap.xml, windows-1252
        "structured:hipaa-1",  # JSON-LD, courseCode
        "structured:phl-200",  # RDFa
        "structured:term-1",  # microdata on listing page 3
        "structured:web-101",  # OfferCatalog / itemOffered
        "structured:web-102",  # @graph @id reference from an Offer
    ]


def test_disallowed_path_is_never_requested(run):
    requests = run[2]
    assert "/robots.txt" in requests
    assert not any(p.startswith("/private/") for p in requests)
    assert run[1]["robots_forbidden"] == 1


def test_flaky_page_is_retried_and_redirect_followed(run):
    requests = run[2]
    assert requests.count("/courses/flaky/") == 2
    assert "/old-course/" in requests
    assert run[1]["retries"] == 1


def test_malformed_page_is_reported_and_does_not_stop_the_crawl(run):
    pages = run[1]["malformed_pages"]
    assert [p["url"].split("/", 3)[3] for p in pages] == ["courses/broken/"]
    assert "broken JSON-LD" in pages[0]["reason"]


def test_absurd_hours_are_dropped_and_counted_by_field(run):
    assert run[1]["invalid"] == 1
    assert run[1]["invalid_by_reason"] == {"hours": 1}
    assert run[1]["items"] == 9


def test_page_without_structured_data_is_counted_not_reported(run):
    assert run[1]["pages_without_data"] >= 1  # /about/ (and the pure navigation pages)


def test_member_and_general_prices_from_an_offers_list(items):
    hipaa = items["structured:hipaa-1"]
    assert hipaa["price_usd"] == "39"
    assert hipaa["member_price_usd"] == "19"
    assert hipaa["credits"] == "1.5" and hipaa["credit_unit"] == "contact_hour"
    assert hipaa["areas"] == "administrative"
    assert hipaa["description"] == "Privacy rules & patient rights for the front office."
    assert hipaa["source"] == "spider:structured"
    assert hipaa["retrieved_at"].startswith("2026-01-15")


def test_price_specifications_pick_the_non_member_price(items):
    w = items["structured:web-102"]
    assert (w["price_usd"], w["member_price_usd"]) == ("40", "30")
    assert w["title"] == "Pharmacology & Dosage Math"
    assert "track" not in w["description"] and "<" not in w["description"]
    assert w["hours"] == "2" and w["credits"] == "2"


def test_duration_is_hours_but_not_credit(items):
    ethics = items["structured:courses-ethics"]
    assert ethics["hours"] == "0.75"
    assert ethics["credits"] is None
    assert ethics["price_usd"] == "0"


def test_aggregate_offer_gives_a_price_range(items):
    p = items["structured:phl-200"]
    assert (p["price_usd"], p["price_min_usd"], p["price_max_usd"]) == (None, "15", "60")
    assert p["credits"] == "3"


def test_course_instance_mode_and_workload(items):
    w = items["structured:web-101"]
    assert (w["delivery"], w["hours"], w["price_usd"], w["provider"]) == ("online", "1", "25", "Example CE")


def test_free_text_price_and_non_utf8_page(items):
    assert items["structured:term-1"]["price_usd"] == "0"
    assert items["structured:courses-sitemap-only"]["title"] == "Patient Communication – Café Series"


def test_scrapy_crawl_with_url_argument_writes_every_course(serve_site, tmp_path):
    """The interfaces.md contract: `scrapy crawl structured -a url=URL -O out.jsonl` from the repo root."""
    out = tmp_path / "out.jsonl"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "structured",
            "-a",
            f"url={serve_site('structured')}/",
            "-a",
            "provider=Example CE",
            "-O",
            str(out),
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "RETRY_BACKOFF_BASE=0.05",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
        capture_output=True,
    )
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 9
    assert {r["provider"] for r in rows} == {"Example CE"}
    for r in rows:
        assert {
            "title",
            "provider",
            "price_usd",
            "hours",
            "credits",
            "credit_unit",
            "url",
            "description",
        } <= set(r)
