"""Rebuild the snapshot shipped inside the package (data/snapshot/) from data/manual.

Run after editing data/manual: ``python -m catalog.embed``. The shipped copy keeps the
Parquet files and the manifest only (no DuckDB file) to stay small; readers open it
through DuckDB views. tests/catalog/test_embedded.py fails when it is stale.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from catalog.builder import build
from catalog.home import embedded_snapshot_dir


def rebuild_embedded(target: Path | None = None) -> Path:
    target = target or embedded_snapshot_dir()
    with tempfile.TemporaryDirectory() as tmp_home:
        snap = build(None, tmp_home)
        staging = target.with_name(target.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        manifest = dict(snap.manifest)
        manifest["files"] = {k: v for k, v in manifest["files"].items() if k.endswith(".parquet")}
        manifest["id"] = "embedded"
        manifest["built_from"] = snap.id
        for name in manifest["files"]:
            shutil.copyfile(snap.path / name, staging / name)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        snap.close()
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


if __name__ == "__main__":
    path = rebuild_embedded()
    print(f"wrote {path}", file=sys.stderr)
