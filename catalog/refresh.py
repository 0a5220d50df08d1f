"""`catalog refresh`: crawl (or ingest a recorded crawl), merge with the manual CSVs, and publish a
snapshot only when the per-source guards pass.

Guards, per crawled source ("spider:<name>"), against the previous snapshot's manifest `sources`:
  item-count    at least 50% of the previous snapshot's items for that source;
  invalid-rate  under 5% of the source's items were dropped as invalid;
  providers     every provider the source had before is still there (none silently disappears).
A refused refresh names each failing guard and source and publishes nothing; `force` overrides.
Sources not crawled this time keep their offerings from the previous snapshot. A manual CSV row
wins over a crawled one for the same offering (same id, or same URL and title); each such conflict
is logged. No Scrapy import here: crawls run as `python -m crawlers` subprocesses.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from catalog.records import Offering, record_to_offering
from catalog.snapshot import CatalogError, Snapshot

MIN_ITEM_RATIO = 0.5
MAX_INVALID_RATE = 0.05
SPIDER_PREFIX = "spider:"


@dataclass(frozen=True)
class GuardFailure:
    source: str
    guard: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.guard} guard failed: {self.message}"


class RefreshRefused(CatalogError):
    def __init__(self, failures: list[GuardFailure]):
        self.failures = failures
        lines = "\n".join(f"  {f}" for f in failures)
        super().__init__(
            f"refresh refused, nothing published ({len(failures)} guard(s) failed; "
            f"--force overrides):\n{lines}"
        )


@dataclass
class Crawl:
    """A recorded crawl read back: offerings plus per-source stats from its manifest."""

    offerings: list[Offering]
    sources: dict[str, dict[str, Any]]


@dataclass
class RefreshResult:
    snapshot: Snapshot
    failures: list[GuardFailure] = field(default_factory=list)  # overridden by force
    conflicts: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # sources kept from the previous snapshot


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


# ----------------------------------------------------------------------------- recorded crawls


def read_crawl(directory: Path | str, spiders: Iterable[str] = ()) -> Crawl:
    """Read `<dir>/manifest.json` and each spider's JSON Lines; errors name FILE:LINE."""
    d = Path(directory)
    try:
        manifest = json.loads((d / "manifest.json").read_text())
        entries: dict[str, Any] = manifest["spiders"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise CatalogError(f"{d}: not a recorded crawl (manifest.json missing or unreadable: {e})") from None
    wanted = set(spiders) or set(entries)
    unknown = wanted - set(entries)
    if unknown:
        raise CatalogError(f"{d}: the recorded crawl has no spider(s) {', '.join(sorted(unknown))}")
    offerings: list[Offering] = []
    sources: dict[str, dict[str, Any]] = {}
    for name in sorted(wanted):
        entry = entries[name]
        path = d / entry.get("file", f"{name}.jsonl")
        got: list[Offering] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as e:
            raise CatalogError(f"{path}: {e.strerror}") from None
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                got.append(record_to_offering(json.loads(line)))
            except (ValueError, KeyError, TypeError) as e:
                raise CatalogError(f"{path}:{n}: not a crawl record ({e})") from None
        source = entry.get("source", f"{SPIDER_PREFIX}{name}")
        offerings.extend(got)
        sources[source] = {
            "items": len(got),
            "invalid": int(entry.get("invalid", 0)),
            "providers": sorted({o.provider for o in got}),
            "invalid_by_reason": entry.get("invalid_by_reason", {}),
            "malformed_pages": len(entry.get("malformed_pages", [])),
            "retrieved_at": manifest.get("run_date"),
            "crawl_end": entry.get("end_time"),
        }
    return Crawl(offerings, sources)


# ----------------------------------------------------------------------------- guards


def check_guards(new: dict[str, dict[str, Any]], previous: dict[str, dict[str, Any]]) -> list[GuardFailure]:
    """Every failing guard for every crawled source (see the module docstring)."""
    failures = []
    for src, s in sorted(new.items()):
        items, invalid = s.get("items", 0), s.get("invalid", 0)
        total = items + invalid
        if total and invalid / total >= MAX_INVALID_RATE:
            failures.append(
                GuardFailure(
                    src,
                    "invalid-rate",
                    f"{invalid} of {total} items invalid ({invalid / total:.0%} >= "
                    f"{MAX_INVALID_RATE:.0%}): {s.get('invalid_by_reason') or {}}",
                )
            )
        prev = previous.get(src)
        if prev is None:
            if items == 0:
                failures.append(GuardFailure(src, "item-count", "no items"))
            continue
        before = prev.get("items", 0)
        if items < MIN_ITEM_RATIO * before:
            failures.append(
                GuardFailure(
                    src,
                    "item-count",
                    f"{items} items, previous snapshot had {before} (minimum {MIN_ITEM_RATIO:.0%})",
                )
            )
        gone = sorted(set(prev.get("providers", [])) - set(s.get("providers", [])))
        if gone:
            failures.append(GuardFailure(src, "providers", f"provider(s) disappeared: {', '.join(gone)}"))
    return failures


# ----------------------------------------------------------------------------- crawling


def crawl(
    spiders: list[str],
    out: Path,
    *,
    run_date: date | None = None,
    base_url: str | None = None,
    settings: Iterable[str] = (),
    tty: bool | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Run each spider through `python -m crawlers` into `out`; a progress bar per spider on a TTY."""
    say = log or _stderr
    tty = sys.stderr.isatty() if tty is None else tty
    extra = [a for kv in settings for a in ("-s", kv)]
    if base_url:
        extra += ["--base-url", base_url]
    if run_date:
        extra += ["--run-date", run_date.isoformat()]
    bar = None
    if tty:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} items"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        bar.start()
    try:
        for name in spiders:
            task = bar.add_task(f"crawl {name}", total=None) if bar else None
            if not bar:
                say(f"crawl {name}: started")
            path = out / f"{name}.jsonl"
            proc = subprocess.Popen(
                [sys.executable, "-m", "crawlers", name, "--out", str(out), *extra],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            while proc.poll() is None:
                if bar:
                    bar.update(task, completed=_count_lines(path))
                time.sleep(0.2)
            stderr = proc.stderr.read() if proc.stderr else ""
            n = _count_lines(path)
            if bar:
                bar.update(task, completed=n, total=max(n, 1))
            else:
                say(f"crawl {name}: finished, {n} items (exit {proc.returncode})")
            if proc.returncode not in (0, 1) or not (out / "manifest.json").exists():
                last = stderr.strip().splitlines()[-1:] or ["no output"]
                raise CatalogError(f"crawl {name} failed (exit {proc.returncode}): {last[0]}")
    finally:
        if bar:
            bar.stop()
    return out


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as f:
            return sum(1 for _ in f)
    except OSError:
        return 0


def all_spider_names() -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "crawlers", "--list"], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


# ----------------------------------------------------------------------------- refresh


def _key(o: Offering) -> tuple[str, str]:
    return o.url.rstrip("/").lower(), " ".join(o.title.lower().split())


def merge_manual(manual: list[Offering], crawled: list[Offering]) -> tuple[list[Offering], list[str]]:
    """Crawled offerings not already given by a manual row, plus one log line per conflict."""
    by_id = {o.id: o for o in manual}
    by_key = {_key(o): o for o in manual}
    kept, conflicts = [], []
    for o in crawled:
        m = by_id.get(o.id) or by_key.get(_key(o))
        if m is None:
            kept.append(o)
            continue
        differ = [
            k
            for k, v in o.to_row().items()
            if k not in ("id", "source", "source_line", "retrieved_at") and v != m.to_row().get(k)
        ]
        conflicts.append(
            f"manual {m.id} ({m.source}:{m.source_line}) wins over crawled {o.id}"
            + (f"; they differ in {', '.join(differ)}" if differ else "")
        )
    return kept, conflicts


def refresh(
    *,
    home: str | Path | None = None,
    spiders: Iterable[str] = (),
    from_crawl: str | Path | None = None,
    manual_dirs: Iterable[str | Path] | None = None,
    force: bool = False,
    run_date: date | None = None,
    base_url: str | None = None,
    crawl_settings: Iterable[str] = (),
    scrapyd: Iterable[str] = (),
    tty: bool | None = None,
    log: Callable[[str], None] | None = None,
    wait: bool = True,
    allow_empty: bool = False,
) -> RefreshResult:
    """Crawl or ingest, check the guards, merge with the manual CSVs and publish (see module docstring).

    `wait` and `allow_empty` are `catalog build`'s (the publish lock; a build without offerings)."""
    from catalog.builder import build
    from catalog.home import manual_dir
    from catalog.loaders.manual_csv import load_manual
    from catalog.snapshot import open_snapshot

    say = log or _stderr
    spiders = list(spiders)
    nodes = list(scrapyd)
    if from_crawl is not None:
        crawl_data = read_crawl(from_crawl, spiders)
    elif nodes:  # the same recorded crawl, made by jobs on Scrapyd nodes (catalog/scrapyd.py)
        from catalog.scrapyd import crawl_on_scrapyd

        with tempfile.TemporaryDirectory(prefix="ceu-crawl-") as tmp:
            crawl_on_scrapyd(
                nodes,
                spiders,
                Path(tmp),
                run_date=run_date,
                base_url=base_url,
                settings=crawl_settings,
                log=say,
            )
            crawl_data = read_crawl(tmp)
    else:
        with tempfile.TemporaryDirectory(prefix="ceu-crawl-") as tmp:
            crawl(
                spiders or all_spider_names(),
                Path(tmp),
                run_date=run_date,
                base_url=base_url,
                settings=crawl_settings,
                tty=tty,
                log=say,
            )
            crawl_data = read_crawl(tmp)
    previous = open_snapshot(home, warn=say)
    try:
        prev_sources = previous.manifest.get("sources", {})
        failures = check_guards(crawl_data.sources, prev_sources)
        if failures and not force:
            raise RefreshRefused(failures)
        for f in failures:
            say(f"warning: {f} (published anyway: --force)")
        carried_offerings = [
            o
            for o in previous.offerings()
            if o.source.startswith(SPIDER_PREFIX) and o.source not in crawl_data.sources
        ]
    finally:
        previous.close()
    carried = sorted({o.source for o in carried_offerings})
    dirs = list(manual_dirs) if manual_dirs else [manual_dir()]
    crawled, conflicts = merge_manual(load_manual(dirs), crawl_data.offerings + carried_offerings)
    for line in conflicts:
        say(f"conflict: {line}")
    spider_sources = {src: prev_sources[src] for src in carried if src in prev_sources} | crawl_data.sources
    snap = build(
        dirs,
        home,
        extra=crawled,
        extra_sources=spider_sources,
        wait=wait,
        allow_empty=allow_empty,
        say=lambda m: say(f"warning: {m}"),
    )
    return RefreshResult(snap, failures, conflicts, carried)
