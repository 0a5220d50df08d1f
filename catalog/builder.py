"""From source files to a published snapshot: load, validate, enrich, build, publish."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from catalog.home import manual_dir
from catalog.loaders.manual_csv import csv_files
from catalog.loaders.manual_table import ManualTables
from catalog.loaders.parallel import ParallelLoad
from catalog.publish import build_and_publish
from catalog.publish_lock import PARTS_PREFIX, tmp_prefix
from catalog.records import Offering
from catalog.snapshot import EmptyBuildError, Snapshot


class SourceCounter:
    """Counts items and providers per source while offerings stream past (for refresh guards)."""

    def __init__(self) -> None:
        self._stats: dict[str, dict[str, Any]] = {}

    def count(self, offerings: Iterable[Offering]) -> Iterator[Offering]:
        for o in offerings:
            s = self._stats.get(o.source)
            if s is None:
                s = self._stats[o.source] = {"items": 0, "invalid": 0, "providers": set()}
            s["items"] += 1
            s["providers"].add(o.provider)
            yield o

    def result(self) -> dict[str, dict[str, Any]]:
        return {k: {**v, "providers": sorted(v["providers"])} for k, v in sorted(self._stats.items())}


def enrichment_hook() -> Callable | None:
    """The learning step (merge duplicates, infer areas) run on the written tables."""
    from catalog.learning.enrich import finalize_table

    return finalize_table


def manual_inputs(files: list[Path]) -> dict[str, Any]:
    """sha256 of each manual CSV, recorded in the manifest (the embedded snapshot's staleness check)."""
    return {"manual_files": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}}


def display_base(files: list[Path]) -> Path | None:
    """Show shipped files as data/manual/<file>.csv; other files relative to the working directory."""
    manual = manual_dir().resolve()
    if files and all(manual in f.resolve().parents for f in files):
        return manual.parent.parent
    return None


#: Inputs at least this large (bytes, over several files) are validated in parallel processes.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024


def build(
    source_dirs: Iterable[Path | str] | None = None,
    home: str | Path | None = None,
    *,
    extra: Iterable[Offering] = (),
    progress: Callable[[str], None] | None = None,
    publish: bool = True,
    enrich: bool = True,
    extra_sources: dict[str, dict[str, Any]] | None = None,
    workers: int = 1,
    parallel_min_bytes: int = PARALLEL_MIN_BYTES,
    allow_empty: bool = False,
    wait: bool = True,
    say: Callable[[str], None] | None = None,
) -> Snapshot:
    """`catalog build`: stream-validate manual CSVs (plus `extra` offerings) into one snapshot.

    Any invalid row raises ManualCSVError after every file was checked; the half-written
    temporary snapshot is then deleted and nothing is published. Large multi-file inputs are
    validated one file per process when `workers` > 1, with the same results (by default one process
    reads them column-wise, converting the next file in a thread while DuckDB inserts the current one:
    on 2 cores that is faster than worker processes and holds less memory; bench/results/catalog_build.md).
    No offering at all raises EmptyBuildError (naming the sources) unless `allow_empty`; `wait`
    and `say` concern the publish lock (catalog.publish).
    """
    dirs = list(source_dirs) if source_dirs else [manual_dir()]
    files = csv_files(dirs)
    base = display_base(files)
    finalize = enrichment_hook() if enrich else None
    counter = SourceCounter()
    parallel = workers > 1 and len(files) > 1 and sum(f.stat().st_size for f in files) >= parallel_min_bytes
    with tempfile.TemporaryDirectory(prefix=tmp_prefix(PARTS_PREFIX)) as workdir:
        if parallel:
            loaded = ParallelLoad(files, base, Path(workdir), min(workers, len(files)))
            stream = _chain(loaded, counter.count(extra))
        else:
            loaded = ManualTables(files, base)
            stream = _chain(loaded, counter.count(extra))

        def sources() -> dict[str, dict[str, Any]]:
            return {**loaded.stats, **counter.result(), **(extra_sources or {})}

        try:
            return build_and_publish(
                stream,
                home,
                sources=sources,
                inputs=manual_inputs(files),
                progress=progress,
                publish=publish,
                finalize=finalize,
                allow_empty=allow_empty,
                wait=wait,
                say=say,
            )
        except EmptyBuildError:
            raise EmptyBuildError(_empty_message(dirs, files)) from None


def _empty_message(dirs: list[Path | str], files: list[Path]) -> str:
    """Why a build found no offerings, naming the sources."""
    where = ", ".join(map(str, dirs))
    if not files:
        what = f"no .csv file in {where}"
    else:
        names = ", ".join(f.name for f in files[:5]) + (", ..." if len(files) > 5 else "")
        what = f"{len(files)} CSV file(s) in {where} ({names}) hold only a header row"
    return f"{what}: nothing was published (pass --allow-empty to publish an empty catalog)"


def _chain(first: Iterable[Any], second: Iterable[Offering]) -> Iterator[Any]:
    yield from first
    yield from second
