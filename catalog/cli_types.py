"""Shared by both CLIs: number options with a sane range (NaN, infinity and absurd sizes are usage
errors), and library warnings shown as plain 'warning: ...' lines.

click.FloatRange lets NaN through (every comparison with NaN is false); these types refuse any
value outside [low, high] (or (low, high] with `low_open`) and say the range in the message.
Only click is imported, so `recommend` stays light.
"""

from __future__ import annotations

import math

import click


def _num(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"


class BoundedFloat(click.ParamType):
    """A finite float in [low, high] (or (low, high]); `unit` words the range in messages."""

    name = "NUMBER"

    def __init__(self, low: float, high: float, *, low_open: bool = False, unit: str = "") -> None:
        self.low, self.high, self.low_open, self.unit = low, high, low_open, unit

    @property
    def range_text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        low = f"more than {_num(self.low)}" if self.low_open else f"from {_num(self.low)}"
        return f"{low} to {_num(self.high)}{unit}"

    def convert(self, value, param, ctx) -> float:
        if isinstance(value, float) and math.isfinite(value) and self._inside(value):
            return value
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError:
            self.fail(f"{value!r} is not a number (give a number {self.range_text})", param, ctx)
        if not math.isfinite(number) or not self._inside(number):
            self.fail(f"{value!r} is out of range: give a number {self.range_text}", param, ctx)
        return number

    def _inside(self, x: float) -> bool:
        above = x > self.low if self.low_open else x >= self.low
        return above and x <= self.high


#: Ranges shared by the catalog and the planner (USD, hours, seconds, rows).
MONEY = BoundedFloat(0, 1_000_000, unit="USD")
HOURS = BoundedFloat(0, 10_000, unit="hours")
SECONDS = BoundedFloat(0, 86_400, low_open=True, unit="seconds")
ROW_LIMIT = click.IntRange(0, 1_000_000_000)


def plain_warnings() -> None:
    """Show the library's warnings (a skipped snapshot, a missing home, a transcript's default unit)
    as one 'warning: ...' line on stderr, every time, instead of Python's two-line format."""
    import warnings

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        click.echo(f"warning: {message}", err=True)

    warnings.showwarning = show
    warnings.filterwarnings("always", module=r"(catalog|recommender)(\.|$)")
