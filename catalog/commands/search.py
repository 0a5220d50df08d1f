"""`catalog search`, `show` and `stats`: read offerings from a snapshot."""

from __future__ import annotations

import click

from catalog.cli_types import MONEY, ROW_LIMIT
from catalog.commands.options import (
    catalog_errors,
    format_option,
    home_option,
    open_snapshot,
    snapshot_option,
)
from catalog.vocab import Area, Delivery, Kind


@click.command()
@click.argument("text", nargs=-1)
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
    type=MONEY,
    metavar="X",
    help="At most this price in USD (a range counts at its maximum).",
)
@click.option("--limit", type=ROW_LIMIT, default=50, show_default=True, help="Rows to show; 0 = all.")
@format_option("table", "json", "csv")
@home_option
@snapshot_option
@catalog_errors
def search(text, provider, category, accepted_by, kind, delivery, max_price, limit, fmt, home, snapshot_id):
    """Search offerings by text and filters.

    TEXT matches words in the title or description (every word must appear); several words may be
    given with or without quotes.

    \b
    Examples:
      catalog search medical assistant --limit 5
      catalog search --category clinical --accepted-by AAMA --format json --limit 0
    """
    text = " ".join(text) or None
    from catalog.commands.output import credits_text, price_text, print_csv, print_json
    from catalog.records import MANUAL_COLUMNS
    from catalog.search import SearchQuery, search_offerings
    from catalog.vocab import parse_body

    if accepted_by:
        try:
            accepted_by = parse_body(accepted_by)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--accepted-by") from None
    with open_snapshot(home, snapshot_id) as snap:
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
    for r in rows:
        r["price"], r["credits_text"] = price_text(r), credits_text(r)
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


@click.command()
@click.argument("offering_id", metavar="ID")
@home_option
@snapshot_option
@format_option("table", "json")
@catalog_errors
def show(offering_id, home, snapshot_id, fmt):
    """Show one offering with every source it came from and its membership coverage.

    \b
    Example:
      catalog show ace-annual-membership
    """
    from catalog.commands.output import fmt as fmt_value
    from catalog.commands.output import print_json, print_table
    from catalog.search import describe_offering
    from catalog.snapshot import CatalogError

    with open_snapshot(home, snapshot_id) as snap:
        info = describe_offering(snap, offering_id)
        if info is None:
            from catalog.vocab import suggest

            ids = [r[0] for r in snap.con.execute("SELECT id FROM offerings").fetchall()]
            raise CatalogError(
                f"no offering {offering_id!r} in snapshot {snap.id}{closest_id(offering_id, ids) or suggest(offering_id, ids)}"
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


@click.command()
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
    from catalog.commands.output import print_json, print_table
    from catalog.search import provider_stats

    with open_snapshot(home, snapshot_id) as snap:
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


def closest_id(wanted: str, ids: list[str]) -> str:
    """' (did you mean X?)' for the id holding every word of `wanted` (shortest first), or ''."""
    words = [w for w in wanted.lower().replace("_", "-").split("-") if w]
    hits = sorted((i for i in ids if all(w in i.lower().split("-") for w in words)), key=len)
    return f" (did you mean {hits[0]!r}?)" if words and hits else ""
