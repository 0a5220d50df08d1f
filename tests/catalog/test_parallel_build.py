"""Validating files in parallel processes gives the same snapshot and the same errors as one process."""

from __future__ import annotations

import pytest

from catalog.builder import build
from catalog.loaders.manual_csv import ManualCSVError
from catalog.snapshot import latest_id
from tests.catalog.test_snapshot import HEADER


def write_sources(path, files=3, rows=1500):
    path.mkdir()
    for f in range(files):
        lines = [HEADER] + [
            f"f{f}-r{i},Provider {f},Course {i} from file {f},course,{(i % 50) + 0.99:.2f},,,one_time,1,1,aama_ceu,"
            f"{('clinical', 'general', 'administrative')[i % 3]},,AAMA,AAMA,online,,,,,,https://p{f}.example/{i},"
            for i in range(rows)
        ]
        (path / f"provider{f}.csv").write_text("\n".join(lines) + "\n")
    return path


def test_parallel_and_sequential_builds_are_identical(tmp_path):
    src = write_sources(tmp_path / "src")
    one = build([src], tmp_path / "h1", workers=1, enrich=False)
    two = build([src], tmp_path / "h2", workers=2, parallel_min_bytes=0, enrich=False)
    assert one.manifest["content_sha256"] == two.manifest["content_sha256"]
    assert one.manifest["tables"] == two.manifest["tables"]
    assert one.manifest["sources"] == two.manifest["sources"]
    assert two.manifest["tables"]["offerings"]["rows"] == 4500


def test_parallel_build_reports_every_error_across_files_and_publishes_nothing(tmp_path):
    src = write_sources(tmp_path / "src")
    a = src / "provider0.csv"
    a.write_text(
        a.read_text().replace(
            "f0-r7,Provider 0,Course 7 from file 0,course,7.99",
            "f0-r7,Provider 0,Course 7 from file 0,course,lots",
        )
    )
    c = src / "provider2.csv"
    c.write_text(c.read_text().replace("f2-r3,", "f0-r1,", 1))
    with pytest.raises(ManualCSVError) as exc:
        build([src], tmp_path / "home", workers=2, parallel_min_bytes=0, enrich=False)
    where = {(e.path.rsplit("/", 1)[-1], e.line, e.column) for e in exc.value.errors}
    assert where == {("provider0.csv", 9, "price_usd"), ("provider2.csv", 5, "id")}
    assert latest_id(tmp_path / "home") is None
    assert not [p for p in (tmp_path / "home" / "snapshots").iterdir()]
