"""`catalog search/show/stats/export` on real snapshots through the real CLI."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from catalog.builder import build
from tests.helpers import catalog, json_out


@pytest.fixture
def home(tmp_path, small_sources):
    h = tmp_path / "home"
    build([small_sources], h).close()
    return h


def test_filters_combine_and_results_are_cheapest_first(home):
    rows = json_out(
        catalog("search", "--category", "clinical", "--accepted-by", "aama", "--format", "json", home=home)
    )
    assert [r["id"] for r in rows] == ["beta-ekg", "acme-vitals"]
    assert all(r["url"].startswith("https://") for r in rows)


def test_json_rows_carry_every_manual_column(home):
    from catalog.records import MANUAL_COLUMNS

    [row] = json_out(catalog("search", "HIPAA", "--format", "json", home=home))
    assert set(MANUAL_COLUMNS) <= set(row)
    assert row["price_usd"] == 19.99 and row["credit_unit"] == "aama_ceu" and row["areas"] == "administrative"


def test_max_price_counts_a_range_at_its_maximum(home):
    ids = {r["id"] for r in json_out(catalog("search", "--max-price", "30", "--format", "json", home=home))}
    assert "acme-range" not in ids and {"acme-hipaa", "acme-club", "beta-coding"} <= ids
    ids60 = {r["id"] for r in json_out(catalog("search", "--max-price", "60", "--format", "json", home=home))}
    assert "acme-range" in ids60


def test_csv_output_neutralises_spreadsheet_formulas(home):
    out = catalog(
        "search", "--provider", "acme health education", "--kind", "course", "--format", "csv", home=home
    )
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    formula = next(r for r in rows if r["id"] == "acme-formula")
    assert formula["title"].startswith("'=HYPERLINK")
    assert all(not r[c].startswith(("=", "+", "@")) for r in rows for c in r)


def test_text_is_a_bound_parameter_not_sql(home):
    out = catalog("search", "x'; DROP TABLE offerings; --", "--format", "json", home=home)
    assert json_out(out) == []
    assert len(json_out(catalog("search", "--limit", "0", "--format", "json", home=home))) == 7


def test_limit_zero_means_all_and_default_is_50(tmp_path):
    from tests.catalog.test_snapshot import big_source

    h = tmp_path / "h"
    build([big_source(tmp_path / "src", 120)], h).close()
    assert len(json_out(catalog("search", "--format", "json", home=h))) == 50
    assert len(json_out(catalog("search", "--limit", "0", "--format", "json", home=h))) == 120


def test_unknown_body_is_a_usage_error_with_a_suggestion(home):
    out = catalog("search", "--accepted-by", "AAMMA", home=home)
    assert out.returncode == 2
    assert "did you mean 'AAMA'" in out.stderr


def test_show_lists_sources_and_coverage(home):
    info = json_out(catalog("show", "acme-hipaa", "--format", "json", home=home))
    assert info["sources"][0]["source"] == "manual/acme.csv" and info["sources"][0]["source_line"] == 2
    assert info["covered_by"] == [{"membership_id": "acme-club", "discount_pct": 100.0}]
    club = json_out(catalog("show", "acme-club", "--format", "json", home=home))
    assert club["covers"] == ["acme-formula", "acme-hipaa", "acme-range", "acme-vitals"]
    missing = catalog("show", "acme-hipa", home=home)
    assert missing.returncode == 1 and "did you mean 'acme-hipaa'" in missing.stderr


def test_stats_reports_completeness_per_provider(home):
    stats = json_out(catalog("stats", "--format", "json", home=home))
    acme = next(p for p in stats["providers"] if p["provider"] == "Acme Health Education")
    counts = ("offerings", "credit_kinds", "with_price", "with_credits", "with_area", "with_inferred_area")
    # acme-range states no area: the classifier infers one, and stats says it was inferred
    assert tuple(acme[k] for k in counts) == (5, 4, 5, 3, 4, 1)


def test_export_writes_parquet_readable_by_duckdb(home, tmp_path):
    out = tmp_path / "export"
    proc = catalog("export", "--format", "parquet", out, home=home)
    assert proc.returncode == 0, proc.stderr
    n = (
        duckdb.connect()
        .execute("SELECT count(*) FROM read_parquet(?)", [str(out / "offerings.parquet")])
        .fetchone()[0]
    )
    assert n == 7
    assert (out / "manifest.json").is_file()


def test_shipped_catalog_answers_the_done_when_query(shipped_home):
    rows = json_out(
        catalog(
            "search",
            "--category",
            "clinical",
            "--accepted-by",
            "AAMA",
            "--format",
            "json",
            "--limit",
            "0",
            home=shipped_home,
        )
    )
    assert rows and all(r["url"].startswith("http") for r in rows)
    everything = json_out(catalog("search", "--limit", "0", "--format", "json", home=shipped_home))
    ace = [r for r in everything if r["provider"] == "ACE" and r["kind"] == "membership"]
    assert [(r["price_usd"], r["price_basis"], r["covers"]) for r in ace] == [
        (29.95, "per_year", "provider=ACE")
    ]
    relias = [r for r in everything if r["provider"] == "Relias Academy" and r["price_usd"] == 249]
    assert len(relias) == 1 and relias[0]["kind"] in ("membership", "bundle")
