"""How the recommender writes numbers: JSON numbers (integral values as int) and plain text."""

from __future__ import annotations

from typing import Any


def json_number(v: Any, places: int = 4) -> float | int:
    """`v` rounded to `places` decimals; an integral result as int (JSON reads better: 10, not 10.0)."""
    v = round(float(v), places)
    return int(v) if v == int(v) else v


def plain_number(v: float, places: int = 6) -> str:
    """`v` as short text: at most `places` decimals, no trailing zeros ("2.5", "10", "0")."""
    return format(round(v, places), "f").rstrip("0").rstrip(".") or "0"
