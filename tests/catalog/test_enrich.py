"""The build's learning step: merged duplicates with provenance, inferred areas the optimizer can trust or ignore."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog.learning.classifier import METRICS_FILE, load_labels, load_model, train
from catalog.learning.enrich import infer_areas
from catalog.records import MANUAL_COLUMNS, Offering
from catalog.vocab import Area, Kind, Unit
from recommender.rules import load_credential
from recommender.table import AREAS, OfferingTable
from tests.helpers import catalog, json_out

CLINICAL = AREAS.index("clinical")


@pytest.fixture(scope="module")
def model():
    return train(load_labels(), config="logreg_C30")


def course(
    id: str,
    title: str,
    *,
    credits: str | None = "1",
    kind: Kind = Kind.COURSE,
    source: str = "manual/acme.csv",
    **kw,
) -> Offering:
    return Offering(
        id=id,
        provider="Acme Health Education",
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


def test_a_stated_area_is_never_overwritten(model):
    stated = course(
        "acme-phleb",
        "Phlebotomy Order of Draw",
        areas=((Area.ADMINISTRATIVE, Decimal(1)),),
        area_source="stated",
    )
    out, inferred = infer_areas([stated], model)
    assert inferred == []
    assert out[0].areas == ((Area.ADMINISTRATIVE, Decimal(1)),) and out[0].area_source == "stated"


def test_missing_area_is_inferred_with_its_confidence(model):
    out, inferred = infer_areas([course("acme-ven", "Venipuncture and Specimen Collection")], model)
    o = out[0]
    assert inferred == ["acme-ven"]
    assert o.areas == ((Area.CLINICAL, Decimal(1)),)
    assert o.area_source == "inferred" and 0.8 <= o.area_confidence <= 1.0
    row = o.to_row()
    assert (row["area_source"], row["credits_clinical"], row["credits_general"]) == (
        "inferred",
        Decimal(1),
        Decimal(0),
    )


def test_inferred_area_with_unknown_credits_keeps_the_credits_unknown(model):
    o = infer_areas([course("acme-cod", "ICD-10-CM Coding Basics", credits=None)], model)[0][0]
    assert o.areas == ((Area.ADMINISTRATIVE, None),)
    assert o.to_row()["areas"] == "administrative"
    assert o.to_row()["credits_administrative"] is None


def test_exams_memberships_and_conferences_get_no_inferred_area(model):
    offerings = [
        course("exam", "CMA recertification exam", kind=Kind.EXAM),
        course("conf", "State convention", kind=Kind.CONFERENCE),
        Offering(
            id="mem",
            provider="Acme Health Education",
            title="Annual membership",
            kind=Kind.MEMBERSHIP,
            url="https://acme.example/m",
            covers=(("provider", "Acme Health Education"),),
        ),
    ]
    out, inferred = infer_areas(offerings, model)
    assert inferred == [] and all(not o.areas for o in out)


def _views(offerings: list[Offering], **kw):
    table = OfferingTable.from_offerings(offerings)
    return load_credential("CMA").view(table, **kw)


def test_a_low_confidence_guess_never_reaches_the_optimizer_as_a_stated_area(model):
    out, _ = infer_areas(
        [course("vague", "Annual chapter meeting"), course("sure", "Phlebotomy Order of Draw")], model
    )
    vague, sure = out
    assert vague.area_source == "inferred" and vague.area_confidence < 0.8
    assert sure.area_source == "inferred" and sure.area_confidence >= 0.8
    view = _views(out)
    assert view.value.tolist() == [1.0, 1.0]  # both still count toward the total
    assert view.area_value[0].sum() == 0.0  # the vague guess fills no area
    assert view.area_value[1, CLINICAL] == 1.0  # the confident one does, by default


def test_stated_only_ignores_every_inferred_area(model):
    out, _ = infer_areas(
        [
            course("sure", "Phlebotomy Order of Draw"),
            course(
                "stated",
                "Phlebotomy Order of Draw (live)",
                areas=((Area.CLINICAL, Decimal(1)),),
                area_source="stated",
            ),
        ],
        model,
    )
    view = _views(out, stated_only=True)
    assert view.area_value[0].sum() == 0.0
    assert view.area_value[1, CLINICAL] == 1.0


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
