"""The build's learning step: merged duplicates with provenance, inferred areas the optimizer can trust or ignore."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pytest

from catalog.learning.classifier import METRICS_FILE, load_model
from catalog.learning.enrich import finalize_table
from catalog.publish import build_and_publish
from catalog.records import MANUAL_COLUMNS, Offering
from catalog.vocab import Area, Kind, Unit
from recommender.credentials import load_credential
from recommender.table import AREAS, OfferingTable
from tests.helpers import catalog, json_out

CLINICAL = AREAS.index("clinical")


def course(
    id: str,
    title: str,
    *,
    credits: str | None = "1",
    kind: Kind = Kind.COURSE,
    source: str = "manual/acme.csv",
    provider: str = "Acme Health Education",
    **kw,
) -> Offering:
    return Offering(
        id=id,
        provider=provider,
        title=title,
        kind=kind,
        url=f"https://acme.example/{id}",
        credits=Decimal(credits) if credits else None,
        credit_unit=Unit.AAMA_CEU,
        approved_by=("AAMA",),
        accepted_by=("AAMA",),
        source=source,
        **kw,
    )


@dataclass
class Built:
    """A snapshot's offerings by id after the build's learning step, and its planning table."""

    offerings: dict[str, Offering]
    table: OfferingTable

    def view(self, **kw):
        return load_credential("CMA").view(self.table, **kw)

    def row(self, offering_id: str) -> int:
        return int(np.flatnonzero(self.table.id == offering_id)[0])


def _build(home, offerings: list[Offering]) -> Built:
    """Publish `offerings` through the real learning step (finalize_table: merge, then infer areas)."""
    with build_and_publish(offerings, home, finalize=finalize_table) as snap:
        return Built({o.id: o for o in snap.offerings()}, OfferingTable.from_duckdb(snap.con))


@pytest.fixture(scope="module")
def inferred(tmp_path_factory) -> Built:
    """Offerings without a stated area (distinct titles, nothing merges)."""
    mem = Offering(
        id="mem",
        provider="Acme Health Education",
        title="Annual membership",
        kind=Kind.MEMBERSHIP,
        url="https://acme.example/m",
        covers=(("provider", "Acme Health Education"),),
    )
    return _build(
        tmp_path_factory.mktemp("inferred") / "home",
        [
            course("acme-ven", "Venipuncture and Specimen Collection"),
            course("acme-cod", "ICD-10-CM Coding Basics", credits=None),
            course("exam", "CMA recertification exam", kind=Kind.EXAM),
            course("conf", "State convention", kind=Kind.CONFERENCE),
            mem,
            course("vague", "Annual chapter meeting"),
            course("sure", "Phlebotomy Order of Draw"),
        ],
    )


@pytest.fixture(scope="module")
def stated(tmp_path_factory) -> Built:
    """Stated areas beside an inferred one (providers differ, so nothing merges)."""
    return _build(
        tmp_path_factory.mktemp("stated") / "home",
        [
            course(
                "acme-phleb",
                "Phlebotomy Order of Draw",
                provider="Acme Health Education",
                areas=((Area.ADMINISTRATIVE, Decimal(1)),),
                area_source="stated",
            ),
            course("sure", "Phlebotomy Order of Draw", provider="Beta Learning"),
            course(
                "stated",
                "Phlebotomy Order of Draw (live)",
                provider="Gamma Seminars",
                areas=((Area.CLINICAL, Decimal(1)),),
                area_source="stated",
            ),
        ],
    )


def test_a_stated_area_is_never_overwritten(stated):
    o = stated.offerings["acme-phleb"]
    assert o.areas == ((Area.ADMINISTRATIVE, Decimal(1)),) and o.area_source == "stated"


def test_missing_area_is_inferred_with_its_confidence(inferred):
    o = inferred.offerings["acme-ven"]
    assert o.areas == ((Area.CLINICAL, Decimal(1)),)
    assert o.area_source == "inferred" and 0.8 <= o.area_confidence <= 1.0
    row = o.to_row()
    assert (row["area_source"], row["credits_clinical"], row["credits_general"]) == (
        "inferred",
        Decimal(1),
        Decimal(0),
    )


def test_inferred_area_with_unknown_credits_keeps_the_credits_unknown(inferred):
    o = inferred.offerings["acme-cod"]
    assert o.areas == ((Area.ADMINISTRATIVE, None),)
    assert o.to_row()["areas"] == "administrative"
    assert o.to_row()["credits_administrative"] is None


def test_exams_memberships_and_conferences_get_no_inferred_area(inferred):
    assert all(not inferred.offerings[i].areas for i in ("exam", "conf", "mem"))


def test_a_low_confidence_guess_never_reaches_the_optimizer_as_a_stated_area(inferred):
    vague, sure = inferred.offerings["vague"], inferred.offerings["sure"]
    assert vague.area_source == "inferred" and vague.area_confidence < 0.8
    assert sure.area_source == "inferred" and sure.area_confidence >= 0.8
    view = inferred.view()
    v, s = inferred.row("vague"), inferred.row("sure")
    assert view.value[[v, s]].tolist() == [1.0, 1.0]  # both still count toward the total
    assert view.area_value[v].sum() == 0.0  # the vague guess fills no area
    assert view.area_value[s, CLINICAL] == 1.0  # the confident one does, by default


def test_stated_only_ignores_every_inferred_area(stated):
    assert stated.offerings["sure"].area_source == "inferred"
    view = stated.view(stated_only=True)
    assert view.area_value[stated.row("sure")].sum() == 0.0
    assert view.area_value[stated.row("stated"), CLINICAL] == 1.0


def test_build_merges_a_crawled_duplicate_infers_areas_and_writes_artifacts(tmp_path):
    """The build's learning step (finalize_table): the crawled listing merges into the manual one with
    both sources kept, the course gets an inferred area, and the classifier and its metrics sit beside
    the snapshot with the cross-validated report and the duplicate pair-set scores."""
    from catalog.builder import build

    src = tmp_path / "manual"
    src.mkdir()
    _write_csv(
        src / "acme.csv",
        [
            {
                "id": "acme-ven",
                "provider": "Acme Health Education",
                "title": "Venipuncture Basics",
                "kind": "course",
                "price_usd": "20",
                "credits": "1",
                "credit_unit": "aama_ceu",
                "approved_by": "AAMA",
                "url": "https://acme.example/ven",
            },
            {
                "id": "acme-exam",
                "provider": "Acme Health Education",
                "title": "Recertification exam",
                "kind": "exam",
                "price_usd": "90",
                "url": "https://acme.example/exam",
            },
        ],
    )
    crawled = course(
        "acme_health:venipuncture-basics",
        "Venipuncture Basics (Online Course)",
        price_usd=Decimal("25"),
        source="spider:acme_health",
    )
    with build([src], tmp_path / "home", extra=[crawled]) as snap:
        rows = snap.con.execute("SELECT id, area_source, areas FROM offerings ORDER BY id").fetchall()
        sources = snap.con.execute(
            "SELECT offering_id, source, price_usd FROM offering_sources ORDER BY offering_id, source"
        ).fetchall()
        path = snap.path
    assert rows == [("acme-exam", None, ""), ("acme-ven", "inferred", "clinical")]
    assert sources == [
        ("acme-exam", "manual/acme.csv", Decimal("90")),
        ("acme-ven", "manual/acme.csv", Decimal("20")),
        ("acme-ven", "spider:acme_health", Decimal("25")),
    ]
    metrics = json.loads((path / METRICS_FILE).read_text())
    assert metrics["duplicates"]["merged_groups"] == [["acme-ven", "acme_health:venipuncture-basics"]]
    assert metrics["inferred"]["count"] == 1
    assert metrics["classifier"]["macro_f1"] >= 0.85
    assert metrics["duplicates"]["pair_set"]["precision"] >= 0.95
    assert load_model(path).predict(["Venipuncture"])[0] == ["clinical"]


def _write_csv(path, rows):
    lines = [",".join(MANUAL_COLUMNS)]
    for r in rows:
        lines.append(",".join(r.get(c, "") for c in MANUAL_COLUMNS))
    path.write_text("\n".join(lines) + "\n")


def test_catalog_build_merges_duplicates_and_show_lists_every_source(tmp_path):
    src = tmp_path / "manual"
    src.mkdir()
    base = {
        "provider": "Acme Health Education",
        "kind": "course",
        "credits": "1",
        "credit_unit": "aama_ceu",
        "approved_by": "AAMA",
    }
    _write_csv(
        src / "acme.csv",
        [
            {
                **base,
                "id": "acme-ven",
                "title": "Venipuncture Basics",
                "price_usd": "20",
                "url": "https://acme.example/ven",
                "description": "Drawing blood safely.",
            },  # more complete: primary
            {
                **base,
                "id": "acme-coding",
                "title": "ICD-10-CM Coding Basics",
                "price_usd": "15",
                "areas": "administrative",
                "url": "https://acme.example/cod",
            },
        ],
    )
    _write_csv(
        src / "acme-store.csv",
        [
            {
                **base,
                "id": "acme-store-ven",
                "title": "Venipuncture Basics (Online Course)",
                "price_usd": "25",
                "url": "https://store.acme.example/ven",
            }
        ],
    )
    home = tmp_path / "home"
    built = catalog("build", "--source", str(src), "--home", str(home))
    assert built.returncode == 0, built.stderr
    shown = json_out(catalog("show", "acme-ven", "--home", str(home), "--format", "json"))
    assert sorted((s["url"], float(s["price_usd"])) for s in shown["sources"]) == [
        ("https://acme.example/ven", 20.0),
        ("https://store.acme.example/ven", 25.0),
    ]
    assert (shown["offering"]["price_min_usd"], shown["offering"]["price_max_usd"]) in (
        (20, 25),
        ("20.00", "25.00"),
    )
    assert shown["offering"]["area_source"] == "inferred"
    assert shown["offering"]["areas"] == "clinical"
    gone = catalog("show", "acme-store-ven", "--home", str(home))
    assert gone.returncode == 1
    coding = json_out(catalog("show", "acme-coding", "--home", str(home), "--format", "json"))
    assert (coding["offering"]["area_source"], len(coding["sources"])) == ("stated", 1)
    assert 0.5 < shown["offering"]["area_confidence"] <= 1.0
    snap = home / "snapshots" / (home / "latest").read_text().strip()
    metrics = json.loads((snap / METRICS_FILE).read_text())
    assert metrics["classifier"]["macro_f1"] >= 0.85
    assert metrics["duplicates"]["merged_groups"] == [["acme-ven", "acme-store-ven"]]
    assert load_model(snap).predict(["Phlebotomy"])[0] == ["clinical"]
