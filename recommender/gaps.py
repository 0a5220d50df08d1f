"""Remaining gaps: what the optimizer must still close, whether from `--gaps` or a transcript.

Keys follow the `--gaps` grammar of interfaces.md: `general`, `clinical`, `administrative`,
`total`, `approved:BODY`, `topic:NAME`. Amounts are in the credential's own units (contact
hours without a credential).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from recommender.counting import GRAMMAR, GapKey, GapsSyntaxError, complete_gaps
from recommender.numbers import plain_number as _fmt
from recommender.table import AREAS

if TYPE_CHECKING:
    from recommender.rules import Credential

__all__ = ["GRAMMAR", "Gaps", "GapsSyntaxError", "parse_gaps"]

#: Largest gap accepted (no credential asks for more than a few hundred units per cycle).
MAX_GAP = 10_000


def parse_gaps(text: str) -> dict[str, float]:
    """'general=3,clinical=5,total=20,approved:AAMA=8' -> dict with every area key and total."""
    out: dict[str, float] = {}
    if not text or not text.strip():
        raise GapsSyntaxError("empty --gaps")
    for part in text.split(","):
        part = part.strip()
        key, sep, number = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise GapsSyntaxError(f"{part!r} is not KEY=NUMBER")
        key = GapKey.parse(key)
        try:
            amount = float(number)
        except ValueError:
            raise GapsSyntaxError(f"{key}={number.strip()!r}: not a number") from None
        if not math.isfinite(amount) or not 0 <= amount <= MAX_GAP:
            raise GapsSyntaxError(
                f"{key}={number.strip()}: must be a non-negative number, at most {MAX_GAP:,}"
            )
        if key in out:
            raise GapsSyntaxError(f"{key} is given twice")
        out[key] = amount
    return complete_gaps(out)


@dataclass(frozen=True)
class Gaps:
    """What remains to be earned; `caps_remaining` holds cap name -> units still allowed."""

    remaining: dict[str, float]
    caps_remaining: dict[str, float] = field(default_factory=dict)
    credential: Credential | None = None

    @classmethod
    def from_text(cls, text: str, credential: Credential | None = None) -> Gaps:
        return cls(parse_gaps(text), {}, credential)

    @classmethod
    def full(cls, credential: Credential, *, first_renewal: bool = False) -> Gaps:
        """A whole cycle's requirements with nothing earned yet (every recurring topic taken as due)."""
        due = {
            t.name: t.amount if first_renewal or not t.first_renewal_only else 0.0 for t in credential.topics
        }
        gaps = {a: credential.areas.get(a, 0.0) for a in AREAS}
        gaps["total"] = credential.total + sum(due[t.name] for t in credential.topics if t.adds_to_total)
        gaps.update({f"approved:{b}": v for b, v in credential.approved.items()})
        gaps.update({f"topic:{name}": amount for name, amount in due.items()})
        return cls(gaps, {}, credential)

    @property
    def closed(self) -> bool:
        return all(v <= 1e-9 for v in self.remaining.values())

    def to_text(self) -> str:
        """The `--gaps` form of these gaps (round-trips through parse_gaps)."""
        return ",".join(f"{k}={_fmt(v)}" for k, v in self.remaining.items())
