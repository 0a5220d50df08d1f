"""The runner (`python -m crawlers`) enforces what `scrapy crawl` cannot: exit 1 on a bad crawl."""

import subprocess
import sys

from tests.crawl_helpers import FAST, ROOT, crawl, manifest


def test_more_than_ten_percent_invalid_exits_1_with_counts_by_field(serve_site, tmp_path):
    rows = crawl("structured", serve_site("bad_input"), tmp_path, check=False)
    assert [r["title"] for r in rows] == ["Good"]
    m = manifest(tmp_path)["spiders"]["structured"]
    assert m["invalid"] == 3
    assert m["invalid_by_reason"] == {"credits": 1, "hours": 1, "price_usd": 2}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawlers",
            "structured",
            "--base-url",
            serve_site("bad_input"),
            "--out",
            str(tmp_path),
            "--run-date",
            "2026-01-15",
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "3 of 4 items invalid" in result.stderr


def test_unknown_spider_is_a_one_line_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "crawlers", "nosuch", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "unknown spider(s) nosuch" in result.stderr


def test_list_names_every_spider():
    result = subprocess.run(
        [sys.executable, "-m", "crawlers", "--list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert {"aama", "relias", "ace", "nha", "amt", "amca", "structured", "netce"} <= set(
        result.stdout.split()
    )
