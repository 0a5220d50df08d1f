"""`catalog refresh`: crawl or ingest a recorded crawl, then publish when the guards pass (catalog.refresh)."""

from __future__ import annotations

from pathlib import Path

import click

from catalog.commands.options import catalog_errors, home_option, manual_sources_option, no_wait_option


@click.command("refresh")
@click.option(
    "--spider",
    "spiders",
    multiple=True,
    metavar="NAME",
    help="Crawl (or take from --from-crawl) only this spider; repeatable. Default: all.",
)
@click.option(
    "--from-crawl",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Ingest a recorded crawl (manifest.json + <spider>.jsonl) instead of crawling.",
)
@manual_sources_option("manual_dirs")
@click.option("--force", is_flag=True, help="Publish even when a guard fails.")
@click.option(
    "--run-date", type=click.DateTime(["%Y-%m-%d"]), help="Retrieval date for crawled items (default: today)."
)
@click.option(
    "--base-url", help="Crawl this host instead of the providers' (fixture sites, staging mirrors)."
)
@click.option(
    "-s", "crawl_settings", multiple=True, metavar="KEY=VALUE", help="Scrapy setting for the crawl."
)
@click.option("--allow-empty", is_flag=True, help="Publish even if there is no offering at all.")
@no_wait_option
@click.option(
    "--scrapyd",
    "scrapyd",
    multiple=True,
    metavar="URL",
    help="Run the spiders as jobs on this Scrapyd node (repeat for several; spiders are spread over them), "
    "wait for them and collect their feeds. The project must be deployed there (scrapyd-deploy).",
)
@home_option
@catalog_errors
def refresh_command(
    spiders,
    from_crawl,
    manual_dirs,
    force,
    run_date,
    base_url,
    crawl_settings,
    allow_empty,
    no_wait,
    scrapyd,
    home,
):
    """Crawl the providers (or ingest a recorded crawl), merge with the manual CSVs, and publish a
    snapshot if every source passes its guards: item count >= 50% of the previous snapshot's,
    invalid items < 5%, no provider disappearing. Otherwise print the failing guards and exit 1.

    \b
    Example:
      catalog refresh --from-crawl build/crawl
      catalog refresh --spider aama --spider relias
      catalog refresh --scrapyd http://127.0.0.1:6800 --spider structured
    """
    from catalog.refresh import SPIDER_PREFIX, refresh

    if scrapyd and from_crawl:
        raise click.UsageError("--scrapyd crawls; --from-crawl ingests a recorded crawl: give one of them")

    result = refresh(
        home=home,
        spiders=spiders,
        from_crawl=from_crawl,
        manual_dirs=manual_dirs or None,
        force=force,
        run_date=run_date.date() if run_date else None,
        base_url=base_url,
        crawl_settings=crawl_settings,
        scrapyd=scrapyd,
        wait=not no_wait,
        allow_empty=allow_empty,
    )
    m = result.snapshot.manifest
    crawled = sum(v.get("items", 0) for k, v in m["sources"].items() if k.startswith(SPIDER_PREFIX))
    done = "published" if result.snapshot.published else "built (not published)"
    click.echo(
        f"{done} snapshot {result.snapshot.id}: {m['tables']['offerings']['rows']} offerings "
        f"({crawled} crawled, {len(result.conflicts)} manual override(s)"
        + (", forced" if result.failures else "")
        + ")"
    )
