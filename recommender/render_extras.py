"""Terminal rendering of what a plan adds beyond its offerings: assumptions, fees, cost range, deadlines."""

from __future__ import annotations

from typing import Any


def plain_units(text: str) -> str:
    """Unit codes in a sentence as words ('40 aama_ceu per year' -> '40 AAMA CEUs per year')."""
    import re

    from recommender.words import UNIT_WORDS

    return re.sub(r"\b(" + "|".join(UNIT_WORDS) + r")\b", lambda m: UNIT_WORDS[m.group(1)], text)


def render_before(con: Any, p: Any) -> None:
    if p.status == "estimated":
        con.print(
            f"[bold yellow]Estimate:[/] the cheapest plan if the {len(p.assumptions)} assumption(s) listed below "
            "hold. It is not proven: check each one before paying."
        )


def render_after_total(con: Any, p: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    if p.cost_range and p.cost_range[0] != p.cost_range[1]:
        con.print(
            f"Cost range: ${p.cost_range[0]:.2f} to ${p.cost_range[1]:.2f} (prices known only as a range)"
        )
    for f in p.fees:
        flag = (
            ""
            if f["verified"]
            else " (unverified: " + escape(f["note"] or "not from the body's own page") + ")"
        )
        times = f" ({f['times']} x ${f['each']:.2f})" if f["times"] > 1 else ""
        con.print(f"Fee: {f['credential']} {f['name'].replace('_', ' ')} ${f['amount']:.2f}{times}{flag}")
    if p.fees:
        con.print(f"[bold]Total with fees: ${p.total_with_fees:.2f}[/]")
    if p.assumptions:
        t = Table(title="Assumptions this estimate relies on (check the most expensive first)", expand=True)
        t.add_column("offering", ratio=2, overflow="fold")
        t.add_column("assumed", ratio=3, overflow="fold")
        t.add_column("basis (source)", ratio=3, overflow="fold")
        t.add_column("without it", justify="right")
        for a in p.assumptions:
            basis = escape(a["basis"]["url"] or "")
            if a["basis"].get("note"):
                basis += f"\n[dim]{escape(a['basis']['note'])}[/dim]"
            t.add_row(
                escape(a["title"]),
                escape(plain_units(a["assumed"])) + f"\n[dim]check: {escape(plain_units(a['check']))}[/dim]",
                basis,
                escape(a["without_it"]),
            )
        con.print(t)
    d = p.deadlines or {}
    if d.get("finish_by"):
        con.print(
            f"Finish by {d['finish_by']}" + (f" (cycle ends {d['cycle_end']})" if d.get("cycle_end") else "")
        )
    for s in d.get("submit_by", []):
        con.print(f"{s['credential']}: last day to finish and submit {s['last_day']} ({escape(s['why'])})")
