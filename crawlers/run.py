"""The crawl runner: `python -m crawlers NAME... --out DIR [--base-url URL] [--run-date DATE]`.

Runs the spiders in one CrawlerProcess, writes `<DIR>/<spider>.jsonl` plus `<DIR>/manifest.json`
(a "recorded crawl" that `catalog refresh --from-crawl DIR` ingests), and enforces the crawl
threshold that `scrapy crawl` cannot (it exits 0 whatever happens): exit 1 when a spider scraped
no item, did not finish, or dropped more than 10% of its items as invalid.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from crawlers.manifest import manifest_entry

MAX_INVALID_RATE = 0.10
MANIFEST = "manifest.json"


def _pairs(values: list[str], flag: str) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, value = v.partition("=")
        if not sep:
            raise SystemExit(f"error: {flag} expects KEY=VALUE, got {v!r}")
        out[key] = value
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m crawlers",
        description=__doc__.split("\n\n")[0],
        epilog="Example: python -m crawlers aama relias --out build/crawl --run-date 2026-01-15",
    )
    p.add_argument("spiders", nargs="*", help="spider names (default: all; see --list)")
    p.add_argument("--out", type=Path, help="output directory for <spider>.jsonl and manifest.json")
    p.add_argument("--base-url", help="crawl this host instead of the provider's (fixture sites)")
    p.add_argument("--run-date", default=None, help="retrieval date stamped on every item (default: today)")
    p.add_argument(
        "-s", dest="settings", action="append", default=[], metavar="KEY=VALUE", help="Scrapy setting"
    )
    p.add_argument(
        "-a", dest="args", action="append", default=[], metavar="KEY=VALUE", help="spider argument"
    )
    p.add_argument("--list", action="store_true", help="print the spider names and exit")
    return p


def spider_names() -> list[str]:
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings

    os.environ["SCRAPY_SETTINGS_MODULE"] = "crawlers.settings"
    settings = get_project_settings()
    return sorted(load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings).list())


def run(
    spiders: list[str],
    out: Path,
    *,
    run_date: date,
    base_url: str | None = None,
    settings: dict[str, str] | None = None,
    spider_args: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Crawl, write the JSON Lines and the manifest; return the manifest."""
    os.environ["SCRAPY_SETTINGS_MODULE"] = "crawlers.settings"
    os.environ["CEU_RUN_DATE"] = run_date.isoformat()
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    s = get_project_settings()
    for key, value in (settings or {}).items():
        s.set(key, value, priority="cmdline")
    s.set("CEU_RUN_DATE", run_date.isoformat(), priority="cmdline")
    out.mkdir(parents=True, exist_ok=True)
    s.set(
        "FEEDS",
        {str(out / "%(name)s.jsonl"): {"format": "jsonlines", "overwrite": True, "encoding": "utf8"}},
        priority="cmdline",
    )
    process = CrawlerProcess(s, install_root_handler=True)
    unknown = sorted(set(spiders) - set(process.spider_loader.list()))
    if unknown:
        raise SystemExit(f"error: unknown spider(s) {', '.join(unknown)}; known: {', '.join(spider_names())}")
    handles = []
    for name in spiders:
        crawler = process.create_crawler(name)
        kwargs = dict(spider_args or {})
        if base_url:
            kwargs["base_url"] = base_url
        process.crawl(crawler, **kwargs)
        handles.append(crawler)
    process.start()
    manifest = _read_manifest(out)
    manifest["run_date"] = run_date.isoformat()
    for crawler in handles:
        entry = spider_entry(crawler, out)
        manifest["spiders"][entry["spider"]] = entry
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    return manifest


def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text())
        return data if isinstance(data.get("spiders"), dict) else {"spiders": {}}
    except (OSError, ValueError):
        return {"spiders": {}}


def spider_entry(crawler, out: Path) -> dict[str, Any]:
    """One spider's manifest entry from its stats and its JSON Lines."""
    name = crawler.spider.name
    path = out / f"{name}.jsonl"
    providers: set[str] = set()
    items = 0
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                items += 1
                providers.add(json.loads(line).get("provider", ""))
    return manifest_entry(crawler, file=path.name, items=items, providers=providers)


def problems(manifest: dict[str, Any], names: list[str]) -> list[str]:
    """Threshold failures, one line each (City Bureau's 90%-valid rule)."""
    out = []
    for name in names:
        e = manifest["spiders"].get(name, {})
        total = e.get("items", 0) + e.get("invalid", 0)
        if e.get("finish_reason") != "finished":
            out.append(f"{name}: crawl did not finish ({e.get('finish_reason')})")
        if e.get("items", 0) == 0:
            out.append(f"{name}: no item scraped")
        elif total and e.get("invalid", 0) / total > MAX_INVALID_RATE:
            out.append(
                f"{name}: {e['invalid']} of {total} items invalid (> {MAX_INVALID_RATE:.0%}): "
                f"{e.get('invalid_by_reason')}"
            )
    return out


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.list:
        print("\n".join(spider_names()))
        return 0
    if args.out is None:
        parser().error("--out DIR is required")
    try:
        day = date.fromisoformat(args.run_date) if args.run_date else date.today()
    except ValueError:
        parser().error(f"--run-date: not an ISO date: {args.run_date!r}")
    names = args.spiders or spider_names()
    manifest = run(
        names,
        args.out,
        run_date=day,
        base_url=args.base_url,
        settings=_pairs(args.settings, "-s"),
        spider_args=_pairs(args.args, "-a"),
    )
    failed = problems(manifest, names)
    for line in failed:
        print(f"crawl check failed: {line}", file=sys.stderr)
    for name in names:
        e = manifest["spiders"][name]
        print(
            f"{name}: {e['items']} items, {e['invalid']} invalid, {len(e['malformed_pages'])} malformed page(s)",
            file=sys.stderr,
        )
    return 1 if failed else 0
