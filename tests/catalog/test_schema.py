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
