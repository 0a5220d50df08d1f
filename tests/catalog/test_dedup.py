"""Duplicate detection (catalog/learning/dedup.py): blocking, clustering, the curated list, and merging
as the real build does it (catalog.learning.enrich.merge_duplicates inside build_and_publish).

Titles and look-alike rules: test_titles.py; the labeled pair set: test_pairs.py.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from catalog.learning.dedup import Curated, CuratedError, cluster, load_curated
from catalog.learning.enrich import merge_duplicates
from catalog.publish import build_and_publish
from catalog.records import Offering
from catalog.sql import dicts
from catalog.vocab import Area, Kind, Unit
from recommender.table import OfferingTable
from tests.helpers import REPO


@dataclass
class Built:
    """What a build made of some offerings: rows by id, provenance rows, merged groups, plan prices."""

    offerings: dict[str, Offering]
    source_rows: list[dict[str, Any]]
    clusters: list[list[str]]
    plan_price_cents: dict[str, int]


def build(tmp_path, offerings: list[Offering], curated: Curated | None = None) -> Built:
    """Build a snapshot whose learning step only merges duplicates (no curated list unless given)."""
    clusters: list[list[str]] = []

    def finalize(con) -> None:
        clusters.extend(merge_duplicates(con, curated or Curated()))

    with build_and_publish(offerings, tmp_path / "home", finalize=finalize) as snap:
        rows = {o.id: o for o in snap.offerings()}
        sources = dicts(
            snap.con.execute("SELECT * FROM offering_sources ORDER BY offering_id, source, source_line")
        )
        table = OfferingTable.from_duckdb(snap.con)
    return Built(rows, sources, clusters, dict(zip(table.id, table.price_cents.tolist(), strict=True)))


def course(
    id: str,
    title: str,
    *,
    provider: str = "Acme Health Education",
    credits: str | None = "1",
    price: str | None = None,
    source: str = "manual/acme.csv",
    kind: Kind = Kind.COURSE,
    unit: Unit = Unit.CONTACT_HOUR,
    **kw,
) -> Offering:
    return Offering(
        id=id,
        provider=provider,
        title=title,
        kind=kind,
        url=f"https://acme.example/{id}",
        credits=Decimal(credits) if credits else None,
        credit_unit=unit,
        price_usd=Decimal(price) if price is not None else None,
        source=source,
        **kw,
    )


def test_same_course_from_a_spider_and_a_csv_becomes_one_offering_with_two_offers(tmp_path):
    t = datetime(2026, 1, 15)
    manual = course(
        "acme-hipaa", "HIPAA Basics", price="19.99", source="manual/acme.csv", source_line=2, retrieved_at=t
    )
    crawled = course(
        "acme_health:hipaa-basics",
        "HIPAA Basics (Online Course)",
        price="24.99",
        source="spider:acme_health",
        description="Privacy rule basics.",
        retrieved_at=t,
    )
    other = course("acme-osha", "OSHA Bloodborne Pathogens", price="10")
    r = build(tmp_path, [crawled, manual, other])
    assert list(r.offerings) == ["acme-hipaa", "acme-osha"]
    merged = r.offerings["acme-hipaa"]
    assert merged.price_usd is None
    assert (merged.price_min_usd, merged.price_max_usd) == (Decimal("19.99"), Decimal("24.99"))
    assert r.plan_price_cents["acme-hipaa"] == 2499  # planned at the top of the range
    assert merged.description == "Privacy rule basics."  # filled from the spider's listing
    rows = [x for x in r.source_rows if x["offering_id"] == "acme-hipaa"]
    assert [(x["source"], x["price_usd"]) for x in rows] == [
        ("manual/acme.csv", Decimal("19.99")),
        ("spider:acme_health", Decimal("24.99")),
    ]
    assert r.clusters == [["acme-hipaa", "acme_health:hipaa-basics"]]


def test_equal_prices_stay_one_exact_price(tmp_path):
    r = build(
        tmp_path,
        [
            course("a", "Phlebotomy Review", price="15"),
            course("b", "Phlebotomy Review.", price="15", source="spider:x"),
        ],
    )
    [merged] = r.offerings.values()
    assert merged.price_usd == Decimal("15")
    assert merged.price_min_usd is None


def test_different_credits_kinds_or_providers_never_merge():
    offerings = [
        course("a", "Sharps Safety", credits="0.5"),
        course("b", "Sharps Safety", credits="1"),
        course("c", "Sharps Safety", kind=Kind.ARTICLE),
        course("d", "Sharps Safety", provider="Northstar CE"),
        course("e", "Sharps Safety", credits=None),  # unknown credits: compatible with 'a' and 'b'
    ]
    groups = cluster(offerings)
    assert [0, 1] not in groups
    assert [2] in groups and [3] in groups
    assert sum(len(g) for g in groups) == 5


def test_units_convert_before_comparing_credits():
    a = course("a", "Medical Records Management", credits="2", unit=Unit.CONTACT_HOUR)
    b = course("b", "Medical Records Management", credits="1", unit=Unit.NHA_CREDIT)  # 1 NHA credit = 2 hours
    assert cluster([a, b]) == [[0, 1]]


def test_a_stated_area_from_any_source_survives_the_merge(tmp_path):
    a = course("a", "Wound Care Basics", source="spider:x")
    b = course(
        "b",
        "Wound-Care Basics",
        areas=((Area.CLINICAL, Decimal(1)),),
        area_source="stated",
        source="spider:y",
    )
    [merged] = build(tmp_path, [a, b]).offerings.values()
    assert merged.areas == ((Area.CLINICAL, Decimal(1)),) and merged.area_source == "stated"


def test_single_linkage_does_not_chain_across_a_conflict():
    offerings = [
        course("p1", "Phlebotomy Part 1"),
        course("p", "Phlebotomy"),
        course("p2", "Phlebotomy Part 2"),
    ]
    groups = cluster(offerings, threshold=0.3)
    assert not any({0, 2} <= set(g) for g in groups)


def test_curated_do_not_merge_keeps_identical_titles_apart(tmp_path):
    a, b = course("acme-cpr-2024", "CPR Renewal"), course("acme-cpr-2025", "CPR Renewal")
    assert cluster([a, b]) == [[0, 1]]
    curated = Curated(do_not_merge=frozenset({frozenset({"acme-cpr-2024", "acme-cpr-2025"})}))
    r = build(tmp_path, [a, b], curated=curated)
    assert list(r.offerings) == ["acme-cpr-2024", "acme-cpr-2025"]
    assert r.clusters == []


def test_curated_force_merge_joins_titles_the_detector_misses():
    a = course("acme-hipaa", "HIPAA Basics")
    b = course("acme-hipaa-long", "HIPAA Basics: Protecting Patient Privacy")
    assert cluster([a, b]) == [[0], [1]]
    assert cluster([a, b], curated=Curated(force_merge=(("acme-hipaa", "acme-hipaa-long"),))) == [[0, 1]]


def test_curated_file_round_trip_and_errors(tmp_path):
    path = tmp_path / "duplicates.csv"
    path.write_text("decision,a,b,reason\ndo_not_merge,x,y,two courses\nforce_merge,p,q,same course\n")
    cur = load_curated(path)
    assert cur.forbids("y", "x") and cur.force_merge == (("p", "q"),)
    path.write_text("decision,a,b,reason\nmerge,x,y,why\n")
    with pytest.raises(CuratedError, match=r"duplicates.csv:2:decision: 'merge' is not one of"):
        load_curated(path)
    path.write_text("decision,a,b,reason\ndo_not_merge,x,y,\n")
    with pytest.raises(CuratedError, match=r":2:reason: say why"):
        load_curated(path)
    path.write_text("decision,a,b,reason\ndo_not_merge,x,y,r\nforce_merge,y,x,r\n")
    with pytest.raises(CuratedError, match="both do_not_merge and force_merge"):
        load_curated(path)


def test_shipped_curated_file_names_real_catalog_ids():
    cur = load_curated()
    ids = set()
    for f in (REPO / "data" / "manual").glob("*.csv"):
        with open(f, newline="", encoding="utf-8-sig") as fh:
            ids |= {r["id"] for r in csv.DictReader(fh)}
    named = {i for pair in cur.do_not_merge for i in pair} | {i for pair in cur.force_merge for i in pair}
    assert named and named <= ids
