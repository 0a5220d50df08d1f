"""Remaining gaps: what the optimizer must still close, whether from `--gaps` or a transcript.

Keys follow the `--gaps` grammar of interfaces.md: `general`, `clinical`, `administrative`,
`total`, `approved:BODY`, `topic:NAME`. Amounts are in the credential's own units (contact
hours without a credential).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from catalog.vocab import parse_body, suggest
from recommender.table import AREAS

if TYPE_CHECKING:
    from recommender.rules import Credential

GRAMMAR = (
    "gaps are comma-separated KEY=NUMBER pairs; KEY is general, clinical, administrative, total, "
    "approved:BODY or topic:NAME; example: general=3,clinical=5,administrative=0,total=20,approved:AAMA=8"
)


class GapsSyntaxError(ValueError):
    """A malformed `--gaps` value; the message shows the grammar and an example."""

    def __init__(self, problem: str):
        super().__init__(f"{problem}; {GRAMMAR}")


_TOPIC = re.compile(r"[a-z0-9_]+")


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
        key = _key(key)
        try:
            amount = float(number)
        except ValueError:
            raise GapsSyntaxError(f"{key}={number.strip()!r}: not a number") from None
        if not math.isfinite(amount) or amount < 0:
            raise GapsSyntaxError(f"{key}={number.strip()}: must be a non-negative number")
        if key in out:
            raise GapsSyntaxError(f"{key} is given twice")
        out[key] = amount
    return _complete(out)


def _key(key: str) -> str:
    low = key.lower()
    if low in AREAS or low == "total":
        return low
    prefix, sep, rest = key.partition(":")
    if sep and prefix.lower() == "approved":
        try:
            return f"approved:{parse_body(rest)}"
        except ValueError as e:
            raise GapsSyntaxError(str(e)) from None
    if sep and prefix.lower() == "topic":
        tag = rest.strip().lower().replace("-", "_").replace(" ", "_")
        if not _TOPIC.fullmatch(tag):
            raise GapsSyntaxError(f"topic {rest!r}: topic tags are letters, digits and underscores")
        return f"topic:{tag}"
    raise GapsSyntaxError(f"unknown key {key!r}{suggest(low, [*AREAS, 'total', 'approved:', 'topic:'])}")


def _complete(gaps: dict[str, float]) -> dict[str, float]:
    """Every area key (0 when absent) and total (the sum of the area gaps when absent)."""
    out = {a: float(gaps.get(a, 0.0)) for a in AREAS}
    out["total"] = float(gaps["total"]) if "total" in gaps else sum(out.values())
    out.update({k: float(v) for k, v in gaps.items() if k not in out})
    return out


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


def _fmt(v: float) -> str:
    return format(round(v, 6), "f").rstrip("0").rstrip(".") or "0"
