"""The snapshot shipped in the package: used by a fresh install, and never stale."""

from __future__ import annotations

import json

from catalog.build import prepare
from catalog.home import embedded_snapshot_dir
from catalog.snapshot import content_hash
from tests.helpers import catalog, json_out


def test_embedded_snapshot_matches_data_manual():
    """Fails when data/manual changed without `python -m catalog.embed`."""
    manifest = json.loads((embedded_snapshot_dir() / "manifest.json").read_text())
    prepared = prepare(None)
    assert content_hash(o.to_row() for o in prepared.offerings) == manifest["content_sha256"], \
        "data/snapshot is stale: run `python -m catalog.embed` and commit data/snapshot"


def test_fresh_home_reads_the_embedded_snapshot(tmp_path):
    home = tmp_path / "never-built"
    rows = json_out(catalog("search", "--limit", "0", "--format", "json", home=home))
    assert len(rows) == json.loads((embedded_snapshot_dir() / "manifest.json").read_text())["tables"]["offerings"]["rows"]
    assert not home.exists(), "readers must not write into the catalog home"
    listing = catalog("snapshots", home=home)
    assert listing.returncode == 0 and "embedded" in listing.stdout
