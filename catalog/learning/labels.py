"""The labeled set the content-area classifier learns from: data/labels/areas.csv (title, description,
area; optional group), plus the areas providers state in the catalog (added by catalog.learning.enrich)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from catalog.vocab import AREAS


class LabelError(ValueError):
    """The labeled set cannot train a model (too small, one class, bad rows)."""


@dataclass
class LabeledSet:
    """Titles, descriptions and their areas; `groups` says where each label came from."""

    titles: list[str]
    descriptions: list[str]
    areas: list[str]
    groups: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.titles)

    def __add__(self, other: LabeledSet) -> LabeledSet:
        return LabeledSet(
            self.titles + other.titles,
            self.descriptions + other.descriptions,
            self.areas + other.areas,
            self.groups + other.groups,
        )

    def counts(self) -> dict[str, int]:
        return {a: self.areas.count(a) for a in AREAS if a in self.areas}


def default_labels_path() -> Path:
    return Path(str(files("ceu_data") / "labels" / "areas.csv"))


def load_labels(path: str | Path | None = None) -> LabeledSet:
    """Read a labeled CSV (columns title, description, area; optional group)."""
    p = Path(path) if path else default_labels_path()
    try:
        with open(p, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = [c for c in ("title", "area") if c not in (reader.fieldnames or [])]
            if missing:
                raise LabelError(f"{p}:1: labeled set needs the column(s) {', '.join(missing)}")
            out = LabeledSet([], [], [], [])
            for line, row in enumerate(reader, start=2):
                area = (row.get("area") or "").strip().lower()
                title = (row.get("title") or "").strip()
                if area not in AREAS:
                    raise LabelError(
                        f"{p}:{line}:area: unknown area {row.get('area')!r}; known: {', '.join(AREAS)}"
                    )
                if not title:
                    raise LabelError(f"{p}:{line}:title: empty title")
                out.titles.append(title)
                out.descriptions.append((row.get("description") or "").strip())
                out.areas.append(area)
                out.groups.append((row.get("group") or "").strip() or "labels")
    except FileNotFoundError:
        raise LabelError(f"{p}: labeled set not found") from None
    return out
