"""Manual CSV validation: every error class is reported as FILE:LINE:COLUMN and nothing is published."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.loaders.manual_csv import ManualCSVError, load_manual
from tests.helpers import catalog

HEADER = (
    "id,provider,title,kind,price_usd,price_min_usd,price_max_usd,price_basis,hours,credits,credit_unit,"
    "areas,topics,approved_by,accepted_by,delivery,covers,discount_pct,term_months,valid_from,valid_until,"
    "url,description"
)
GOOD = "x-1,Acme,Good course,course,10,,,one_time,1,1,aama_ceu,clinical,,AAMA,AAMA,online,,,,,,https://a.example/1,"


def row(**changes: str) -> str:
    cells = dict(zip(HEADER.split(","), GOOD.split(","), strict=True))
    cells.update(changes)
    return ",".join(cells[c] for c in HEADER.split(","))


# (file text lines after the header, expected line, expected column, expected words in the message).
# Every rule of every field is a row of tests/catalog/test_normalize.py; these check that an error
# reaches the user as FILE:LINE:COLUMN and that nothing is published.
CASES = {
    "non-numeric price": ([row(price_usd="ten")], 2, "price_usd", "not a number"),
    "covers unknown field": (
        [row(id="m-1", kind="membership", covers="provder=Acme", discount_pct="100")],
        2,
        "covers",
        "did you mean 'provider'",
    ),
    "second row bad": ([row(), row(id="x-2", hours="lots")], 3, "hours", "not a number"),
    # the catalog keeps cents: a finer price was a traceback (an Arrow rescaling error) before
    "fraction of a cent": ([row(price_usd="12.345")], 2, "price_usd", "more than 2 decimal places"),
    "credits beyond 4 places": (
        [row(credits="1.00001", hours="")],
        2,
        "credits",
        "more than 4 decimal places",
    ),
}


def write(dirpath: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    dirpath.mkdir(parents=True, exist_ok=True)
    p = dirpath / name
    p.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_invalid_value_names_file_line_column_and_nothing_is_published(case, tmp_path):
    lines, line, column, words = CASES[case]
    src = tmp_path / "src"
    write(src, "acme.csv", lines)
    home = tmp_path / "home"
    proc = catalog("build", "--source", src, "--home", home, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"src/acme.csv:{line}:{column}:" in proc.stderr
    assert words in proc.stderr
    assert "nothing was published" in proc.stderr
    assert not (home / "latest").exists()
    assert not list((home / "snapshots").glob("*")) if (home / "snapshots").exists() else True


def test_all_errors_across_files_are_reported_at_once(tmp_path):
    src = tmp_path / "src"
    write(src, "a.csv", [row(price_usd="x"), row(id="x-2", areas="nowhere")])
    write(src, "b.csv", [row(id="x-2"), row(id="x-3", kind="")])  # duplicate id across files, missing kind
    with pytest.raises(ManualCSVError) as exc:
        load_manual([src])
    where = {(Path(e.path).name, e.line, e.column) for e in exc.value.errors}
    assert where == {
        ("a.csv", 2, "price_usd"),
        ("a.csv", 3, "areas"),
        ("b.csv", 2, "id"),
        ("b.csv", 3, "kind"),
    }
    dup = next(e for e in exc.value.errors if e.column == "id")
    assert "duplicate id 'x-2'" in dup.message and "a.csv:3" in dup.message


def test_unknown_and_missing_columns_are_header_errors(tmp_path):
    src = tmp_path / "src"
    write(
        src,
        "a.csv",
        ["x,Acme,T,course,1,https://a.example,extra"],
        header="id,provider,title,kind,price,url,notes",
    )
    with pytest.raises(ManualCSVError) as exc:
        load_manual([src])
    msgs = {(e.line, e.column): e.message for e in exc.value.errors}
    assert "did you mean 'price_usd'" in msgs[(1, "price")]
    assert (1, "notes") in msgs
    assert not any(e.line > 1 for e in exc.value.errors)


def test_bad_encoding_names_line_and_column(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    text = (HEADER + "\n" + row() + "\n" + row(id="x-2", title="Caf\xe9")).encode("latin-1")
    (src / "a.csv").write_bytes(text)
    with pytest.raises(ManualCSVError) as exc:
        load_manual([src])
    [err] = exc.value.errors
    assert (err.line, err.column) == (3, "title")
    assert "UTF-8" in err.message


def test_bom_and_quoted_multiline_cells_are_tolerated(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    body = row(description='"two\nlines"')
    (src / "a.csv").write_bytes(
        ("\ufeff" + HEADER + "\n" + body + "\n" + row(id="x-2", price_usd="oops") + "\n").encode("utf-8")
    )
    with pytest.raises(ManualCSVError) as exc:
        load_manual([src])
    [err] = exc.value.errors
    assert (err.line, err.column) == (4, "price_usd")  # the multi-line cell occupies lines 2-3


def test_valid_rows_keep_units_ranges_and_provenance(small_sources):
    offerings = {o.id: o for o in load_manual([small_sources])}
    assert str(offerings["acme-hipaa"].price_usd) == "19.99"
    assert offerings["acme-hipaa"].credit_unit.value == "aama_ceu"
    rng = offerings["acme-range"]
    assert rng.price_usd is None and (rng.price_min_usd, rng.price_max_usd) == (15, 60)
    assert offerings["acme-vitals"].source == "manual/acme.csv" and offerings["acme-vitals"].source_line == 3
    assert offerings["acme-club"].covers == (("provider", "Acme Health Education"),)
