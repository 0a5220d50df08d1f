"""Export a snapshot for other tools (pandas, polars, Spark, DuckDB): Parquet files + manifest."""

from __future__ import annotations

import shutil
from pathlib import Path

from catalog.snapshot import TABLES, Snapshot


def export_parquet(snap: Snapshot, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for t in TABLES:
        src = snap.parquet(t)
        dst = directory / src.name
        tmp = dst.with_suffix(".parquet.tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)
        out.append(dst)
    shutil.copyfile(snap.path / "manifest.json", directory / "manifest.json")
    out.append(directory / "manifest.json")
    return out
