"""Export a snapshot for other tools (pandas, polars, Spark, DuckDB): Parquet files + manifest.

Every file is first copied to a temporary name beside its target, and only when all copies
succeeded are they renamed into place; a failure (a full disk) removes the copies and leaves
the directory as it was. A directory that already holds an export is refused unless `force`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from catalog.snapshot import TABLES, CatalogError, Snapshot
from catalog.write_errors import disk_errors

EXPORT_FILES = (*(f"{t}.parquet" for t in TABLES), "manifest.json")


def export_parquet(snap: Snapshot, directory: Path, *, force: bool = False) -> list[Path]:
    """Copy the snapshot's Parquet files and manifest into `directory`; return the written paths."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise CatalogError(f"{directory} is a file, not a directory")
    present = [n for n in EXPORT_FILES if (directory / n).exists()]
    if present and not force:
        raise CatalogError(
            f"{directory} already holds an export ({', '.join(present)}); "
            "pass --force to replace it, or choose another directory"
        )
    sources = [snap.parquet(t) for t in TABLES] + [snap.path / "manifest.json"]
    targets = [directory / n for n in EXPORT_FILES]
    copies: list[Path] = []
    created = not directory.exists()
    with disk_errors(directory, "the directory was left as it was"):
        directory.mkdir(parents=True, exist_ok=True)
        done = False
        try:
            for src, dst in zip(sources, targets, strict=True):
                tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
                copies.append(tmp)
                try:
                    shutil.copyfile(src, tmp)
                except OSError as e:
                    e.filename = str(dst)  # name the file being written, not the snapshot's
                    raise
            for tmp, dst in zip(copies, targets, strict=True):
                tmp.replace(dst)
            done = True
        finally:
            for tmp in copies:
                tmp.unlink(missing_ok=True)
            if created and not done:
                directory.rmdir()
    return targets
