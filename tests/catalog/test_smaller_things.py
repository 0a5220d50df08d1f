"""Issue 11, point 8: the smaller things found by trying the tools as a new user."""

from __future__ import annotations

import hashlib
import json
import shutil

import duckdb

from tests.helpers import FIXTURES, catalog, json_out, recommend


def test_total_says_hours_unknown_when_no_offering_states_them(tmp_path):
    csv = tmp_path / "no-hours.csv"
    header = (FIXTURES / "offerings" / "employer.csv").read_text().splitlines()[0]
    csv.write_text(
        header + "\nnh-1,Acme,Clinical Review,course,12,,,,,4,contact_hour,clinical,,,,online,,,,,,"
        "https://acme.example/1,Illustrative.\n"
    )
    proc = recommend("--offerings", csv, "--gaps", "total=4")
    assert proc.returncode == 0, proc.stderr
    assert "Total: $12.00, hours unknown" in " ".join(proc.stdout.split())
    assert "Total: $12.00, 0 hours" not in " ".join(proc.stdout.split())


def test_catalog_show_help_example_runs_and_a_near_miss_suggests_the_right_id(tmp_path):
    help_text = catalog("show", "--help").stdout
    example = help_text.split("Example:")[1].split()[:3]
    assert example[:2] == ["catalog", "show"]
    proc = catalog("show", example[2], home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    miss = catalog("show", "ace-membership", home=tmp_path)
    assert miss.returncode == 1 and "(did you mean 'ace-annual-membership'?)" in miss.stderr


def test_catalog_search_takes_several_unquoted_words(tmp_path):
    joined = json_out(
        catalog("search", "medical", "assistant", "--format", "json", "--limit", "0", home=tmp_path)
    )
    quoted = json_out(
        catalog("search", "medical assistant", "--format", "json", "--limit", "0", home=tmp_path)
    )
    assert joined == quoted and len(joined) >= 5


def test_export_numbers_are_typed_so_describe_works(tmp_path):
    out = tmp_path / "export"
    proc = catalog("export", "--format", "parquet", out, home=tmp_path / "home")
    assert proc.returncode == 0, proc.stderr
    rows = duckdb.sql(f"DESCRIBE SELECT * FROM '{out / 'offerings.parquet'}'").fetchall()
    types = {r[0]: r[1] for r in rows}
    for col in ("price_usd", "price_max_usd", "hours", "credits", "discount_pct"):
        assert types[col] == "DOUBLE", (col, types[col])
    import pandas as pd

    described = pd.read_parquet(out / "offerings.parquet").describe()
    assert {"price_usd", "credits", "hours"} <= set(described.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    for name, meta in manifest["files"].items():
        if name.endswith(".parquet"):
            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == meta["sha256"], name


def test_diff_shows_source_changes_only_unless_derived_is_asked(tmp_path, small_sources):
    """A copy of a snapshot whose only change is a classifier confidence: no changed offering by default."""
    from catalog.builder import build
    from catalog.snapshot import snapshots_dir

    home = tmp_path / "home"
    first = build([small_sources], home)
    first.close()
    src = snapshots_dir(home) / first.id
    second_id = "29991231T000000Z-" + first.id.split("-", 1)[1]
    dst = snapshots_dir(home) / second_id
    shutil.copytree(src, dst)
    parquet = dst / "offerings.parquet"
    con = duckdb.connect()
    con.execute(f"CREATE TABLE o AS SELECT * FROM '{parquet}'")
    oid = con.execute("SELECT id FROM o ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE o SET area_confidence = 0.42, area_source = 'inferred' WHERE id = ?", [oid])
    con.execute(f"COPY o TO '{parquet}' (FORMAT parquet)")
    con.close()
    manifest = json.loads((dst / "manifest.json").read_text())
    data = parquet.read_bytes()
    manifest["files"]["offerings.parquet"].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    manifest["id"] = second_id
    (dst / "manifest.json").write_text(json.dumps(manifest))
    plain = json_out(catalog("diff", first.id, second_id, "--format", "json", home=home))
    assert plain["changed"] == [] and plain["repriced"] == []
    derived = json_out(catalog("diff", first.id, second_id, "--derived", "--format", "json", home=home))
    assert [c["id"] for c in derived["changed"]] == [oid]
    assert "area_confidence" in derived["changed"][0]["fields"]
