"""schema.sql, records.py (record, row codec, Arrow schema) and the planner's table describe the same
offerings table (a meta-test)."""

from __future__ import annotations

import duckdb

from catalog.records import Offering, arrow_schema, schema_sql
from catalog.vocab import Kind
from recommender.table import READ_COLUMNS


def _described(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_schema_sql_matches_offering_record():
    con = duckdb.connect()
    con.execute(schema_sql())
    columns = [r[0] for r in con.execute("DESCRIBE offerings").fetchall()]
    row = Offering(id="a", provider="p", title="t", kind=Kind.COURSE, url="https://x.example").to_row()
    assert columns == list(row)


def test_arrow_schema_matches_schema_sql():
    con = duckdb.connect()
    con.execute(schema_sql())
    con.register("arrow_offerings", arrow_schema().empty_table())
    assert _described(con, "arrow_offerings") == _described(con, "offerings")


def test_the_planner_reads_only_offerings_columns():
    con = duckdb.connect()
    con.execute(schema_sql())
    columns = {name for name, _ in _described(con, "offerings")}
    assert set(READ_COLUMNS) <= columns, set(READ_COLUMNS) - columns


def test_schema_documents_every_column():
    text = schema_sql()
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and stripped[0].islower() and not stripped.startswith("--"):
            assert "--" in stripped, f"undocumented column: {stripped}"


def test_catalog_build_stays_the_function_after_importing_the_builder():
    import catalog
    import catalog.builder  # noqa: F401

    assert callable(catalog.build) and catalog.build is catalog.builder.build


def test_the_crawl_json_codec_round_trips_every_column():
    import json
    from datetime import date, datetime
    from decimal import Decimal

    from catalog.filters import Condition
    from catalog.records import offering_record, record_to_offering
    from catalog.vocab import Area, Delivery, PriceBasis, Unit

    o = Offering(
        id="s:1",
        provider="P",
        title="T",
        kind=Kind.MEMBERSHIP,
        url="https://x.example/1",
        price_min_usd=Decimal("15"),
        price_max_usd=Decimal("60.5"),
        price_basis=PriceBasis.PER_YEAR,
        hours=Decimal("1.5"),
        credits=Decimal("3"),
        credit_unit=Unit.AAMA_CEU,
        areas=((Area.GENERAL, Decimal(1)), (Area.CLINICAL, Decimal(2))),
        area_source="stated",
        topics=("hipaa",),
        approved_by=("AAMA",),
        accepted_by=("AMT",),
        delivery=Delivery.ONLINE,
        covers=(Condition("provider", "P"),),
        discount_pct=Decimal(20),
        term_months=12,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        description="d",
        source="spider:s",
        retrieved_at=datetime(2026, 1, 15),
    )
    back = record_to_offering(json.loads(json.dumps(offering_record(o))))
    assert back == o and back.to_row() == o.to_row()
