"""Helpers for the bad-input tests: files that go wrong in one named way, and the refusal check."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import FIXTURES

GOOD = FIXTURES / "manual" / "good"
MANUAL_HEADER = (GOOD / "acme.csv").read_text().splitlines()[0]
TRANSCRIPT_HEADER = "completed_on,title,provider,kind,credits,credit_unit,areas,approved_by"


def refused(proc: subprocess.CompletedProcess, code: int, *words: str) -> str:
    """Assert a clean refusal: exit `code`, no traceback, every word in stderr; return stderr."""
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert proc.returncode == code, f"exit {proc.returncode}, wanted {code}: {out}"
    for w in words:
        assert w in proc.stderr, f"{w!r} not in stderr: {proc.stderr}"
    return proc.stderr


def manual_row(oid: str, title: str = "A course", price: str = "10", **cells: str) -> str:
    """One manual CSV row in MANUAL_HEADER's column order (a valid course unless overridden)."""
    row = {
        "id": oid,
        "provider": "Test Provider",
        "title": title,
        "kind": "course",
        "price_usd": price,
        "price_basis": "one_time",
        "hours": "1",
        "credits": "1",
        "credit_unit": "contact_hour",
        "areas": "clinical",
        "url": f"https://test.example/{oid}",
        **cells,
    }
    cols = MANUAL_HEADER.split(",")
    return ",".join(_quote(row.get(c, "")) for c in cols)


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ',"\n') else cell


def write_manual(path: Path, *rows: str, header: str = MANUAL_HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
