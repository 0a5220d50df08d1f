"""The columnar manual-CSV loader gives exactly what the row reader gives: the same offerings, and the
same errors (text, order), on the shipped files, the fixtures and generated files full of traps."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.loaders.column_checks import convert_columns
from catalog.loaders.columnar import PY_WHITESPACE, read_columns
from catalog.loaders.manual_csv import ManualCSVError, load_manual_files
from catalog.loaders.manual_table import _by_rows, convert_file, load_manual_table
from catalog.records import MANUAL_COLUMNS, arrow_offerings, arrow_schema
from tests.catalog.test_normalize import GOOD as NORMALIZE_GOOD

ROOT = Path(__file__).resolve().parents[2]
HEADER = list(MANUAL_COLUMNS)


def same_result(path: Path) -> None:
    """convert_file (columnar when it can) and the row reader agree on `path`."""
    name = path.name
    fast, rows = convert_file(path, name), _by_rows(path, name)
    assert [str(e) for e in fast.errors] == [str(e) for e in rows.errors]
    assert fast.ids.to_pylist() == rows.ids.to_pylist()
    assert fast.lines.tolist() == rows.lines.tolist()
    if rows.table is None:
        assert fast.table is None
    else:
        assert fast.table.schema == rows.table.schema
        assert fast.table.to_pylist() == rows.table.to_pylist()


def test_whitespace_set_is_what_str_strip_removes():
    assert set(PY_WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


def shipped_and_fixture_csvs() -> list[Path]:
    files = sorted((ROOT / "data" / "manual").glob("*.csv"))
    files += sorted((ROOT / "tests" / "fixtures").rglob("*.csv"))
    return files


@pytest.mark.parametrize("path", shipped_and_fixture_csvs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_and_fixture_files_agree(path):
    same_result(path)


def test_shipped_catalog_takes_the_columnar_path():
    for path in sorted((ROOT / "data" / "manual").glob("*.csv")):
        assert read_columns(path) is not None, path


# ------------------------------------------------------------------ generated files full of traps

GOOD = NORMALIZE_GOOD  # one good manual row, as the normalize tests use it
VALUES = {
    "id": ["", "a b", "-x", "x:1/2.3", "p_9"],
    "provider": ["", "Acme", "Beta, Inc.", ' "Quoted" '],
    "title": ["", "Title, with comma", 'She said "hi"', "\u00e9t\u00e9 course"],
    "kind": ["", "course", "Course", "membership", "bundle", "cpr", "cours", "article"],
    "price_usd": ["", "0", "10.5", "$10", "-1", "100001", "1e2", "12.345", "free", "NaN"],
    "price_min_usd": ["", "5", "50", "x"],
    "price_max_usd": ["", "5", "50", "4.99"],
    "price_basis": ["", "per_year", "yearly"],
    "hours": ["", "1.5", "1001", "two"],
    "credits": ["", "0.5", "2", "3", "-2", "1.00001"],
    "credit_unit": ["", "contact_hour", "ceu", "iacet_ceu"],
    "areas": ["", "clinical", "Clinical", "clin", "clinical:1;general:1", "clinical:2", "general:", ";"],
    "topics": ["", "hipaa", "Infection Control", "bad!tag", "a;a"],
    "approved_by": ["", "AAMA", "aama;IACET", "NOPE"],
    "accepted_by": ["", "AMT", "X"],
    "delivery": ["", "online", "webinar"],
    "covers": ["", "provider=Acme", "provder=Acme"],
    "discount_pct": ["", "50", "101"],
    "term_months": ["", "12", "1.5"],
    "valid_from": ["", "2026-01-01", "2026-13-01"],
    "valid_until": ["", "2025-12-31", "2027-01-01", "soon"],
    "url": ["", "https://a.example/x", "ftp://x", "file:/tmp/x"],
    "description": ["", "Plain.", "<b>Bold</b> &amp; more", "two  spaces", "line\nbreak"],
}
PADS = ["", " ", "\t", "\u3000", "\x1c", "\xa0"]


@st.composite
def csv_files(draw) -> tuple[list[str], list[dict[str, str]]]:
    columns = [c for c in HEADER if c in GOOD or c == "url" or draw(st.booleans())]
    extra = draw(st.sampled_from([[], ["retrieved_on"], ["member_price_usd", "audience"]]))
    columns = columns + extra
    rows = []
    for i in range(draw(st.integers(0, 12))):
        row = {c: GOOD.get(c, "") for c in columns}
        row["id"] = f"x-{draw(st.integers(0, 15))}" if draw(st.booleans()) else f"r{i}"
        for col in draw(st.lists(st.sampled_from(columns), max_size=3)):
            row[col] = draw(st.sampled_from(VALUES.get(col, ["", "2026-02-02", "x", "medical_assistant"])))
        col = draw(st.sampled_from(columns))
        row[col] = draw(st.sampled_from(PADS)) + row[col] + draw(st.sampled_from(PADS))
        rows.append(row)
    return columns, rows


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]], crlf: bool) -> Path:
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r[c] for c in columns])
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_files(), crlf=st.booleans())
def test_generated_files_agree(tmp_path, data, crlf):
    columns, rows = data
    same_result(write_csv(tmp_path / "gen.csv", columns, rows, crlf))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=csv_files(), b=csv_files())
def test_several_files_agree_with_the_row_loader(tmp_path, a, b):
    paths = [write_csv(tmp_path / "a.csv", *a, False), write_csv(tmp_path / "b.csv", *b, True)]
    try:
        expected = arrow_offerings([o.to_row() for o in load_manual_files(paths, base=tmp_path)])
    except ManualCSVError as e:
        with pytest.raises(ManualCSVError) as got:
            load_manual_table(paths, base=tmp_path)
        assert [str(x) for x in got.value.errors] == [str(x) for x in e.errors]
        return
    assert load_manual_table(paths, base=tmp_path).to_pylist() == expected.to_pylist()


def test_well_formed_rows_are_checked_column_wise_and_odd_rows_by_the_row_check(tmp_path):
    lines = [",".join(HEADER)]
    lines += [
        f"c{i},Acme,Course {i},course,{i}.50,,,one_time,1,1,aama_ceu,clinical,,,,online,,,,,,https://a/{i},"
        for i in range(50)
    ]
    lines += [
        "m-1,Acme,Membership,membership,30,,,per_year,,,,,,,,online,provider=Acme,100,12,,,https://a/m,"
    ]
    path = tmp_path / "acme.csv"
    path.write_text("\n".join(lines) + "\n")
    cols = read_columns(path)
    assert cols is not None and cols.rows == 51
    table = convert_columns(cols, "acme.csv", "manual/acme.csv").table
    assert table.num_rows == 51
    assert table.column("covers").to_pylist()[-1] == "provider=Acme"
    assert table.column("source_line").to_pylist() == list(range(2, 53))


H = ",".join(HEADER)
ROW = ",".join(GOOD.get(c, "") for c in HEADER)


@pytest.mark.parametrize(
    "text",
    [
        f"{H}\n{ROW}\n\n",  # a blank line
        f"{H}\n{ROW.replace(GOOD['title'], chr(34) + 'Good' + chr(10) + 'course' + chr(34))}\n",  # a quoted line break
        f"{H}\r{ROW}\r",  # bare carriage returns
        f'"id"{H[2:]}\n{ROW}\n',  # a quoted header
        f"{H}\n{ROW},extra\n",  # a row with an extra cell
        f"{H}\n{ROW}\n{ROW.replace('x-1', 'x-2')}\x00\n",  # a NUL byte
    ],
)
def test_odd_files_go_to_the_row_reader(tmp_path, text):
    path = tmp_path / "odd.csv"
    path.write_bytes(text.encode())
    assert read_columns(path) is None
    same_result(path)


def test_a_plain_file_is_read_column_wise(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_bytes(f"{H}\r\n{ROW}\r\n".encode())
    assert read_columns(path) is not None


def test_arrow_schema_is_the_offerings_schema_of_both_paths(tmp_path):
    path = write_csv(tmp_path / "one.csv", list(GOOD), [dict(GOOD)], False)
    assert convert_file(path, "one.csv").table.schema == arrow_schema()
    assert isinstance(convert_file(path, "one.csv").table, pa.Table)
