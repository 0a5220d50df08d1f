"""data/manual/README.md states how many rows, prices, credits and areas the shipped CSVs hold: keep it true."""

import csv
import re

from tests.helpers import REPO


def test_manual_readme_counts_are_fresh():
    files = sorted((REPO / "data" / "manual").glob("*.csv"))
    rows = [r for f in files for r in csv.DictReader(f.open(encoding="utf-8"))]
    text = (REPO / "data" / "manual" / "README.md").read_text()
    m = re.search(
        r"(\d+) rows in (\d+) files: (\d+) have an exact price \((\d+) counting ranges\), (\d+) have known "
        r"credits, and (\d+) ha(?:s|ve) a stated area",
        text,
    )
    assert m, "the README's count sentence is missing"
    assert tuple(map(int, m.groups())) == (
        len(rows),
        len(files),
        sum(1 for r in rows if r["price_usd"]),
        sum(1 for r in rows if r["price_usd"] or r["price_max_usd"]),
        sum(1 for r in rows if r["credits"]),
        sum(1 for r in rows if r["areas"]),
    )
