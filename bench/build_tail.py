"""The build's steps after the rows are in DuckDB (finalizing, derived tables and content hash,
Parquet, checksums), timed without the CSV loader: wall and CPU seconds per step, peak RSS.

    python bench/build_tail.py --prepare SOURCE_DIR RAW.parquet   # load once, keep the raw rows
    python bench/build_tail.py RAW.parquet HOME                   # build_and_publish from them

The second form runs `catalog.publish.build_and_publish` with the real learning step on the raw
offerings (inserted from one Parquet file, as the parallel loader's parts are) and prints JSON.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace


class _Stop(Exception):
    pass


def prepare(source: str, out: str) -> None:
    """Load `source` with the real loader and write the offerings, before finalizing, to `out`."""
    import catalog.builder as builder
    from catalog.sql import literal

    def export(con) -> None:
        con.execute(f"COPY (SELECT * FROM offerings ORDER BY id) TO {literal(out)} (FORMAT parquet)")
        raise _Stop

    builder.enrichment_hook = lambda: export
    with tempfile.TemporaryDirectory() as home:
        try:
            builder.build([source], home)
        except _Stop:
            return


def tail(raw: str, home: str) -> dict:
    from catalog.learning.enrich import finalize_table
    from catalog.progress import reporting
    from catalog.publish import build_and_publish

    marks = [("import", time.perf_counter(), time.process_time())]
    tasks: set[str] = set()
    with reporting(lambda task, _done, _total: tasks.add(task)):
        build_and_publish(
            [SimpleNamespace(paths=[raw])],
            home,
            finalize=finalize_table,
            progress=lambda m: marks.append((m, time.perf_counter(), time.process_time())),
        ).close()
    marks.append(("end", time.perf_counter(), time.process_time()))
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for (name, t, c), (_, t2, c2) in zip(marks, marks[1:], strict=False):
        key = "insert" if "written" in name or name == "import" else name.split(" ")[0]
        wall[key] = round(wall.get(key, 0.0) + t2 - t, 2)
        cpu[key] = round(cpu.get(key, 0.0) + c2 - c, 2)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "wall": wall,
        "cpu": cpu,
        "cpu_total": round(ru.ru_utime + ru.ru_stime, 1),
        "peak_rss_mb": ru.ru_maxrss // 1024,
        "load": Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else None,
        "progress_tasks": sorted(tasks),
    }


def main() -> None:
    if sys.argv[1] == "--prepare":
        prepare(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(tail(sys.argv[1], sys.argv[2])))


if __name__ == "__main__":
    main()
