"""What the user may buy: `--delivery`, `--exclude-provider`, the transcript's completed activities,
expiry (and the budget / hours limits the optimizer applies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from recommender.table import OfferingTable


@dataclass
class Filters:
    """The user's purchase filters; `describe()` words them for explanations."""

    budget: float | None = None
    max_hours: float | None = None
    delivery: tuple[str, ...] = ()
    exclude_provider: tuple[str, ...] = ()
    exclude_ids: tuple[str, ...] = ()
    exclude_titles: tuple[tuple[str, str], ...] = ()  # (title, provider) casefolded, from a transcript
    stated_only: bool = False
    #: The transcript evaluations (recommender.evaluate.Evaluation) the gaps came from, if any.
    evaluations: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.delivery:
            parts.append("--delivery " + ",".join(self.delivery))
        if self.exclude_provider:
            parts.append("--exclude-provider " + ",".join(self.exclude_provider))
        if self.max_hours is not None:
            parts.append(f"--max-hours {self.max_hours:g}")
        if self.stated_only:
            parts.append("--stated-only")
        return " with " + " ".join(parts) if parts else ""


def available_mask(table: OfferingTable, f: Filters, as_of: date) -> np.ndarray:
    """Offerings the user may buy: not expired, not taken, within the filters."""
    ok = np.ones(len(table), dtype=bool)
    vu = table.valid_until
    ok &= np.fromiter((v is None or v >= as_of for v in vu), dtype=bool, count=len(table))
    covering = table.is_covering()
    if f.delivery:
        ok &= covering | np.isin(table.delivery, list(f.delivery))
    if f.exclude_provider:
        low = {p.casefold() for p in f.exclude_provider}
        ok &= np.fromiter(
            (str(p).casefold() not in low for p in table.provider), dtype=bool, count=len(table)
        )
    if f.exclude_ids:
        ok &= ~np.isin(table.id, list(f.exclude_ids))
    if f.exclude_titles:
        taken = set(f.exclude_titles)
        ok &= np.fromiter(
            (
                (str(t).casefold(), str(p).casefold()) not in taken and (str(t).casefold(), "") not in taken
                for t, p in zip(table.title, table.provider, strict=True)
            ),
            dtype=bool,
            count=len(table),
        )
    return ok
