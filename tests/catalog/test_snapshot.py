"""Snapshots: atomic publish, crash safety, concurrent readers, diff, corruption detection."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.builder import build
from catalog.snapshot import CatalogError, SnapshotWarning, latest_id, list_snapshot_ids, open_snapshot
from tests.helpers import REPO, catalog, json_out

HEADER = (
    "id,provider,title,kind,price_usd,price_min_usd,price_max_usd,price_basis,hours,credits,credit_unit,"
    "areas,topics,approved_by,accepted_by,delivery,covers,discount_pct,term_months,valid_from,valid_until,"
    "url,description"
)


def big_source(path: Path, n: int, price: str = "10.00") -> Path:
    """A valid manual CSV with n generated courses (large enough that a build takes a while)."""
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "bulk.csv", "w") as f:
        f.write(HEADER + "\n")
        for i in range(n):
            f.write(
                f"bulk-{i},Bulk Provider,Generated course {i},course,{price},,,one_time,1,1,aama_ceu,"
                f"clinical,,AAMA,AAMA,online,,,,,,https://bulk.example/{i},generated\n"
            )
    return path


def start_build(src: Path, home: Path) -> subprocess.Popen:
    env = {**os.environ, "CEU_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "catalog", "build", "--source", str(src), "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )


def wait_for_tmp(home: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if list((home / "snapshots").glob(".tmp-*")):
            return
        if proc.poll() is not None:
            pytest.fail(f"build finished before it could be observed: {proc.stderr.read().decode()}")
        time.sleep(0.005)
    pytest.fail("build never started writing")


@pytest.fixture
def home_with_one_snapshot(tmp_path, small_sources):
    home = tmp_path / "home"
    snap = build([small_sources], home)
    snap.close()
    return home, snap.id


@pytest.mark.parametrize("delay", [0.0, 0.5, 1.5])
def test_build_killed_midway_leaves_previous_snapshot_published(tmp_path, home_with_one_snapshot, delay):
    home, old_id = home_with_one_snapshot
    proc = start_build(big_source(tmp_path / "big", 40_000), home)
    wait_for_tmp(home, proc)
    time.sleep(delay)
    assert proc.poll() is None, "the build finished before the kill; the test proves nothing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert latest_id(home) == old_id
    rows = json_out(catalog("search", "--format", "json", "--limit", "0", home=home))
    assert {r["id"] for r in rows} >= {"acme-hipaa", "beta-ekg"}
    assert not any(r["id"].startswith("bulk-") for r in rows)


def test_reader_runs_while_a_build_is_running(tmp_path, home_with_one_snapshot):
    home, old_id = home_with_one_snapshot
    proc = start_build(big_source(tmp_path / "big", 40_000), home)
    wait_for_tmp(home, proc)
    during = catalog("search", "--format", "json", "--limit", "0", home=home)
    still_running = proc.poll() is None
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    assert still_running, "the build finished before the reader ran; the test proves nothing"
    assert {r["id"] for r in json_out(during)} == {
        "acme-hipaa",
        "acme-vitals",
        "acme-range",
        "acme-formula",
        "acme-club",
        "beta-ekg",
        "beta-coding",
    }
    assert latest_id(home) != old_id
    with open_snapshot(home) as snap:
        assert snap.con.execute("SELECT count(*) FROM offerings").fetchone()[0] == 40_000


def test_diff_reports_a_price_change(tmp_path, small_sources):
    home = tmp_path / "home"
    first = build([small_sources], home)
    csv = small_sources / "acme.csv"
    csv.write_text(
        csv.read_text().replace(
            "HIPAA Basics for the Front Office,course,19.99", "HIPAA Basics for the Front Office,course,24.99"
        )
    )
    (small_sources / "beta.csv").write_text(
        (small_sources / "beta.csv").read_text().splitlines()[0]
        + "\n"
        + "\n".join((small_sources / "beta.csv").read_text().splitlines()[1:2])
        + "\n"
    )
    time.sleep(1.05)  # snapshot ids carry the second
    second = build([small_sources], home)
    result = json_out(catalog("diff", first.id, second.id, "--format", "json", home=home))
    assert result["repriced"] == [
        {
            "id": "acme-hipaa",
            "title": "HIPAA Basics for the Front Office",
            "old_price": 19.99,
            "new_price": 24.99,
            "fields": ["price_usd"],
        }
    ]
    assert [r["id"] for r in result["removed"]] == ["beta-coding"]
    assert result["added"] == []
    table = catalog("diff", first.id[:15], second.id, home=home)
    assert table.returncode == 0 and "1 repriced" in table.stdout


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_corrupt_latest_falls_back_to_newest_valid_snapshot(tmp_path, small_sources):
    home = tmp_path / "home"
    first = build([small_sources], home)
    time.sleep(1.05)
    (small_sources / "beta.csv").unlink()
    second = build([small_sources], home)
    _corrupt(second.path / "offerings.parquet")
    with pytest.warns(SnapshotWarning, match="does not match its manifest checksum"):
        snap = open_snapshot(home)
    assert snap.id == first.id
    snap.close()
    proc = catalog("search", "--format", "json", "--limit", "0", home=home)
    assert proc.returncode == 0
    assert "warning:" in proc.stderr and first.id in proc.stderr
    listing = json_out(catalog("snapshots", "--format", "json", home=home))
    assert [(r["id"], r["valid"]) for r in listing] == [(first.id, True), (second.id, False)]


def test_truncated_only_snapshot_falls_back_to_embedded(tmp_path, small_sources):
    home = tmp_path / "home"
    snap = build([small_sources], home)
    db = snap.path / "catalog.duckdb"
    snap.close()
    db.write_bytes(db.read_bytes()[:1000])
    with pytest.warns(SnapshotWarning, match="embedded"):
        fallback = open_snapshot(home)
    assert fallback.id == "embedded"


def test_unknown_snapshot_id_is_a_clear_error(home_with_one_snapshot):
    home, _ = home_with_one_snapshot
    proc = catalog("show", "acme-hipaa", "--snapshot", "19990101", home=home)
    assert proc.returncode == 1
    assert "snapshot '19990101' not found" in proc.stderr
    assert "Traceback" not in proc.stderr
    with pytest.raises(CatalogError):
        open_snapshot(home, "19990101")


def test_snapshot_directory_holds_duckdb_parquet_and_manifest(home_with_one_snapshot):
    home, sid = home_with_one_snapshot
    assert list_snapshot_ids(home) == [sid]
    path = home / "snapshots" / sid
    manifest = json.loads((path / "manifest.json").read_text())
    assert {
        "catalog.duckdb",
        "offerings.parquet",
        "providers.parquet",
        "offering_sources.parquet",
        "coverage.parquet",
        "manifest.json",
    } <= {p.name for p in path.iterdir()}
    assert set(manifest["files"]) == {p.name for p in path.iterdir()} - {"manifest.json"}
    assert manifest["tables"]["offerings"]["rows"] == 7
    assert sid.endswith(manifest["content_sha256"][:8])
    assert manifest["sources"]["manual/acme.csv"]["items"] == 5


def test_build_streams_many_chunks(tmp_path, small_sources):
    """Offerings arrive in several chunks (a million-row build uses 50,000 per chunk)."""
    from catalog.loaders.manual_csv import load_manual
    from catalog.publish import build_and_publish

    offerings = load_manual([small_sources])
    with build_and_publish(iter(offerings), tmp_path / "home", chunk_size=2) as snap:
        assert snap.manifest["tables"]["offerings"]["rows"] == len(offerings) == 7
        ids = {r[0] for r in snap.con.execute("SELECT id FROM offerings").fetchall()}
    assert ids == {o.id for o in offerings}


def test_a_build_removes_leftovers_of_long_dead_builds_only(tmp_path, small_sources):
    home = tmp_path / "home"
    snaps = home / "snapshots"
    old, fresh = snaps / ".tmp-killed-yesterday", snaps / ".tmp-running-now"
    for d in (old, fresh):
        d.mkdir(parents=True)
        (d / "catalog.duckdb").write_bytes(b"partial")
    day_ago = time.time() - 24 * 3600
    os.utime(old, (day_ago, day_ago))
    build([small_sources], home, enrich=False).close()
    assert not old.exists()
    assert fresh.exists(), "a temporary directory still being written must never be removed"
