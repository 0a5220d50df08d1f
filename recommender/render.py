"""`recommend`'s terminal output: the plan (or why none exists) as rich tables. rich is imported here only."""

from __future__ import annotations


def render(p) -> None:
    """Human-readable plan (rich tables on stdout)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console()
    for w in p.warnings:
        con.print(f"[bold yellow]Warning:[/] {escape(w)}")
    if p.complete:
        from recommender.done import met_sentence

        con.print("[bold green]You are done: every requirement is met. Nothing to buy.[/]")
        for entry in p.met:
            con.print(escape(met_sentence(entry)))
        return
    if not p.ok or p.status == "estimated":
        from recommender.words import requirement_words, unit_short

        con.print(
            "[bold red]No plan closes the gaps"
            + (" from stated facts alone.[/]" if p.status == "estimated" or p.estimate else ".[/]")
        )
        if p.shortfalls:
            t = Table(title="What the catalog cannot cover")
            for c in ("requirement", "needed", "at most available", "short by"):
                t.add_column(c, justify="left" if c == "requirement" else "right")
            for s in p.shortfalls:
                name = requirement_words(s["gap"], s["credential"] or "", s["unit"])
                t.add_row(
                    escape(name),
                    f"{s['needed']:g} {unit_short(s['unit'])}",
                    f"{s['at_most']:g}",
                    f"{s['needed'] - s['at_most']:g}",
                )
            con.print(t)
        con.print(f"Why: {escape(p.why or p.reason or '')}")
        if p.status != "estimated":
            if p.estimate is not None:
                render_plan(con, p.estimate)
            return
    render_plan(con, p)


def render_plan(con, p) -> None:
    """A plan (proven or estimated) with its totals, fees, assumptions, memberships and proof."""
    from rich.markup import escape
    from rich.table import Table

    from recommender.render_extras import render_after_total, render_before

    render_before(con, p)
    plans = p.frontier or [p]
    if p.frontier:
        t = Table(title="Cost / hours frontier (each plan is the cheapest for its hours)")
        for c in ("#", "cost", "hours", "offerings"):
            t.add_column(c)
        for i, q in enumerate(plans, 1):
            t.add_row(str(i), f"${q.total_cost:.2f}", f"{q.total_hours:g}", str(len(q.selected)))
        con.print(t)
    t = Table(title="Cheapest plan" + (" (estimate)" if p.status == "estimated" else ""), expand=True)
    t.add_column("offering (source page)", ratio=3, overflow="fold")
    t.add_column("provider", ratio=2, min_width=8, overflow="fold")
    t.add_column("paid", justify="right")
    t.add_column("hours", justify="right")
    t.add_column("credits", ratio=2, overflow="fold")
    t.add_column("serves", ratio=2, overflow="fold")
    for s in p.selected:
        credits = credits_cell(s, p.requirements)
        if s.get("pool"):
            credits = f"up to {s['pool']['credits']:g} in any of {', '.join(s['pool']['areas'])} (assumed)"
        paid = f"${s['price_paid']:.2f}" + ("*" if s["price_is_estimate"] else "")
        if s["via_membership"]:
            paid += f" (via {escape(s['via_membership'])})"
        cautions = "".join(f"\n[yellow]! {escape(c)}[/yellow]" for c in s.get("cautions", []))
        t.add_row(
            f"{escape(s['title'])}\n[dim]{escape(s['url'])}[/dim]{cautions}",
            escape(s["provider"]),
            paid,
            "?" if s["hours"] is None else f"{s['hours']:g}",
            escape(credits),
            escape(serves_cell(s["serves"], p.requirements)),
        )
    for m in p.memberships:
        t.add_row(
            f"[bold]{escape(m['title'])}[/]\n[dim]{escape(m['url'])}[/dim]",
            escape(m["provider"]),
            f"${m['price_paid']:.2f}",
            "",
            "",
            "membership",
        )
    con.print(t)
    from recommender.words import hours_words

    con.print(f"[bold]Total: ${p.total_cost:.2f}, {hours_words(p.selected, p.total_hours)}[/]")
    render_after_total(con, p)
    for m in p.memberships:
        save = m["savings_vs_single_purchases"]
        line = f"Membership {m['title']}: " + (
            f"saves ${save:.2f} versus buying its courses alone" if save is not None else m["savings_note"]
        )
        if m["cancel_renewal_by"]:
            line += f"; term {m['term_months']} months: cancel auto-renewal by {m['cancel_renewal_by']}"
        con.print(line)
    for n in p.notes:
        con.print(f"Note: {n}")
    pr = p.proof
    if "cost_cents" not in pr:
        con.print(f"Proof: {pr.get('note') or pr.get('status')}")
        return
    con.print(
        f"Proof: HiGHS status {pr['status']}, cost {pr['cost_cents']} cents = bound "
        f"{pr['cost_bound_cents']:.0f} (no gap); plan re-checked against the rules: {pr['recheck']}."
    )
    if pr.get("fees", {}).get("choices", 1) > 1:
        extra = pr["fees"]["bought_for_lower_fees"]
        con.print(
            f"Fees: the cheapest total with fees of {pr['fees']['choices']} membership choices, each solved exactly"
            + (f" (the cost above excludes {', '.join(extra)}, bought for its lower fees)" if extra else "")
            + "."
        )


def credits_cell(s: dict, requirements: list[dict]) -> str:
    """'CMA: 5 clinical points; CCMA: 2.5 credits': each credential's credits in its own units.

    The area split is shown for a credential with an open area requirement.
    """
    from recommender.words import unit_short

    by_cred = s.get("credits_by_credential") or {}
    with_areas = {
        r["credential"] for r in requirements if r["gap"] in ("general", "clinical", "administrative")
    }
    parts = []
    for code, c in by_cred.items():
        short = unit_short(c["unit"])
        areas = ", ".join(
            f"{v:g} {short} (area unknown)" if k == "none" else f"{v:g} {k} {short}"
            for k, v in c["by_area"].items()
        )
        text = areas if areas and code in with_areas else f"{c['total']:g} {short}"
        parts.append(f"{code}: {text}" if len(by_cred) > 1 else text)
    return "; ".join(parts)


def serves_cell(serves: list[str], requirements: list[dict]) -> str:
    """'CMA:approved:AAMA' -> 'CMA: points from courses approved by the AAMA'."""
    from recommender.words import requirement_words

    units = {r["credential"]: r["unit"] for r in requirements}
    out = []
    for label in serves:
        code, sep, key = label.partition(":")
        if sep and code in units:
            out.append(requirement_words(key, code, units[code]))
        else:
            out.append(requirement_words(label, "", units.get(None, "contact_hour")))
    return ", ".join(out)
