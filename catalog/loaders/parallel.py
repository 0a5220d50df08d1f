"""Validate and convert several manual CSVs at once, one process per file.

Each worker runs the same per-file loader as one process does (`manual_table.convert_file`) and
writes the valid rows as a Parquet part; the parent then checks ids across files and reports every
error together (FILE:LINE:COLUMN) in the same order as the sequential loader. Only when there is no
error anywhere are the parts handed on, so nothing partial is ever built.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.loaders.column_checks import Converted
from catalog.loaders.manual_csv import ManualCSVError, source_name
from catalog.loaders.manual_table import add_source_counts, convert_file, count_sources, ordered_errors


def _convert_file(args: tuple[str, str, str, int]) -> tuple[Converted, dict[str, dict[str, Any]]]:
    """(the file's result with its table moved to a Parquet part, its source counts)."""
    import pyarrow.parquet as pq

    path, name, workdir, index = args
    result = convert_file(Path(path), name)
    stats: dict[str, dict[str, Any]] = {}
    if result.table is not None and not result.errors:
        count_sources(result.table, stats)
        part = Path(workdir) / f"part-{index:05d}.parquet"
        pq.write_table(result.table, part, compression="none")
        result.table = str(part)
    return result, stats


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
        errors = ordered_errors(
            [(name, r) for (r, _s), (_p, name, _w, _i) in zip(results, jobs, strict=True)]
        )
        if errors:
            raise ManualCSVError(errors)
        for _r, stats in results:
            for src, s in stats.items():
                add_source_counts(self.stats, src, s["items"], s["providers"])
        yield ParquetParts([Path(r.table) for r, _s in results if r.table])
