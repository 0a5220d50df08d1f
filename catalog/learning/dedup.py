"""Cross-source duplicate detection: the same course listed by a spider and a CSV, or twice by one provider.

Candidates are blocked by provider, kind and credits (equal credits, or unknown on one side).
Within a block, normalized titles are compared by TF-IDF character n-gram cosine (only pairs that
can reach the threshold and do not carry different numbers: catalog/learning/blocking.py); the IDF is
fitted on every title in the catalog plus the labeled titles, so words every course shares
("medical assistant") weigh little. A few explicit rules keep apart titles that differ only by a
number, a level (basic/advanced), a population (pediatric/adult) or a setting (medical/dental).
Clusters grow by single linkage, but never across a do-not-merge pair or a rule conflict.
Each cluster becomes one offering that keeps every source in the provenance rows; different
prices become one offering with several offers (a price range, planned at its top).
The threshold was chosen on data/labels/duplicate_pairs.csv (see catalog.learning.pairs).
Title normalizing, the look-alike rules and the similarity live in catalog.learning.titles.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

from catalog.learning.titles import (
    TitleSimilarity,
    background_titles,
    conflict,
    normalize_title,
    provider_key,
)
from catalog.progress import report
from catalog.records import Offering
from catalog.vocab import HOURS_PER_UNIT

#: Cosine at or above which two titles in one block are the same course. Chosen on the shipped
#: pair set by `choose_threshold` (highest recall with precision >= 0.95); see data/labels/README.md.
THRESHOLD = 0.74
DECISIONS = ("do_not_merge", "force_merge")


class CuratedError(ValueError):
    """A bad row in the curated duplicates file."""


def credit_hours(o: Offering) -> tuple[str, Decimal] | None:
    """Credits comparable across units (contact hours when convertible), or None when unknown."""
    if o.credits is None or o.credit_unit is None:  # a figure without a stated unit compares with nothing
        return None
    if o.credit_unit in HOURS_PER_UNIT:
        return ("hours", o.credits * HOURS_PER_UNIT[o.credit_unit])
    return (o.credit_unit.value, o.credits)


def compatible(a: Offering, b: Offering) -> bool:
    """Same block: same provider and kind, and equal credits unless one side's credits are unknown."""
    if provider_key(a.provider) != provider_key(b.provider) or a.kind != b.kind:
        return False
    ca, cb = credit_hours(a), credit_hours(b)
    return ca is None or cb is None or ca == cb


# ----------------------------------------------------------------------------- curated list


@dataclass(frozen=True)
class Curated:
    """Reviewed decisions: pairs never to merge and pairs always to merge (by offering id)."""

    do_not_merge: frozenset[frozenset[str]] = frozenset()
    force_merge: tuple[tuple[str, str], ...] = ()

    def forbids(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.do_not_merge


def default_curated_path() -> Path:
    return Path(str(files("ceu_data") / "duplicates.csv"))


def load_curated(path: str | Path | None = None) -> Curated:
    """Read data/duplicates.csv: columns decision (do_not_merge|force_merge), a, b, reason."""
    p = Path(path) if path else default_curated_path()
    if not p.is_file():
        return Curated()
    dnm: set[frozenset[str]] = set()
    force: list[tuple[str, str]] = []
    with open(p, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("decision", "a", "b", "reason") if c not in (reader.fieldnames or [])]
        if missing:
            raise CuratedError(f"{p}:1: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            decision = (row["decision"] or "").strip()
            a, b = (row["a"] or "").strip(), (row["b"] or "").strip()
            if decision not in DECISIONS:
                raise CuratedError(f"{p}:{line}:decision: {decision!r} is not one of {', '.join(DECISIONS)}")
            for col, v in (("a", a), ("b", b)):
                if not v:
                    raise CuratedError(f"{p}:{line}:{col}: empty offering id")
            if a == b:
                raise CuratedError(f"{p}:{line}:b: a pair needs two different ids")
            if not (row["reason"] or "").strip():
                raise CuratedError(f"{p}:{line}:reason: say why (reviewed like code)")
            if decision == "do_not_merge":
                dnm.add(frozenset((a, b)))
            else:
                force.append((a, b))
    clash = [pair for pair in force if frozenset(pair) in dnm]
    if clash:
        raise CuratedError(f"{p}: {clash[0][0]} / {clash[0][1]} is both do_not_merge and force_merge")
    return Curated(frozenset(dnm), tuple(force))


# ----------------------------------------------------------------------------- clustering


#: The build passes every row of a (provider, kind) block up to this size to `cluster`; in larger
#: blocks only rows sharing a rare title word (numbers aside) or an identical title (enrich.py).
EXACT_BLOCK = 2000
#: A word in at most this many titles of a large block is "rare" enough to keep its rows.
RARE_WORD_DF = 20


#: At most this many catalog titles set the IDF weights (a deterministic sample of larger catalogs).
IDF_SAMPLE = 20_000


def _sample_titles(offerings: Sequence[Offering]) -> list[str]:
    step = max(1, len(offerings) // IDF_SAMPLE)
    return [o.title for o in offerings[::step]]


def cluster(
    offerings: Sequence[Offering],
    *,
    threshold: float = THRESHOLD,
    curated: Curated | None = None,
    sim: TitleSimilarity | None = None,
) -> list[list[int]]:
    """Groups of offering indexes that are one course (singletons included), in input order."""
    curated = curated or Curated()
    sim = sim or TitleSimilarity(background_titles(_sample_titles(offerings)))
    index = {o.id: i for i, o in enumerate(offerings)}
    members: dict[int, list[int]] = {i: [i] for i in range(len(offerings))}
    root = list(range(len(offerings)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    def blocked(ra: int, rb: int, forced: bool) -> bool:
        for x in members[ra]:
            for y in members[rb]:
                if curated.forbids(offerings[x].id, offerings[y].id):
                    return True
                if not forced and (
                    not compatible(offerings[x], offerings[y])
                    or conflict(normalize_title(offerings[x].title), normalize_title(offerings[y].title))
                ):
                    return True
        return False

    def union(i: int, j: int, forced: bool = False) -> None:
        ra, rb = find(i), find(j)
        if ra == rb or blocked(ra, rb, forced):
            return
        ra, rb = min(ra, rb), max(ra, rb)
        root[rb] = ra
        members[ra] += members.pop(rb)

    for a, b in curated.force_merge:
        if a in index and b in index:
            union(index[a], index[b], forced=True)
    from catalog.learning.blocking import candidate_pairs

    pairs = candidate_pairs(offerings, sim, threshold)
    for k, (_score, i, j) in enumerate(pairs):
        union(i, j)
        if k % 10000 == 0:
            report("grouping duplicates", k, len(pairs))
    report("grouping duplicates", len(pairs), len(pairs))
    return [sorted(m) for _r, m in sorted(members.items())]


# ----------------------------------------------------------------------------- merging


def primary_first(o: Offering) -> tuple:
    """Primary record first: manual CSVs (reviewed by people), then the most complete, then the id."""
    filled = sum(
        v not in (None, "", (), Decimal(0))
        for v in (o.price_usd, o.credits, o.hours, o.areas, o.description, o.approved_by, o.delivery)
    )
    return (0 if o.source.startswith("manual/") else 1, -filled, o.id)


_FILL = (
    "hours",
    "credits",
    "description",
    "topics",
    "approved_by",
    "accepted_by",
    "delivery",
    "valid_from",
    "valid_until",
    "term_months",
)


def merge(group: Sequence[Offering]) -> Offering:
    """One offering for a cluster: the primary record, gaps filled from the others, every price kept as an offer."""
    if len(group) == 1:
        return group[0]
    ordered = sorted(group, key=primary_first)
    primary = ordered[0]
    changes: dict[str, Any] = {}
    for name in _FILL:
        if getattr(primary, name) in (None, "", ()):
            for o in ordered[1:]:
                if getattr(o, name) not in (None, "", ()):
                    changes[name] = getattr(o, name)
                    break
    if not primary.areas or primary.area_source != "stated":
        stated = next((o for o in ordered if o.areas and o.area_source == "stated"), None)
        if stated is not None:
            credits = changes.get("credits", primary.credits)
            areas = stated.areas if len(stated.areas) > 1 else ((stated.areas[0][0], credits),)
            changes.update(areas=areas, area_source="stated", area_confidence=None)
    exact = sorted({o.price_usd for o in group if o.price_usd is not None})
    if len(exact) == 1:
        changes.update(price_usd=exact[0], price_min_usd=None, price_max_usd=None)
    elif len(exact) > 1:
        changes.update(price_usd=None, price_min_usd=exact[0], price_max_usd=exact[-1])
    else:
        lows = [o.price_min_usd for o in group if o.price_min_usd is not None]
        highs = [o.price_max_usd for o in group if o.price_max_usd is not None]
        if lows and highs:
            changes.update(price_min_usd=min(lows), price_max_usd=max(highs))
    return primary.replace(**changes)
