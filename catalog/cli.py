"""`catalog`: build, search and inspect CE catalog snapshots (the operators' and analysts' CLI).

The library does the work (catalog.builder, catalog.snapshot, catalog.search); this module only
parses arguments and prints. Errors are one line on stderr with exit 1; usage errors exit 2.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from catalog.vocab import Area, Delivery, Kind

HOME_HELP = "Catalog home (default: $CEU_HOME, else the user data directory)."


def _warn(msg: str) -> None:
    click.echo(f"warning: {msg}", err=True)


def catalog_errors(fn):
    """Turn domain errors into one-line messages and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from catalog.loaders.manual_csv import ManualCSVError
        from catalog.snapshot import CatalogError

        try:
            return fn(*args, **kwargs)
        except ManualCSVError as e:
            for err in e.errors:
                click.echo(str(err), err=True)
            click.echo(f"error: {len(e.errors)} invalid value(s); nothing was published", err=True)
            sys.exit(1)
        except CatalogError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise click.ClickException(f"{e.strerror or e}: {e.filename}" if e.filename else str(e)) from None

    return wrapper


def home_option(fn):
    return click.option(
        "--home", type=click.Path(file_okay=False, path_type=Path), envvar="CEU_HOME", help=HOME_HELP
    )(fn)


def snapshot_option(fn):
    return click.option(
        "--snapshot",
        "snapshot_id",
        metavar="ID",
        help="Read this snapshot id (or a unique prefix, or 'embedded') instead of the published one.",
    )(fn)


def format_option(*choices: str, default: str = "table"):
    def deco(fn):
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(fn)

    return deco


def _open(home, snapshot_id=None):
    from catalog.snapshot import open_snapshot

    return open_snapshot(home, snapshot_id, warn=_warn)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ceu-planner")
def cli() -> None:
    """Build, search and inspect the CE offerings catalog.

    A fresh install reads the catalog shipped with the package; `catalog build` publishes
    your own snapshot into the catalog home.

    \b
    Example:
      catalog search phlebotomy --category clinical --max-price 30
    """


@cli.command()
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Directory (or file) of manual CSVs; repeatable. Default: the shipped data/manual.",
)
@home_option
@format_option("table", "json")
@catalog_errors
def build(sources, home, fmt):
    """Validate manual CSVs and publish a new immutable snapshot.

    Every file is validated first; any invalid value prints FILE:LINE:COLUMN and exits 1
    without publishing. The snapshot is published by switching the `latest` pointer only
    after it is complete and verified.

    \b
    Example:
      catalog build --source data/manual --home ./my-catalog
    """
    from catalog.builder import build as do_build
    from catalog.output import print_json

    progress = (lambda msg: click.echo(f"  {msg}...", err=True)) if fmt == "table" else None
    snap = do_build(sources or None, home, progress=progress)
    m = snap.manifest
    if fmt == "json":
        print_json({"id": snap.id, "path": str(snap.path), "tables": m["tables"], "sources": m["sources"]})
        return
    rows = m["tables"]["offerings"]["rows"]
    click.echo(f"published snapshot {snap.id}: {rows} offerings from {len(m['sources'])} source file(s)")
    click.echo(f"  {snap.path}")


@cli.command()
@click.argument("text", required=False)
@click.option("--provider", help="Provider name (case-insensitive), e.g. ACE.")
@click.option(
    "--category", type=click.Choice([a.value for a in Area]), help="Content area with credits in it."
)
@click.option(
    "--accepted-by", "accepted_by", metavar="BODY", help="Body that accepts or approved it, e.g. AAMA."
)
@click.option("--kind", type=click.Choice([k.value for k in Kind]))
@click.option("--delivery", type=click.Choice([d.value for d in Delivery]))
@click.option(
    "--max-price",
    type=click.FloatRange(min=0),
    metavar="X",
    help="At most this price in USD (a range counts at its maximum).",
)
@click.option(
    "--limit", type=click.IntRange(min=0), default=50, show_default=True, help="Rows to show; 0 = all."
)
@format_option("table", "json", "csv")
@home_option
@snapshot_option
@catalog_errors
def search(text, provider, category, accepted_by, kind, delivery, max_price, limit, fmt, home, snapshot_id):
    """Search offerings by text and filters.

    TEXT matches words in the title or description (every word must appear).

    \b
    Example:
      catalog search --category clinical --accepted-by AAMA --format json --limit 0
    """
    from catalog.output import print_csv, print_json
    from catalog.records import MANUAL_COLUMNS
    from catalog.search import SearchQuery, search_offerings
    from catalog.vocab import parse_body

    if accepted_by:
        try:
            accepted_by = parse_body(accepted_by)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--accepted-by") from None
    with _open(home, snapshot_id) as snap:
        rows = search_offerings(
            snap,
            SearchQuery(
                text=text,
                provider=provider,
                category=category,
                accepted_by=accepted_by,
                kind=kind,
                delivery=delivery,
                max_price=max_price,
                limit=limit,
            ),
        )
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        print_csv(rows, [*MANUAL_COLUMNS, "source", "area_source"])
    else:
        _print_search_table(rows, snap.id)


def _print_search_table(rows: list[dict], snapshot_id: str) -> None:
    """Title with the id under it (for `catalog show`), then the facts a shopper compares."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        header_style="bold",
        expand=True,
        caption=f"{len(rows)} offering(s) from snapshot {snapshot_id}"
        + (
            "; * = area inferred by the classifier"
            if any(r["area_source"] == "inferred" for r in rows)
            else ""
        ),
    )
    table.add_column("offering (id)", ratio=3, overflow="fold")
    table.add_column("provider", ratio=1, overflow="fold")
    table.add_column("kind")
    table.add_column("price", justify="right")
    table.add_column("credits", overflow="fold")
    table.add_column("areas", overflow="fold")
    for r in rows:
        areas = r["areas"] or "-"
        if r["area_source"] == "inferred" and r["areas"]:
            areas += f"* ({r['area_confidence']:.2f})"
        table.add_row(
            f"{escape(r['title'])}\n[dim]{escape(r['id'])}[/dim]",
            escape(r["provider"]),
            r["kind"],
            r["price"],
            escape(r["credits_text"] or "-"),
            areas,
        )
    Console().print(table)


@cli.command()
@home_option
@format_option("table", "json")
@catalog_errors
def snapshots(home, fmt):
    """List the snapshots in the catalog home, oldest first, and which one is published.

    \b
    Example:
      catalog snapshots --format json
    """
    from catalog.home import catalog_home
    from catalog.output import print_json, print_table
    from catalog.snapshot import CatalogError, latest_id, list_snapshot_ids, snapshots_dir, verify

    h = catalog_home(home)
    current = latest_id(h)
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


@cli.command()
@click.argument("old")
@click.argument("new")
@home_option
@format_option("table", "json")
@catalog_errors
def diff(old, new, home, fmt):
    """Compare two snapshots: offerings added, removed, repriced and otherwise changed.

    OLD and NEW are snapshot ids (or unique prefixes, or 'embedded').

    \b
    Example:
      catalog diff 20261101T000000Z 20261124T000000Z
    """
    from catalog.diff import diff_snapshots
    from catalog.output import money, print_json, print_table

    with _open(home, old) as a, _open(home, new) as b:
        result = diff_snapshots(a, b)
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


@cli.command()
@click.argument("offering_id", metavar="ID")
@home_option
@snapshot_option
@format_option("table", "json")
@catalog_errors
def show(offering_id, home, snapshot_id, fmt):
    """Show one offering with every source it came from and its membership coverage.

    \b
    Example:
      catalog show ace-membership
    """
    from catalog.output import fmt as fmt_value
    from catalog.output import print_json, print_table
    from catalog.search import describe_offering
    from catalog.snapshot import CatalogError

    with _open(home, snapshot_id) as snap:
        info = describe_offering(snap, offering_id)
        if info is None:
            from catalog.vocab import suggest

            ids = [r[0] for r in snap.con.execute("SELECT id FROM offerings").fetchall()]
            raise CatalogError(
                f"no offering {offering_id!r} in snapshot {snap.id}{suggest(offering_id, ids)}"
            )
    if fmt == "json":
        print_json(info)
        return
    for k, v in info["offering"].items():
        click.echo(f"{k:>24}: {fmt_value(v)}")
    print_table(
        info["sources"],
        [
            ("source", "source"),
            ("source_line", "line"),
            ("url", "url"),
            ("price_usd", "price"),
            ("retrieved_at", "retrieved"),
        ],
        title="sources",
    )
    if info["covered_by"]:
        print_table(info["covered_by"], [("membership_id", "covered by"), ("discount_pct", "discount %")])
    if info["covers"]:
        click.echo(
            f"covers {len(info['covers'])} offering(s): "
            + ", ".join(info["covers"][:20])
            + (" ..." if len(info["covers"]) > 20 else "")
        )


@cli.command()
@home_option
@snapshot_option
@format_option("table", "json")
@catalog_errors
def stats(home, snapshot_id, fmt):
    """Completeness per provider: how many offerings have a known price, credits and area.

    \b
    Example:
      catalog stats --format json
    """
    from catalog.output import print_json, print_table
    from catalog.search import provider_stats

    with _open(home, snapshot_id) as snap:
        rows = provider_stats(snap)
        sid = snap.id
    if fmt == "json":
        print_json({"snapshot": sid, "providers": rows})
        return
    for r in rows:
        for k in ("with_price", "with_credits", "with_area"):
            base = r["offerings"] if k == "with_price" else r["credit_kinds"]
            r[k + "_txt"] = f"{r[k]}/{base}"
        if r["with_inferred_area"]:
            r["with_area_txt"] += f" ({r['with_inferred_area']} inferred)"
    print_table(
        rows,
        [
            ("provider", "provider"),
            ("offerings", "offerings"),
            ("with_price_txt", "price known"),
            ("with_credits_txt", "credits known"),
            ("with_area_txt", "area known"),
        ],
        title=f"catalog completeness (snapshot {sid})",
        caption="credits/area columns count credit-awarding offerings (not memberships or bundles)",
    )


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["parquet"]), default="parquet", show_default=True)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@home_option
@snapshot_option
@catalog_errors
def export(fmt, directory, home, snapshot_id):
    """Write a snapshot's tables as Parquet files (plus its manifest) into DIRECTORY.

    \b
    Example:
      catalog export --format parquet ./export
      python -c "import duckdb; print(duckdb.sql(\\"SELECT count(*) FROM 'export/offerings.parquet'\\").fetchall())"
    """
    from catalog.export import export_parquet

    with _open(home, snapshot_id) as snap:
        files = export_parquet(snap, directory)
    click.echo(f"exported snapshot {snap.id}: " + ", ".join(str(f) for f in files))


def _register_optional() -> None:
    """Commands contributed by other modules of the project."""
    import importlib
    import importlib.util

    for module, name in (
        ("catalog.refresh", "refresh_command"),
        ("catalog.classify_cli", "classify_command"),
    ):
        if importlib.util.find_spec(module) is None:
            continue
        cmd = getattr(importlib.import_module(module), name, None)
        if cmd is not None:
            cli.add_command(cmd, name.removesuffix("_command"))


_register_optional()
