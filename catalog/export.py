"""Export a snapshot for other tools (pandas, polars, Spark, DuckDB): Parquet files + manifest.

Every file is first copied to a temporary name beside its target, and only when all copies
succeeded are they renamed into place; a failure (a full disk) removes the copies and leaves
the directory as it was. A directory that already holds an export is refused unless `force`.
"""

from __future__ import annotations

import hashlib
import json
import os
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
                    if src.suffix == ".parquet":
                        write_analysis_parquet(src, tmp)
                    else:
                        write_export_manifest(src, tmp, sources, targets)
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


def write_analysis_parquet(src: Path, dst: Path) -> None:
    """Copy a snapshot table with its exact DECIMAL numbers as DOUBLE, so pandas' describe() and
    every dataframe library treat prices, hours and credits as numbers (the snapshot keeps decimals)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(src)
    schema = pa.schema(
        [f.with_type(pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema],
        metadata=table.schema.metadata,
    )
    pq.write_table(table.cast(schema), dst)


def write_export_manifest(src: Path, dst: Path, sources: list[Path], targets: list[Path]) -> None:
    """The snapshot's manifest with the exported files' own sizes and checksums."""
    manifest = json.loads(src.read_text())
    files = manifest.get("files", {})
    for target in targets:
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        if target.suffix == ".parquet" and tmp.exists() and target.name in files:
            data = tmp.read_bytes()
            files[target.name] = {
                **files[target.name],
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
    manifest["export"] = {"numbers": "DECIMAL columns of the snapshot are DOUBLE in these files"}
    dst.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
