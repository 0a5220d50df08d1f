"""Two offerings never share an id in a snapshot: the loaders name duplicates in CSVs, and the build
refuses any that reach it another way (a crawled offering with a manual row's id), publishing nothing."""

from __future__ import annotations

import pytest

from catalog.builder import build
from catalog.records import Offering
from catalog.snapshot import CatalogError, latest_id
from catalog.vocab import Kind
from tests.catalog.test_parallel_build import write_sources


def test_a_crawled_offering_with_a_manual_id_is_refused_and_nothing_is_published(tmp_path):
    src = write_sources(tmp_path / "src", files=1, rows=20)
    crawled = Offering(
        id="f0-r3",
        provider="Spider",
        title="Same id",
        kind=Kind.COURSE,
        url="https://s.example/3",
        source="spider:s",
    )
    with pytest.raises(CatalogError) as exc:
        build([src], tmp_path / "home", extra=[crawled], enrich=False)
    message = str(exc.value)
    assert "duplicate id 'f0-r3'" in message
    assert "manual/provider0.csv:5" in message and "spider:s" in message
    assert "nothing was published" in message
    assert latest_id(tmp_path / "home") is None


def test_distinct_ids_build(tmp_path):
    src = write_sources(tmp_path / "src", files=1, rows=20)
    crawled = Offering(
        id="spider:1",
        provider="Spider",
        title="Other",
        kind=Kind.COURSE,
        url="https://s.example/1",
        source="spider:s",
    )
    snap = build([src], tmp_path / "home", extra=[crawled], enrich=False)
    assert snap.manifest["tables"]["offerings"]["rows"] == 21
