"""schema.sql and records.py describe the same offerings table (a meta-test)."""

from __future__ import annotations

import duckdb

from catalog.records import Offering, schema_sql
from catalog.vocab import Kind


def test_schema_sql_matches_offering_record():
    con = duckdb.connect()
    con.execute(schema_sql())
    columns = [r[0] for r in con.execute("DESCRIBE offerings").fetchall()]
    row = Offering(id="a", provider="p", title="t", kind=Kind.COURSE, url="https://x.example").to_row()
    assert columns == list(row)


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
