"""Printing helpers shared by the catalog commands: JSON, CSV (formula-safe) and rich tables."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from catalog.records import plain_decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [jsonable(x) for x in v]
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(jsonable(obj), indent=2, ensure_ascii=False) + "\n")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not execute: formula-like text gets a leading apostrophe."""
    s = "" if value is None else str(value)
    if s.startswith(FORMULA_PREFIXES):
        try:
            float(s)  # a negative number is data, not a formula
            return s
        except ValueError:
            return "'" + s
    return s


def print_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([safe_cell(_csv_value(r.get(c))) for c in columns])


def _csv_value(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ";".join(map(str, v))
    if isinstance(v, Decimal):
        return plain_decimal(v)
    return v


def print_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for _key, header in columns:
        table.add_column(header, overflow="fold")
    for r in rows:
        table.add_row(*[fmt(r.get(k)) for k, _ in columns])
    Console().print(table)


def fmt(v: Any) -> str:
    if v is None or v == "":
        return "-"
    if isinstance(v, Decimal):
        return plain_decimal(v)
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v)) or "-"
    return str(v)


def money(v: Any) -> str:
    return "?" if v is None else f"${Decimal(v):,.2f}"


def price_text(r: dict[str, Any]) -> str:
    """An offering row's price as a shopper reads it: "$29.95/yr", "$15.00-$60.00", "unknown"."""
    if r.get("price_usd") is not None:
        p = f"${r['price_usd']:,.2f}"
    elif r.get("price_max_usd") is not None:
        p = f"${r['price_min_usd']:,.2f}-${r['price_max_usd']:,.2f}"
    else:
        return "unknown"
    basis = {"per_year": "/yr", "per_month": "/mo"}.get(r.get("price_basis") or "", "")
    return p + basis


def credits_text(r: dict[str, Any]) -> str:
    """An offering row's credits with their unit ("2 aama_ceu"), or "" when unknown."""
    if r.get("credits") is None:
        return ""
    if r.get("credit_unit"):
        return f"{fmt(r['credits'])} {r['credit_unit']}"
    said = r.get("credit_unit_text")  # crawled, no unambiguous unit: the page's own words, marked as such
    return f"{fmt(r['credits'])} {said} (unit unclear)" if said else f"{fmt(r['credits'])} (unit not stated)"
