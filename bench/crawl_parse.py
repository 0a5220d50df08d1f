"""Crawl benchmarks, side by side: the code before a change ("before", a git revision) and ours.

1. Parse: `crawlers.structured.extract` over every fixture page (tests/fixtures/sites/**/*.html, the
   same pages for both), pages per second and courses found, median of --runs runs (each parses the
   page set --repeat times after one untimed warm-up pass).
2. End to end: `python -m crawlers structured` on the shapes fixture site (tests/fixtures/sites/shapes/,
   20 courses) served on 127.0.0.1 with the test settings, wall time, items and how many of the
   20 expected courses were found, median.

Each measurement runs in a child process whose working directory (first on sys.path) is the tree
under test; "before" is extracted with `git archive` (bench/side_by_side.py). Runs alternate between
the two trees. Writes bench/results/crawl_parse.md.

    python bench/crawl_parse.py --before 4b1c0de --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.side_by_side import before_tree, loadavg  # noqa: E402
from tests.crawl_helpers import FAST, SITES, SiteServer  # noqa: E402
from tests.crawlers.test_shapes import EXPECTED  # noqa: E402

EXPECTED_SHAPES = len(EXPECTED)  # tests/crawlers/test_shapes.py

_PARSE = """
import json, sys, time
from crawlers.structured import extract
pages = json.load(open(sys.argv[1]))
repeat = int(sys.argv[2])
for html, url in pages:  # warm-up: imports (extruct, parsel) and caches are not what is measured
    extract(html, url)
start = time.perf_counter()
courses = 0
for _ in range(repeat):
    for html, url in pages:
        courses += len(extract(html, url).courses)
print(json.dumps({"rate": len(pages) * repeat / (time.perf_counter() - start), "courses": courses // repeat}))
"""


def parse_once(tree: Path, pages_file: Path, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _PARSE, str(pages_file), str(repeat)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def crawl_once(tree: Path, base_url: str) -> dict:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "crawlers", "structured", "--base-url", base_url, "--out", out]
            + ["--run-date", "2026-01-15", *FAST, "-s", "LOG_LEVEL=WARNING"],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
            check=False,
            capture_output=True,
            timeout=300,
        )
        seconds = time.perf_counter() - start
        rows = [
            json.loads(line) for line in (Path(out) / "structured.jsonl").read_text().splitlines() if line
        ]
    titles = {r["title"] for r in rows}
    units = {e[0]: e[9] for e in EXPECTED.values()}  # title -> the unit the page states (or None)
    right = sum(1 for r in rows if r["title"] in units and r.get("credit_unit") == units[r["title"]])
    return {"seconds": seconds, "items": len(rows), "titles": len(titles), "units_right": right}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--before", default="main", help="git revision of the code before the change (default: main)"
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    load_before = loadavg()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": before_tree(a.before, Path(tmp) / "before"), "ours": ROOT}
        pages = [
            (p.read_bytes().decode("utf-8", "replace"), f"http://127.0.0.1/{p.relative_to(SITES)}")
            for p in sorted(SITES.rglob("*.html"))
        ]
        pages_file = Path(tmp) / "pages.json"
        pages_file.write_text(json.dumps(pages))
        parse: dict[str, list[dict]] = {k: [] for k in trees}
        crawl: dict[str, list[dict]] = {k: [] for k in trees}
        server = SiteServer("shapes")
        try:
            for i in range(a.runs):
                order = list(trees) if i % 2 == 0 else list(reversed(trees))
                for name in order:
                    parse[name].append(parse_once(trees[name], pages_file, a.repeat))
                    crawl[name].append(crawl_once(trees[name], server.base_url))
        finally:
            server.close()
    med = {k: statistics.median(r["rate"] for r in v) for k, v in parse.items()}
    secs = {k: statistics.median(r["seconds"] for r in v) for k, v in crawl.items()}
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}"
    )
    rows = "\n".join(
        f"| {name} | {med[name]:,.0f} pages/s | {parse[name][-1]['courses']} | {secs[name]:.2f} s | "
        f"{crawl[name][-1]['items']} items ({crawl[name][-1]['titles']} of {EXPECTED_SHAPES} courses) | "
        f"{crawl[name][-1]['units_right']} of {EXPECTED_SHAPES} |"
        for name in trees
    )
    text = f"""# Crawl benchmarks (bench/crawl_parse.py)

Machine: {machine}, shared with other jobs; load average {" ".join(load_before)} before,
{" ".join(loadavg())} after. Medians of {a.runs} alternating runs; "before" is `{a.before}`.

| code | offline parse: `extract` over {len(pages)} fixture pages x {a.repeat} | courses found on those pages | end to end: `python -m crawlers structured` on the shapes site | crawl result | credit_unit as the page states it |
|---|---|---|---|---|---|
{rows}

Parse ratio ours/before: {med["ours"] / med["before"]:.2f} (> 1: ours is faster). The end-to-end time is
mostly interpreter and Scrapy start-up; production runs are bound by politeness (AutoThrottle, at
most 2 requests per domain), not parsing.
"""
    out = BENCH / "results" / "crawl_parse.md"
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
