"""`catalog refresh` (catalog/refresh.py) through its CLI in a subprocess, against real homes.

Recorded crawl: tests/fixtures/crawls/basic/ (aama 4, relias 4, nha 3 items), recorded by
`python -m crawlers` from the fixture sites. Manual rows: tests/fixtures/crawls/manual/mini.csv,
whose first row is the same course as the crawled aama:hipaa-privacy (same URL and title).
"""

import shutil
from pathlib import Path

import pytest

from catalog.refresh import GuardFailure, check_guards
from catalog.snapshot import latest_id, open_snapshot
from tests.crawl_helpers import CRAWLS, FAST
from tests.crawlers.conftest import serve_site  # noqa: F401  (fixture)
from tests.helpers import run_cli

BASIC = CRAWLS / "basic"
MANUAL = CRAWLS / "manual"


def refresh(home, *args):
    return run_cli("catalog", "refresh", *map(str, args), "--source", str(MANUAL), home=home)


def halve(src: Path, dst: Path, spider: str, keep: int) -> Path:
    shutil.copytree(src, dst)
    path = dst / f"{spider}.jsonl"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:keep]))
    return dst


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "home"
    result = refresh(h, "--from-crawl", BASIC)
    assert result.returncode == 0, result.stderr
    return h


def test_recorded_crawl_publishes_a_snapshot_with_source_counts(home):
    snap = open_snapshot(home)
    ids = {o.id for o in snap.offerings()}
    assert {"aama:cma-today-sepsis", "relias:all-access", "nha:ekg-rhythm-review", "fixture-cpr"} <= ids
    assert snap.manifest["sources"]["spider:nha"]["items"] == 3
    assert snap.manifest["sources"]["spider:relias"]["providers"] == ["Relias Academy"]
    snap.close()


def test_manual_row_wins_over_the_crawled_one_and_the_conflict_is_logged(tmp_path):
    result = refresh(tmp_path / "h", "--from-crawl", BASIC)
    assert "conflict: manual aama-hipaa-privacy" in result.stderr
    assert "wins over crawled aama:hipaa-privacy" in result.stderr and "price_usd" in result.stderr
    snap = open_snapshot(tmp_path / "h")
    ids = {o.id for o in snap.offerings()}
    assert "aama-hipaa-privacy" in ids and "aama:hipaa-privacy" not in ids
    snap.close()


def test_half_the_items_of_one_source_is_refused_naming_it_then_force_publishes(home, tmp_path):
    before = latest_id(home)
    half = halve(BASIC, tmp_path / "half", "nha", keep=1)
    refused = refresh(home, "--from-crawl", half)
    assert refused.returncode == 1
    assert "spider:nha: item-count guard failed: 1 items, previous snapshot had 3" in refused.stderr
    assert "spider:aama" not in refused.stderr
    assert latest_id(home) == before
    forced = refresh(home, "--from-crawl", half, "--force")
    assert forced.returncode == 0, forced.stderr
    assert latest_id(home) != before
    snap = open_snapshot(home)
    assert snap.manifest["sources"]["spider:nha"]["items"] == 1
    snap.close()


def test_one_spider_refresh_keeps_the_other_sources(home, tmp_path):
    result = refresh(home, "--from-crawl", BASIC, "--spider", "nha")
    assert result.returncode == 0, result.stderr
    snap = open_snapshot(home)
    assert {"relias:all-access", "aama:cma-today-sepsis", "nha:ekg-rhythm-review"} <= {
        o.id for o in snap.offerings()
    }
    assert snap.manifest["sources"]["spider:relias"]["items"] == 4
    snap.close()


@pytest.mark.parametrize(
    "new, previous, expected",
    [
        (
            {"spider:a": {"items": 10, "invalid": 0, "providers": ["A"]}},
            {"spider:a": {"items": 10, "providers": ["A", "B"]}},
            [GuardFailure("spider:a", "providers", "provider(s) disappeared: B")],
        ),
        (
            {"spider:a": {"items": 19, "invalid": 1, "providers": ["A"]}},
            {},
            [GuardFailure("spider:a", "invalid-rate", "1 of 20 items invalid (5% >= 5%): {}")],
        ),
        ({"spider:a": {"items": 99, "invalid": 1, "providers": ["A"]}}, {"spider:a": {"items": 198}}, []),
        (
            {"spider:a": {"items": 0, "invalid": 0, "providers": []}},
            {},
            [GuardFailure("spider:a", "item-count", "no items")],
        ),
    ],
)
def test_guards(new, previous, expected):
    assert check_guards(new, previous) == expected


def test_not_a_recorded_crawl_is_one_line_exit_1(tmp_path):
    (tmp_path / "empty").mkdir()
    result = refresh(tmp_path / "h", "--from-crawl", tmp_path / "empty")
    assert result.returncode == 1
    assert "not a recorded crawl" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_live_crawl_logs_plain_lines_without_a_terminal(serve_site, tmp_path):  # noqa: F811
    settings = [a for a in FAST if a != "-s"]
    args = ["--spider", "amca", "--base-url", serve_site("amca"), "--run-date", "2026-01-15"]
    for kv in settings:
        args += ["-s", kv]
    result = refresh(tmp_path / "h", *args)
    assert result.returncode == 0, result.stderr
    assert "crawl amca: started" in result.stderr
    assert "crawl amca: finished, 2 items" in result.stderr
    snap = open_snapshot(tmp_path / "h")
    assert snap.manifest["sources"]["spider:amca"]["items"] == 2
    snap.close()
