"""`catalog build`, `snapshots`, `diff` and `export`: publish snapshots and look at them as wholes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from catalog.commands.options import (
    catalog_errors,
    format_option,
    home_option,
    manual_sources_option,
    no_wait_option,
    open_snapshot,
    snapshot_option,
    warn,
)


@click.command()
@manual_sources_option("sources")
@click.option("--allow-empty", is_flag=True, help="Publish even if the sources hold no offerings.")
@no_wait_option
@home_option
@format_option("table", "json")
@catalog_errors
def build(sources, allow_empty, no_wait, home, fmt):
    """Validate manual CSVs and publish a new immutable snapshot.

    Every file is validated first; any invalid value prints FILE:LINE:COLUMN and exits 1
    without publishing. The snapshot is published by switching the `latest` pointer only
    after it is complete and verified, under the home's publish lock (one publisher at a time;
    a build that started before the published snapshot's build is kept but not published).
    Sources without any offering are refused unless --allow-empty.

    \b
    Example:
      catalog build --source data/manual --home ./my-catalog
    """
    from catalog.builder import build as do_build
    from catalog.commands.output import print_json
    from catalog.progress import rich_bars

    progress = (lambda msg: click.echo(f"  {msg}...", err=True)) if fmt == "table" else None
    with rich_bars(fmt == "table" and sys.stderr.isatty()) as say:
        snap = do_build(
            sources or None,
            home,
            progress=say or progress,
            allow_empty=allow_empty,
            wait=not no_wait,
            say=warn,
        )
    m = snap.manifest
    if fmt == "json":
        print_json(
            {
                "id": snap.id,
                "path": str(snap.path),
                "published": bool(snap.published),
                "tables": m["tables"],
                "sources": m["sources"],
            }
        )
        return
    rows = m["tables"]["offerings"]["rows"]
    done = "published" if snap.published else "built (not published)"
    click.echo(f"{done} snapshot {snap.id}: {rows} offerings from {len(m['sources'])} source file(s)")
    click.echo(f"  {snap.path}")


@click.command()
@click.argument("snapshot_id", metavar="SNAPSHOT_ID")
@no_wait_option
@home_option
@format_option("table", "json")
@catalog_errors
def publish(snapshot_id, no_wait, home, fmt):
    """Publish an existing snapshot: readers use it from now on (undo a bad build in one command).

    SNAPSHOT_ID is an id from `catalog snapshots` (or a unique prefix). The snapshot is verified
    first; `latest` is replaced atomically under the home's publish lock, and builds that started
    before this command never replace it.

    \b
    Example:
      catalog snapshots
      catalog publish 20261124T000000Z
    """
    from catalog.commands.output import print_json
    from catalog.home import catalog_home
    from catalog.publish_lock import publish_existing
    from catalog.snapshot import latest_id

    before = latest_id(catalog_home(home))
    sid = publish_existing(home, snapshot_id, wait=not no_wait, say=warn)
    if fmt == "json":
        print_json({"published": sid, "previous": before})
        return
    click.echo(f"published snapshot {sid}" + (f" (was {before})" if before and before != sid else ""))


@click.command()
@home_option
@format_option("table", "json")
@catalog_errors
def snapshots(home, fmt):
    """List the snapshots in the catalog home, oldest first, and which one is published.

    \b
    Example:
      catalog snapshots --format json
    """
    from catalog.commands.output import print_json, print_table
    from catalog.home import catalog_home
    from catalog.snapshot import (
        CatalogError,
        latest_id,
        list_snapshot_ids,
        pointer_problem,
        snapshots_dir,
        verify,
    )

    h = catalog_home(home)
    current = latest_id(h)
    problem = pointer_problem(h)
    if problem:
        warn(problem)
    rows = []
    for sid in list_snapshot_ids(h):
        row = {
            "id": sid,
            "published": sid == current,
            "valid": True,
            "built_at": None,
            "offerings": None,
            "problem": None,
        }
        try:
            m = verify(snapshots_dir(h) / sid)
            row.update(built_at=m["built_at"], offerings=m["tables"]["offerings"]["rows"])
        except CatalogError as e:
            row.update(valid=False, problem=str(e))
        rows.append(row)
    if fmt == "json":
        print_json(rows)
        return
    if not rows:
        click.echo(f"no snapshots in {h}; readers use the embedded catalog (run `catalog build`)")
        return
    for r in rows:
        r["mark"] = "*" if r["published"] else ""
        r["state"] = "ok" if r["valid"] else f"CORRUPT: {r['problem']}"
    print_table(
        rows,
        [
            ("mark", ""),
            ("id", "id"),
            ("built_at", "built (UTC)"),
            ("offerings", "offerings"),
            ("state", "state"),
        ],
        caption="* = published (latest)",
    )


@click.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--derived", is_flag=True, help="Also report columns the build derives (inferred areas, confidence)."
)
@home_option
@format_option("table", "json")
@catalog_errors
def diff(old, new, derived, home, fmt):
    """Compare two snapshots: offerings added, removed, repriced and otherwise changed in their sources.

    OLD and NEW are snapshot ids (or unique prefixes, or 'embedded'). Changes the build derives (the
    classifier's inferred areas and confidence) are shown only with --derived.

    \b
    Example:
      catalog diff 20261101T000000Z 20261124T000000Z
    """
    from catalog.commands.output import money, print_json, print_table
    from catalog.diff import diff_snapshots

    with open_snapshot(home, old) as a, open_snapshot(home, new) as b:
        result = diff_snapshots(a, b, derived=derived)
    if fmt == "json":
        print_json(result)
        return
    click.echo(
        f"{result['old']} -> {result['new']}: {len(result['added'])} added, {len(result['removed'])} removed, "
        f"{len(result['repriced'])} repriced, {len(result['changed'])} changed"
    )
    for key in ("added", "removed"):
        if result[key]:
            print_table(result[key], [("id", "id"), ("provider", "provider"), ("title", "title")], title=key)
    if result["repriced"]:
        rows = [{**r, "old": money(r["old_price"]), "new": money(r["new_price"])} for r in result["repriced"]]
        print_table(
            rows,
            [("id", "id"), ("title", "title"), ("old", "old price"), ("new", "new price")],
            title="repriced",
        )
    if result["changed"]:
        print_table(result["changed"], [("id", "id"), ("fields", "changed fields")], title="changed")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["parquet"]), default="parquet", show_default=True)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an export already in DIRECTORY.")
@home_option
@snapshot_option
@catalog_errors
def export(fmt, directory, force, home, snapshot_id):
    """Write a snapshot's tables as Parquet files (plus its manifest) into DIRECTORY.

    A DIRECTORY that already holds an export is refused unless --force; a failure (a full
    disk) leaves it as it was.

    \b
    Example:
      catalog export --format parquet ./export
      python -c "import duckdb; print(duckdb.sql(\\"SELECT count(*) FROM 'export/offerings.parquet'\\").fetchall())"
    """
    from catalog.export import export_parquet

    with open_snapshot(home, snapshot_id) as snap:
        files = export_parquet(snap, directory, force=force)
    click.echo(f"exported snapshot {snap.id}: " + ", ".join(str(f) for f in files))
