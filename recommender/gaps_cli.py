"""`recommend gaps`: evaluate a transcript against one or more credentials and print what remains.

The command only parses and prints; recommender.evaluate does the work. The evaluation and the
transcript reader are imported when the command runs and rich for the table output only, so
`recommend` (which imports this module for its subcommand) does not pay for them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import click

from recommender.credentials import (
    CredentialFileError,
    UnknownCredential,
    known_credentials,
    load_credential,
    load_credential_file,
)
from recommender.words import cap_words, gap_words, unit_words, unverified_words

if TYPE_CHECKING:
    from recommender.evaluate import Evaluation


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO date (YYYY-MM-DD)", param, ctx)


class CredentialOption(click.Option):
    """`--credential`: its help lists the shipped credentials, read from data/credentials when shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.help and "{codes}" in self.help:
            self.help = self.help.format(codes=", ".join(known_credentials()))
        return super().get_help_record(ctx)


def json_error(lines: list[str]) -> None:
    """Bad input under --format json: every line on stdout (the web API's shape); stderr keeps the first."""
    click.echo(json.dumps({"status": "error", "error": lines[0] if lines else "", "errors": lines}, indent=2))


@click.command("gaps")
@click.option(
    "--credential",
    "codes",
    cls=CredentialOption,
    multiple=True,
    metavar="CODE",
    help="Credential code ({codes}); repeatable.",
)
@click.option(
    "--credential-file",
    "files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A custom credential TOML file (see data/credentials/README.md); repeatable.",
)
@click.option(
    "--transcript",
    required=True,
    type=click.Path(dir_okay=False),
    help="CSV of completed activities: completed_on,title,provider,kind,credits,credit_unit,areas,approved_by "
    "(optional hours, topics, id); `recommend example-transcript` prints an example.",
)
@click.option("--cycle-start", type=IsoDate(), help="First day of the recertification cycle.")
@click.option(
    "--certified-on",
    type=IsoDate(),
    help="Date of the last (re)certification; the cycle containing --as-of is used.",
)
@click.option("--as-of", type=IsoDate(), help="Today's date for --certified-on (default: the clock).")
@click.option("--first-renewal", is_flag=True, help="This is the first renewal (one-time topics, carry-in).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def gaps_command(codes, files, transcript, cycle_start, certified_on, as_of, first_renewal, fmt):
    """Show what a transcript counts toward each credential and the gaps that remain.

    Remaining gaps use the keys of `recommend --gaps`, in the credential's own units.

    A completion listed twice counts once; one dated after today does not count.

    \b
    Examples:
      recommend example-transcript > my-transcript.csv
      recommend gaps --credential CMA --transcript my-transcript.csv --cycle-start 2022-03-01
      recommend gaps --credential CMA --credential CCMA --transcript my-transcript.csv \\
        --certified-on 2022-02-10 --format json
    """
    if not codes and not files:
        raise click.UsageError("give --credential CODE or --credential-file FILE")
    if (cycle_start is None) == (certified_on is None):
        raise click.UsageError("give exactly one of --cycle-start DATE and --certified-on DATE")
    from recommender.evaluate import evaluate
    from recommender.transcript import TranscriptError, load_transcript

    try:
        creds = [load_credential(c) for c in codes] + [load_credential_file(f) for f in files]
        entries = load_transcript(transcript)
    except (UnknownCredential, CredentialFileError, TranscriptError) as e:
        raise click.ClickException(str(e)) from None
    results = []
    for cred in creds:
        cycle = (
            cred.cycle_from_start(cycle_start)
            if cycle_start
            else cred.cycle_from_certification(certified_on, as_of or date.today())
        )
        results.append(
            evaluate(cred, entries, cycle[0], cycle=cycle, first_renewal=first_renewal, as_of=date.today())
        )
    if fmt == "json":
        out = [r.to_json() for r in results]
        click.echo(json.dumps(out[0] if len(out) == 1 else out, indent=2))
    else:
        print_tables(results)


def print_tables(results: list[Evaluation]) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=False)
    for k, ev in enumerate(results):
        c = ev.credential
        if k:
            console.print()
        console.print(f"[bold]{escape(c.code)}[/bold] {escape(c.name)}")
        console.print(f"Cycle {ev.cycle[0]} to {ev.cycle[1]}, in {unit_words(c.unit)}")
        for w in ev.warnings:
            console.print(f"[bold yellow]Warning:[/] {escape(w)}")
        t = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        t.add_column("Requirement", overflow="fold")
        for col in ("Required", "Counted", "Remaining"):
            t.add_column(col, justify="right", no_wrap=True)
        for r in ev.requirements:
            name = escape(r["name"])
            if ":" in r["name"]:
                name = escape(gap_words(r["name"], c.unit)) + f" [dim]({name})[/dim]"
            name += f" [dim]({escape(r['note'])})[/dim]" if r.get("note") else ""
            left = _n(r["remaining"])
            t.add_row(
                name, _n(r["required"]), _n(r["counted"]), f"[bold]{left}[/bold]" if r["remaining"] else left
            )
        console.print(t)
        if ev.gaps.closed:
            console.print("[bold green]Every requirement is met for this cycle: nothing remains.[/]")
        wheres = {r.name: dict(r.where) for r in c.caps}
        for cap in ev.caps:
            rule = cap_words(cap["name"], cap["max"], c.unit, wheres.get(cap["name"]))
            console.print(f"Limit: {escape(rule)}: {_n(cap['used'])} used")
        if ev.not_counted:
            nc = Table(title="Not counted", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
            nc.add_column("Completed", no_wrap=True)
            nc.add_column("Title", ratio=2, overflow="fold")
            nc.add_column("Reason", ratio=3, overflow="fold")
            for r in ev.not_counted:
                nc.add_row(r["completed_on"], escape(r["title"]), escape(r["reason"]))
            console.print(nc)
        if c.unverified:
            console.print(f"[dim]{escape(unverified_words(c))}[/dim]")


def _n(v: float) -> str:
    from recommender.evaluate import num

    return str(num(float(v)))
