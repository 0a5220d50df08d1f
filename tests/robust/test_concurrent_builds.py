"""Two builds on one catalog home at once, many times, with a reader running meanwhile.

Two builder processes meet at a barrier each round and build at the same moment (one of them
with more rows, alternately; in odd rounds the lighter one starts 20 ms late, so the older build
finishes last and must not publish); the test process checks after
every round that `latest` names the snapshot of the build that started last. A reader process
opens the published snapshot in a loop the whole time and must always get a valid one.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from decimal import Decimal

from catalog.snapshot import latest_id, list_snapshot_ids, open_snapshot, snapshots_dir, verify
from tests.robust.checks import GOOD

ROUNDS = 12


def _builder(home: str, worker: int, barrier, results) -> None:
    from catalog.loaders.manual_csv import load_manual
    from catalog.publish import build_and_publish

    base = load_manual([GOOD])
    for r in range(ROUNDS):
        extra = 400 if (r + worker) % 2 else 0
        rows = [dataclasses.replace(o, price_usd=Decimal(f"{worker + 1}{r}.{extra % 97:02d}")) for o in base]
        rows += [dataclasses.replace(base[0], id=f"extra-{i}", title=f"Extra {i}") for i in range(extra)]
        barrier.wait()
        if r % 2 and not extra:
            time.sleep(0.02)  # odd rounds: the lighter build starts last, so it finishes first
        snap = build_and_publish(iter(rows), home, chunk_size=50)
        results.put((r, worker, snap.id, snap.published, snap.manifest["build_started_ns"]))
        snap.close()
        barrier.wait()


def _reader(home: str, stop, results) -> None:
    reads, problems = 0, []
    while not stop.is_set():
        try:
            warned: list[str] = []
            with open_snapshot(home, warn=warned.append) as snap:
                n = snap.con.execute("SELECT count(*) FROM offerings").fetchone()[0]
                if n != snap.manifest["tables"]["offerings"]["rows"]:
                    problems.append(f"{snap.id}: {n} rows, manifest says otherwise")
            problems.extend(warned)
            reads += 1
        except Exception as e:  # any failure to read is what this test looks for
            problems.append(repr(e))
    results.put((reads, problems))


def test_two_builds_at_once_always_end_at_the_newest_snapshot(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    (tmp_path / "home").mkdir()
    home = str(tmp_path / "home")
    barrier, results, reader_out, stop = ctx.Barrier(3), ctx.Queue(), ctx.Queue(), ctx.Event()
    builders = [ctx.Process(target=_builder, args=(home, w, barrier, results)) for w in (0, 1)]
    reader = ctx.Process(target=_reader, args=(home, stop, reader_out))
    for p in [*builders, reader]:
        p.start()
    try:
        seen = []
        for r in range(ROUNDS):
            barrier.wait(timeout=120)  # both builders start now
            barrier.wait(timeout=120)  # both builders are done
            done = [results.get(timeout=10) for _ in builders]
            assert {d[0] for d in done} == {r}
            newest = max(done, key=lambda d: d[4])
            assert latest_id(home) == newest[2], f"round {r}: {done}"
            assert newest[3] is True
            older = min(done, key=lambda d: d[4])
            assert older[3] is False or older[4] < newest[4]
            seen.extend(done)
    finally:
        time.sleep(0.2)
        stop.set()
        reads, problems = reader_out.get(timeout=60)
        for p in [*builders, reader]:
            p.join(60)
            if p.is_alive():
                p.kill()
    assert reads > 0 and problems == [], problems[:5]
    assert any(d[3] is False for d in seen), "no older build ever finished last: the race was not exercised"
    assert all(not p.name.startswith(".") for p in snapshots_dir(tmp_path / "home").iterdir())
    for sid in list_snapshot_ids(home):
        verify(snapshots_dir(tmp_path / "home") / sid)
    assert len(list_snapshot_ids(home)) == 2 * ROUNDS
