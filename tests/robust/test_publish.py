"""One publisher at a time: the publish lock, older builds never replacing newer ones, `catalog
publish`, and the litter of killed builds (real processes on one catalog home)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from catalog.loaders.manual_csv import load_manual
from catalog.publish import build_and_publish
from catalog.publish_lock import publish_lock
from catalog.snapshot import latest_id, list_snapshot_ids
from tests.catalog.test_snapshot import big_source, start_build, wait_for_tmp
from tests.helpers import REPO, catalog, json_out
from tests.robust.checks import GOOD, refused


def _popen_build(src, home, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "catalog", "build", "--source", str(src), "--home", str(home), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def test_a_second_builder_fails_fast_with_no_wait(tmp_path):
    home = tmp_path / "home"
    with publish_lock(home):
        proc = catalog("build", "--source", GOOD, "--home", home, "--no-wait")
    refused(proc, 1, "another build", f"(pid {os.getpid()})", "publishing into", "--no-wait")
    assert latest_id(home) is None and list_snapshot_ids(home) == []
    assert not list((home / "snapshots").glob(".tmp-*")), "the refused build left its temporary directory"


def test_a_second_builder_waits_with_a_message_then_publishes(tmp_path):
    home = tmp_path / "home"
    lines: list[str] = []
    with publish_lock(home):
        proc = _popen_build(GOOD, home)
        reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
        reader.start()
        deadline = time.monotonic() + 180
        while not any("waiting for another build" in x for x in lines) and time.monotonic() < deadline:
            assert proc.poll() is None, "".join(lines)
            time.sleep(0.05)
        assert latest_id(home) is None, "published while another process held the lock"
    out = proc.stdout.read()
    assert proc.wait(timeout=120) == 0, "".join(lines)
    reader.join(10)
    err = "".join(lines)
    assert f"waiting for another build (pid {os.getpid()})" in err and "Traceback" not in err
    assert latest_id(home) is not None and "published snapshot" in out


def test_an_older_build_never_replaces_a_newer_published_snapshot(tmp_path):
    """Build A starts first and is held mid-stream; build B starts later and publishes; A then
    finishes: A's snapshot is kept but `latest` stays at B."""
    offerings = load_manual([GOOD])
    home = tmp_path / "home"
    release, result = threading.Event(), {}

    def slow():
        yield offerings[0]
        release.wait(60)
        yield from offerings[1:3]

    def build_a():
        result["a"] = build_and_publish(slow(), home, chunk_size=1)

    t = threading.Thread(target=build_a)
    t.start()
    time.sleep(0.3)
    b = build_and_publish(iter(offerings), home)
    assert b.published and latest_id(home) == b.id
    release.set()
    t.join(60)
    a = result["a"]
    assert a.published is False and latest_id(home) == b.id
    assert a.id in list_snapshot_ids(home), "the older build's snapshot is kept for `catalog publish`"
    assert a.manifest["build_started_ns"] < b.manifest["build_started_ns"]


def test_catalog_publish_rolls_back_and_snapshots_marks_it(tmp_path):
    home = tmp_path / "home"
    first = json_out(catalog("build", "--source", GOOD / "acme.csv", "--home", home, "--format", "json"))
    second = json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    assert latest_id(home) == second["id"]
    proc = catalog("publish", first["id"][:18], "--home", home)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert f"published snapshot {first['id']} (was {second['id']})" in proc.stdout
    assert latest_id(home) == first["id"]
    rows = json_out(catalog("snapshots", "--home", home, "--format", "json"))
    assert [r["id"] for r in rows if r["published"]] == [first["id"]]
    table = catalog("snapshots", "--home", home).stdout
    marked = [line for line in table.splitlines() if "*" in line and first["id"] in line]
    assert marked, table
    # a build started after the roll-back publishes again
    third = json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    assert third["published"] and latest_id(home) == third["id"]
    refused(catalog("publish", "nonexistent", "--home", home), 1, "'nonexistent' not found")


def test_catalog_publish_refuses_a_corrupt_snapshot(tmp_path):
    home = tmp_path / "home"
    first = json_out(catalog("build", "--source", GOOD / "acme.csv", "--home", home, "--format", "json"))
    json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    with open(home / "snapshots" / first["id"] / "offerings.parquet", "r+b") as f:
        f.truncate(100)
    refused(catalog("publish", first["id"], "--home", home), 1, "corrupt or truncated")
    assert latest_id(home) != first["id"]


def test_a_killed_builds_temporary_directory_is_removed_by_the_next_build(tmp_path):
    home = tmp_path / "home"
    proc = start_build(big_source(tmp_path / "big", 40_000), home)
    wait_for_tmp(home, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    litter = list((home / "snapshots").glob(".tmp-*"))
    assert litter and all(f".tmp-{proc.pid}-" in p.name for p in litter)
    assert time.time() - litter[0].stat().st_mtime < 3600, "fresh litter: only the pid check can remove it"
    json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    assert not list((home / "snapshots").glob(".tmp-*"))


def test_a_running_builds_temporary_directory_is_kept(tmp_path):
    home = tmp_path / "home"
    mine = home / "snapshots" / f".tmp-{os.getpid()}-running"
    mine.mkdir(parents=True)
    json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    assert mine.exists()


def test_the_publish_state_records_the_sequence(tmp_path):
    home = tmp_path / "home"
    out = json_out(catalog("build", "--source", GOOD, "--home", home, "--format", "json"))
    state = json.loads((home / ".publish.json").read_text())
    manifest = json.loads((home / "snapshots" / out["id"] / "manifest.json").read_text())
    assert state["snapshot"] == out["id"] and state["sequence"] == manifest["build_started_ns"]


def test_refresh_takes_the_same_lock(tmp_path):
    from tests.crawl_helpers import CRAWLS

    home = tmp_path / "home"
    args = ("refresh", "--from-crawl", CRAWLS / "basic", "--source", CRAWLS / "manual", "--home", home)
    with publish_lock(home):
        proc = catalog(*args, "--no-wait")
    refused(proc, 1, "another build", "publishing into")
    assert latest_id(home) is None
    done = catalog(*args)
    assert done.returncode == 0 and "published snapshot" in done.stdout, done.stderr


def test_two_catalog_builds_at_once_through_the_cli(tmp_path):
    """The same race with the real program: two `catalog build` processes on one home."""
    home = tmp_path / "home"
    procs = [
        _popen_build(GOOD / "acme.csv", home, "--format", "json"),
        _popen_build(GOOD, home, "--format", "json"),
    ]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and "Traceback" not in err, err
        outs.append(json.loads(out))
    manifests = {
        o["id"]: json.loads((home / "snapshots" / o["id"] / "manifest.json").read_text()) for o in outs
    }
    newest = max(outs, key=lambda o: manifests[o["id"]]["build_started_ns"])
    assert latest_id(home) == newest["id"] and newest["published"] is True
