"""Duplicate detection: normalizing, blocking, rules, the labeled pair set, clustering, merging, curated list."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal

import numpy as np
import pytest

from catalog.learning.dedup import (
    THRESHOLD,
    Curated,
    CuratedError,
    choose_threshold,
    cluster,
    conflict,
    dedup,
    evaluate_pairs,
    load_curated,
    load_pairs,
    normalize_title,
    pair_scores,
    provider_key,
)
from catalog.records import Offering
from catalog.vocab import Area, Kind, Unit
from tests.helpers import REPO


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


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Fundamentals of Pharmacology (Online Course)", "fundamental of pharmacology"),
        (
            "The Role of Medical Assistants in Radiography - 1 CEU",
            "the role of medical assistant in radiography",
        ),
        ("Professionalism in the Medical Office &ndash; Online", "professionalism in the medical office"),
        ("Sterilization & Disinfection", "sterilization and disinfection"),
        ("Injection Techniques for MAs", "injection technique for medical assistant"),
        ("Phlebotomy Basics (1.5 contact hours)", "phlebotomy basic"),
    ],
)
def test_normalize_title_drops_format_noise(title, expected):
    assert normalize_title(title) == expected


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("ACE (Annals of Continuing Education)", "ACE", True),
        ("American Association of Medical Assistants", "AAMA", True),
        ("Relias Academy", "Relias", True),
        ("ACE (Annals of Continuing Education)", "American Council on Exercise", False),
        ("NHA", "AMT", False),
    ],
)
def test_provider_key_matches_name_variants_but_not_other_providers(a, b, same):
    assert (provider_key(a) == provider_key(b)) is same


@pytest.mark.parametrize(
    "a, b",
    [
        ("Phlebotomy Part 1", "Phlebotomy Part 2"),
        ("CPT Coding Update 2024", "CPT Coding Update 2025"),
        ("Medical Spanish Level I", "Medical Spanish Level II"),
        ("Revenue Cycle Basics", "Revenue Cycle Advanced"),
        ("Pulse Oximetry Essentials", "Pulse Oximetry Essentials for Pediatrics"),
        ("Infection Control in the Medical Office", "Infection Control in the Dental Office"),
        ("CCMA exam, NHA members", "CCMA exam, non-members"),
        ("Blood Pressure Measurement", "Blood Glucose Measurement"),
        ("Electrocardiography for Medical Assistants", "Echocardiography for Medical Assistants"),
    ],
)
def test_conflict_rules_keep_look_alikes_apart(a, b):
    assert conflict(normalize_title(a), normalize_title(b))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Cultural Competence in Healthcare", "Cultural Competency in Health Care"),
        ("The Medical Assistant's Role in Team-Based Care", "The Medical Assitant's Role in Team-Based Care"),
        ("Opioid Overdose Response", "Opioid Overdose Response Training"),
        ("Insurance Verification Workflow", "Insurance Verification Work Flow"),
    ],
)
def test_conflict_rules_allow_spelling_variants_and_added_words(a, b):
    assert conflict(normalize_title(a), normalize_title(b)) is None


def test_shipped_pair_set_meets_precision_and_recall_targets():
    rep = evaluate_pairs()
    assert rep["pairs"] >= 150 and 0.3 < rep["duplicates"] / rep["pairs"] < 0.7
    assert rep["precision"] >= 0.95
    assert rep["recall"] >= 0.90
    assert rep["split_half"]["precision"] >= 0.95 and rep["split_half"]["recall"] >= 0.90


def test_shipped_threshold_is_the_one_the_pair_set_chooses():
    pairs = load_pairs()
    assert choose_threshold(pair_scores(pairs), np.array([p.same for p in pairs])) == THRESHOLD


def test_choose_threshold_prefers_precision_then_the_middle_of_a_plateau():
    scores = np.array([0.95, 0.9, 0.5, 0.45, -1.0])
    same = np.array([True, True, False, False, False])
    t = choose_threshold(scores, same)
    assert 0.5 < t <= 0.9
    assert abs(t - 0.7) <= 0.02


def test_same_course_from_a_spider_and_a_csv_becomes_one_offering_with_two_offers():
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
    r = dedup([crawled, manual, other])
    assert [o.id for o in r.offerings] == ["acme-hipaa", "acme-osha"]
    merged = r.offerings[0]
    assert merged.price_usd is None
    assert (merged.price_min_usd, merged.price_max_usd) == (Decimal("19.99"), Decimal("24.99"))
    assert merged.price_estimate == Decimal("24.99")
    assert merged.description == "Privacy rule basics."  # filled from the spider's listing
    assert merged.extras["merged_ids"] == ["acme-hipaa", "acme_health:hipaa-basics"]
    rows = [r for r in r.source_rows if r["offering_id"] == "acme-hipaa"]
    assert [(x["source"], x["price_usd"]) for x in rows] == [
        ("manual/acme.csv", Decimal("19.99")),
        ("spider:acme_health", Decimal("24.99")),
    ]
    assert r.clusters == [["acme-hipaa", "acme_health:hipaa-basics"]]


def test_equal_prices_stay_one_exact_price():
    r = dedup(
        [
            course("a", "Phlebotomy Review", price="15"),
            course("b", "Phlebotomy Review.", price="15", source="spider:x"),
        ]
    )
    assert len(r.offerings) == 1 and r.offerings[0].price_usd == Decimal("15")
    assert r.offerings[0].price_min_usd is None


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


def test_a_stated_area_from_any_source_survives_the_merge():
    a = course("a", "Wound Care Basics", source="spider:x")
    b = course(
        "b",
        "Wound-Care Basics",
        areas=((Area.CLINICAL, Decimal(1)),),
        area_source="stated",
        source="spider:y",
    )
    merged = dedup([a, b]).offerings[0]
    assert merged.areas == ((Area.CLINICAL, Decimal(1)),) and merged.area_source == "stated"


def test_single_linkage_does_not_chain_across_a_conflict():
    offerings = [
        course("p1", "Phlebotomy Part 1"),
        course("p", "Phlebotomy"),
        course("p2", "Phlebotomy Part 2"),
    ]
    groups = cluster(offerings, threshold=0.3)
    assert not any({0, 2} <= set(g) for g in groups)


def test_curated_do_not_merge_keeps_identical_titles_apart():
    a, b = course("acme-cpr-2024", "CPR Renewal"), course("acme-cpr-2025", "CPR Renewal")
    assert cluster([a, b]) == [[0, 1]]
    curated = Curated(do_not_merge=frozenset({frozenset({"acme-cpr-2024", "acme-cpr-2025"})}))
    r = dedup([a, b], curated=curated)
    assert [o.id for o in r.offerings] == ["acme-cpr-2024", "acme-cpr-2025"]
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
