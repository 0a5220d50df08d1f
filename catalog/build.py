"""From source files to a published snapshot: load, validate, enrich, build, publish."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.home import manual_dir
from catalog.loaders.manual_csv import csv_files, load_manual_files
from catalog.records import Offering
from catalog.snapshot import Snapshot, build_and_publish


@dataclass
class Prepared:
    """Validated, enriched offerings ready to write, with provenance and per-source counts."""

    offerings: list[Offering]
    source_rows: list[dict[str, Any]] | None = None
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def source_stats(offerings: Iterable[Offering], invalid: dict[str, int] | None = None) -> dict[str, dict[str, Any]]:
    """Per-source item counts and providers, recorded in the manifest for refresh guards."""
    stats: dict[str, dict[str, Any]] = {}
    for o in offerings:
        s = stats.setdefault(o.source, {"items": 0, "invalid": 0, "providers": set()})
        s["items"] += 1
        s["providers"].add(o.provider)
    for src, n in (invalid or {}).items():
        stats.setdefault(src, {"items": 0, "invalid": 0, "providers": set()})["invalid"] = n
    return {k: {**v, "providers": sorted(v["providers"])} for k, v in sorted(stats.items())}


def enrich_offerings(offerings: list[Offering]) -> tuple[list[Offering], list[dict[str, Any]] | None, list[str]]:
    """Infer missing areas and merge duplicates when the learning step is installed."""
    try:
        from catalog.enrich import enrich
    except ImportError:
        return offerings, None, []
    result = enrich(offerings)
    return result.offerings, result.source_rows, list(getattr(result, "notes", []))


def prepare(source_dirs: Iterable[Path | str] | None = None, *, extra: list[Offering] | None = None,
            enrich: bool = True) -> Prepared:
    """Load and validate manual CSVs (raises ManualCSVError), add `extra` offerings, enrich."""
    files = csv_files(list(source_dirs) if source_dirs else [manual_dir()])
    offerings = load_manual_files(files, base=_common_base(files))
    inputs = {"manual_files": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}}
    all_offerings = offerings + list(extra or [])
    source_rows, notes = None, []
    if enrich:
        all_offerings, source_rows, notes = enrich_offerings(all_offerings)
    return Prepared(all_offerings, source_rows, source_stats(offerings + list(extra or [])), inputs, notes)


def _common_base(files: list[Path]) -> Path | None:
    manual = manual_dir().resolve()
    if files and all(manual in f.resolve().parents for f in files):
        return manual.parent.parent  # show paths as data/manual/<file>.csv
    return None


def build(source_dirs: Iterable[Path | str] | None = None, home: str | Path | None = None, *,
          progress: Callable[[str], None] | None = None, publish: bool = True) -> Snapshot:
    """`catalog build`: validate everything first, then write and publish one snapshot."""
    prepared = prepare(source_dirs)
    return build_and_publish(prepared.offerings, home, sources=prepared.sources, source_rows=prepared.source_rows,
                             inputs=prepared.inputs, progress=progress, publish=publish)
