"""Crawl on Scrapyd nodes: schedule each spider, wait for its job, collect its feed and manifest.

`catalog refresh --scrapyd URL [--scrapyd URL]…` calls `crawl_on_scrapyd`, which leaves a recorded
crawl (`<spider>.jsonl` + `manifest.json`) in a directory; refresh then reads it like
`--from-crawl` and publishes behind the same guards as a local crawl. Spiders are spread round-robin
over the nodes. Each node needs the project deployed (`scrapyd-deploy`, see docs/crawling.md) and
`items_dir` set, so that Scrapyd writes and serves each job's feed; the `FeedManifest` extension
(CEU_FEED_MANIFEST, set here per job) writes the job's manifest entry beside it. Talking to Scrapyd
goes through scrapyd-client's `ScrapydClient`; no Scrapy code runs in this process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from catalog.snapshot import CatalogError

PROJECT = "crawlers"  # the `project` of scrapy.cfg's [deploy] targets


@dataclass
class Job:
    spider: str
    node: str
    id: str


def _client(url: str):
    try:
        from scrapyd_client import ScrapydClient
    except ImportError:  # pragma: no cover - scrapyd-client is a dependency
        raise CatalogError("--scrapyd needs scrapyd-client: pip install scrapyd-client") from None
    return ScrapydClient(url.rstrip("/"))


def _call(node: str, what: str, fn: Callable[[], Any]) -> Any:
    """One Scrapyd API call; any failure becomes a one-line CatalogError naming the node."""
    try:
        return fn()
    except Exception as e:  # requests' and scrapyd-client's errors: connection, HTTP, {"status": "error"}
        raise CatalogError(f"Scrapyd at {node}: {what} failed: {e}") from None


def crawl_on_scrapyd(
    nodes: Sequence[str],
    spiders: Iterable[str],
    out: Path,
    *,
    project: str = PROJECT,
    run_date: date | None = None,
    base_url: str | None = None,
    settings: Iterable[str] = (),
    timeout: float = 6 * 3600,
    poll: float = 1.0,
    log: Callable[[str], None] = print,
) -> Path:
    """Schedule `spiders` (default: every spider the first node lists) and write the recorded crawl to `out`."""
    clients = {url: _client(url) for url in nodes}
    first = nodes[0]
    known = _call(
        first, f"listing the spiders of project {project!r}", lambda: clients[first].spiders(project)
    )
    names = list(spiders) or sorted(known)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise CatalogError(
            f"Scrapyd at {first}: project {project!r} has no spider(s) {', '.join(unknown)} "
            f"(deploy the current version with scrapyd-deploy)"
        )
    args = [("setting", "CEU_FEED_MANIFEST=1")] + [("setting", kv) for kv in settings]
    if run_date:
        args.append(("setting", f"CEU_RUN_DATE={run_date.isoformat()}"))
    if base_url:
        args.append(("base_url", base_url))
    jobs = []
    for i, name in enumerate(names):
        node = nodes[i % len(nodes)]
        job_id = _call(
            node, f"scheduling {name}", lambda c=clients[node], n=name: c.schedule(project, n, args)
        )
        jobs.append(Job(name, node, job_id))
        log(f"crawl {name}: scheduled on {node} as job {job_id}")
    _wait(jobs, clients, project, timeout=timeout, poll=poll, log=log)
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"run_date": run_date.isoformat() if run_date else None, "spiders": {}}
    for job in jobs:
        manifest["spiders"][job.spider] = _collect(job, project, out)
        log(f"crawl {job.spider}: finished on {job.node}, {manifest['spiders'][job.spider]['items']} items")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return out


def _wait(jobs: list[Job], clients: dict, project: str, *, timeout: float, poll: float, log) -> None:
    """Poll status.json until every job is finished; on timeout cancel what is left and fail."""
    deadline = time.monotonic() + timeout
    left = list(jobs)
    while left:
        for job in list(left):
            state = _call(
                job.node, f"status of job {job.id}", lambda j=job: clients[j.node].status(j.id, project)
            ).get("currstate")
            if state == "finished":
                left.remove(job)
            elif state == "unknown":
                raise CatalogError(
                    f"Scrapyd at {job.node}: job {job.id} ({job.spider}) is unknown to the node"
                )
        if left and time.monotonic() > deadline:
            for job in left:
                _call(
                    job.node, f"cancelling job {job.id}", lambda j=job: clients[j.node].cancel(project, j.id)
                )
            names = ", ".join(f"{j.spider} ({j.id})" for j in left)
            raise CatalogError(f"Scrapyd jobs not finished after {timeout:.0f} s, cancelled: {names}")
        if left:
            time.sleep(poll)


def _collect(job: Job, project: str, out: Path) -> dict[str, Any]:
    """Download the job's feed and manifest entry from the node's items_dir into `out`."""
    import requests

    base = f"{job.node.rstrip('/')}/items/{project}/{job.spider}/{job.id}"
    entry_resp = _call(
        job.node, f"fetching {base}.manifest.json", lambda: requests.get(base + ".manifest.json")
    )
    if entry_resp.status_code != 200:
        raise CatalogError(
            f"Scrapyd at {job.node}: job {job.id} ({job.spider}) left no manifest at {base}.manifest.json "
            f"(HTTP {entry_resp.status_code}); the node needs items_dir set and the current project deployed"
        )
    entry = entry_resp.json()
    feed = _call(job.node, f"fetching {base}.jl", lambda: requests.get(base + ".jl"))
    if feed.status_code not in (200, 404):  # 404: the job scraped nothing, so no feed was written
        raise CatalogError(f"Scrapyd at {job.node}: {base}.jl answered HTTP {feed.status_code}")
    path = out / f"{job.spider}.jsonl"
    path.write_bytes(feed.content if feed.status_code == 200 else b"")
    entry |= {"file": path.name, "scrapyd": {"node": job.node, "job": job.id, "project": project}}
    return entry
