"""Cycle date arithmetic shared by credential cycles, transcript windows and membership terms."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(d: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the month's last day (Jan 31 + 1 = Feb 28/29)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def end_of_month(d: date) -> date:
    """The last day of `d`'s month."""
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
