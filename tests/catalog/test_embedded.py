"""The snapshot shipped in the package: used by a fresh install, and never stale."""

from __future__ import annotations

import json

from catalog.builder import manual_inputs
from catalog.home import embedded_snapshot_dir, manual_dir
from catalog.loaders.manual_csv import csv_files
from tests.helpers import catalog, json_out


def test_embedded_snapshot_matches_data_manual():
    """Fails when data/manual changed without `python -m catalog.embed`."""
    manifest = json.loads((embedded_snapshot_dir() / "manifest.json").read_text())
    assert manifest["inputs"] == manual_inputs(csv_files([manual_dir()])), (
        "data/snapshot is stale: run `python -m catalog.embed` and commit data/snapshot"
    )


def test_fresh_home_reads_the_embedded_snapshot(tmp_path):
    home = tmp_path / "never-built"
    rows = json_out(catalog("search", "--limit", "0", "--format", "json", home=home))
    assert (
        len(rows)
        == json.loads((embedded_snapshot_dir() / "manifest.json").read_text())["tables"]["offerings"]["rows"]
    )
    assert not home.exists(), "readers must not write into the catalog home"
    listing = catalog("snapshots", home=home)
    assert listing.returncode == 0 and "embedded" in listing.stdout
