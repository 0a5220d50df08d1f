"""A full disk during `catalog build`, `catalog export` and `catalog classify --output`: one line
naming the path being written, exit 1, no temporary file left, the previous result untouched.

The disk is a small tmpfs mounted by the test, which needs root (CI and the development
machines run as root); elsewhere the tests are skipped and say why.
"""

from __future__ import annotations

import errno
import os
import subprocess

import pytest

from catalog.snapshot import latest_id, list_snapshot_ids
from tests.helpers import catalog, json_out
from tests.robust.checks import GOOD, refused


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs (room for one small snapshot), unmounted afterwards."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs to simulate a full disk needs root")
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mnt)], capture_output=True, text=True
    )
    if proc.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(disk, leave: int = 0) -> None:
    """Write a filler file until the disk is full, then give back `leave` bytes."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError as e:
            assert e.errno == errno.ENOSPC
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))


def _litter(folder) -> list[str]:
    return [p.name for p in folder.rglob("*") if ".tmp" in p.name]


def test_build_on_a_full_disk_names_the_path_and_keeps_the_published_snapshot(small_disk):
    home = small_disk / "home"
    first = json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    fill(small_disk, leave=200_000)
    err = refused(
        catalog("build", "--source", GOOD, "--home", home), 1, "no space left on device while writing"
    )
    assert str(home / "snapshots") in err and "nothing was published" in err
    assert latest_id(home) == first["id"] and list_snapshot_ids(home) == [first["id"]]
    assert _litter(home) == []


def test_export_to_a_full_disk_leaves_the_old_export_as_it_was(small_disk, tmp_path):
    home = tmp_path / "home"
    json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    out = small_disk / "export"
    assert catalog("export", out, "--home", home).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fill(small_disk)
    err = refused(
        catalog("export", out, "--home", home, "--force"), 1, "no space left on device while writing"
    )
    assert str(out / "offerings.parquet") in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    fresh = small_disk / "fresh"
    refused(catalog("export", fresh, "--home", home), 1, "no space left on device")
    assert not fresh.exists(), "a failed export must not leave an empty directory behind"


def test_classify_output_to_a_full_disk(small_disk, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("title,description\nVital signs refresher,Blood pressure\n")
    out = small_disk / "out.csv"
    out.write_text("previous result\n")
    fill(small_disk)
    err = refused(catalog("classify", "--input", src, "--output", out), 1, "no space left on device")
    assert str(out) in err and "nothing was written" in err
    assert out.read_text() == "previous result\n"
    assert _litter(small_disk) == []
