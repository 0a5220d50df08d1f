"""Validate and convert several manual CSVs at once, one process per file.

Each worker streams its file through the same row parser as `iter_manual_files` and writes
the valid rows as Parquet parts; the parent then checks ids across files and reports every
error together (FILE:LINE:COLUMN), exactly as the sequential loader does. Only when there is
no error anywhere are the parts handed on, so nothing partial is ever built.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.loaders.manual_csv import LoadError, ManualCSVError, read_rows, source_name

CHUNK = 50_000


def _convert_file(
    args: tuple[str, str, str, int],
) -> tuple[list[str], list[LoadError], list[tuple[str, int]], dict]:
    import pyarrow.parquet as pq

    from catalog.records import arrow_offerings

    path, name, workdir, index = args
    parts: list[str] = []
    errors: list[LoadError] = []
    ids: list[tuple[str, int]] = []
    stats: dict[str, dict[str, Any]] = {}
    chunk: list = []

    def flush() -> None:
        if chunk and not errors:
            part = Path(workdir) / f"part-{index:05d}-{len(parts):05d}.parquet"
            pq.write_table(arrow_offerings([o.to_row() for o in chunk]), part)
            parts.append(str(part))
        chunk.clear()

    for line, oid, offering, row_errors in read_rows(Path(path), name):
        errors.extend(row_errors)
        if oid:
            ids.append((oid, line))
        if offering is not None:
            s = stats.setdefault(offering.source, {"items": 0, "invalid": 0, "providers": set()})
            s["items"] += 1
            s["providers"].add(offering.provider)
            if not errors:
                chunk.append(offering)
                if len(chunk) >= CHUNK:
                    flush()
    flush()
    return parts, errors, ids, stats


@dataclass(frozen=True)
class ParquetParts:
    """Already-validated offerings as Parquet files in the offerings schema (bulk-inserted by DuckDB)."""

    paths: list[Path]


class ParallelLoad:
    """Yields one ParquetParts of every valid offering in `paths`, or raises ManualCSVError (all errors)."""

    def __init__(self, paths: list[Path], base: Path | None, workdir: Path, workers: int):
        self.paths, self.base, self.workdir, self.workers = paths, base, workdir, workers
        self.stats: dict[str, dict[str, Any]] = {}

    def __iter__(self) -> Iterator[ParquetParts]:
        jobs = [(str(p), source_name(p, self.base), str(self.workdir), i) for i, p in enumerate(self.paths)]
        # fork where the platform has it: no re-import of the caller's __main__ (scripts and notebooks
        # call build() without a main guard); the parent has no DuckDB connection open at this point.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method)) as pool:
            results = list(pool.map(_convert_file, jobs))
        errors: list[LoadError] = []
        seen: dict[str, tuple[str, int]] = {}
        for (_parts, file_errors, ids, stats), (_p, name, _w, _i) in zip(results, jobs, strict=True):
            errors.extend(file_errors)
            for oid, line in ids:
                first = seen.setdefault(oid, (name, line))
                if first != (name, line):
                    errors.append(
                        LoadError(
                            name, line, "id", f"duplicate id {oid!r} (first defined at {first[0]}:{first[1]})"
                        )
                    )
            for src, s in stats.items():
                self.stats[src] = {**s, "providers": sorted(s["providers"])}
        if errors:
            raise ManualCSVError(errors)
        yield ParquetParts([Path(part) for parts, *_ in results for part in parts])
