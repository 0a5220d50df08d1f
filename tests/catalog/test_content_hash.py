"""The manifest's content_sha256: the same offerings give the same hash, any changed value another."""

from __future__ import annotations

from catalog.builder import build


def _hash(src, home) -> str:
    snap = build([src], home, enrich=False)
    snap.close()
    return snap.manifest["content_sha256"]


def test_same_input_same_hash_and_one_changed_value_changes_it(tmp_path, small_sources):
    first = _hash(small_sources, tmp_path / "h1")
    assert _hash(small_sources, tmp_path / "h2") == first
    beta = small_sources / "beta.csv"
    beta.write_text(
        beta.read_text().replace("EKG Lead Placement,course,12.00", "EKG Lead Placement,course,12.50")
    )
    changed = _hash(small_sources, tmp_path / "h3")
    assert changed != first and len(changed) == 64
