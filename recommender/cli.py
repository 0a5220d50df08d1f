"""`recommend`: the cheapest plan of courses and memberships that closes a credential's gaps.

Only parses and prints; `recommender.api.plan` does the work. Start-up stays light: click
and numpy here; duckdb, highspy and rich are imported when needed (never scipy, scrapy,
sklearn or pandas: tests/recommender/test_import_light.py). Exit codes: 0 plan found, 1 bad input, 2 usage error, 3 no plan exists.
"""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from catalog.cli_types import HOURS, MONEY, SECONDS, plain_warnings
from catalog.vocab import Delivery
from recommender.gaps_cli import CredentialOption, IsoDate, gaps_command, json_error
from web.command import serve_command

DELIVERIES = tuple(d.value for d in Delivery)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--credential",
    "codes",
    cls=CredentialOption,
    multiple=True,
    metavar="CODE",
    help="Credential code ({codes}); repeat for one joint plan.",
)
@click.option(
    "--credential-file",
    "cred_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A custom credential TOML file; repeatable.",
)
@click.option(
    "--gaps",
    "gaps",
    multiple=True,
    metavar="KEY=N,...",
    help="Remaining gaps, e.g. general=3,clinical=5,total=20,approved:AAMA=8; with several --credential "
    "give each its own: --gaps CMA:total=60 --gaps CCMA:total=10.",
)
@click.option(
    "--transcript", type=click.Path(dir_okay=False, exists=True), help="CSV of completed activities."
)
@click.option("--cycle-start", type=IsoDate(), help="First day of the cycle (with --transcript).")
@click.option(
    "--certified-on",
    type=IsoDate(),
    help="Date of the last (re)certification (with --transcript); the cycle containing --as-of is used.",
)
@click.option("--first-renewal", is_flag=True, help="This is the first renewal (one-time topics, carry-in).")
@click.option(
    "--offerings",
    "offerings",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="Plan over these manual-format CSV files instead of the catalog; repeatable.",
)
@click.option("--budget", type=MONEY, help="Most you will spend (USD).")
@click.option("--max-hours", type=HOURS, help="Most hours you will spend.")
@click.option("--delivery", multiple=True, type=click.Choice(DELIVERIES), help="Only these delivery modes.")
@click.option("--exclude-provider", multiple=True, metavar="NAME", help="Never buy from this provider.")
@click.option("--stated-only", is_flag=True, help="Ignore content areas inferred by the classifier.")
@click.option("--frontier", is_flag=True, help="List every cost/hours Pareto-optimal plan.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--home", type=click.Path(file_okay=False), help="Catalog home (default: $CEU_HOME).")
@click.option("--snapshot", "snapshot_id", help="Snapshot id to plan over (default: the published one).")
@click.option("--as-of", type=IsoDate(), help="Today's date (membership cancel dates, expiry).")
@click.option("--time-limit", type=SECONDS, help="Give up after this many seconds.")
@click.option(
    "--allow-estimates",
    is_flag=True,
    help="When no plan can be proven from stated facts, answer with the cheapest estimated plan (exit 0).",
)
@click.option(
    "--have",
    "have",
    multiple=True,
    metavar="ID",
    help="An offering you already hold (membership, library): free.",
)
@click.option(
    "--member-of",
    "member_of",
    multiple=True,
    metavar="BODY",
    help="You are a member of BODY (member fees; members-only offerings); repeatable.",
)
@click.option(
    "--employer",
    multiple=True,
    metavar="NAME",
    help="Your employer, for offerings open only to its staff; repeatable.",
)
@click.option(
    "--state",
    metavar="XX",
    help="Your US state (two letters), for in-person events and offerings open only to one state.",
)
@click.option("--finish-by", type=IsoDate(), help="Finish by this date (default: the cycle end).")
@click.option(
    "--ics",
    type=click.Path(dir_okay=False),
    help="Write the plan's dates (cycle end, cancel-by) as iCalendar.",
)
@click.pass_context
def main(
    ctx,
    codes,
    cred_files,
    gaps,
    transcript,
    cycle_start,
    certified_on,
    first_renewal,
    offerings,
    budget,
    max_hours,
    delivery,
    exclude_provider,
    stated_only,
    frontier,
    fmt,
    home,
    snapshot_id,
    as_of,
    time_limit,
    allow_estimates,
    have,
    member_of,
    employer,
    state,
    finish_by,
    ics,
):
    """Print the provably cheapest plan (then the fewest hours) that closes the gaps.

    Without --credential, credits count as contact hours. When no plan can be proven from stated facts,
    it also shows the cheapest estimated plan, each assumption with its source and the cost without it
    (the answer, exit 0, with --allow-estimates). Fees and dues count in the total.

    \b
    Examples:
      recommend --credential CCMA --gaps total=10
      recommend --credential CMA --gaps general=10,clinical=10,administrative=10,total=60,approved:AAMA=30 --allow-estimates
      recommend --credential CCMA --credential CMAA --gaps CCMA:total=10 --gaps CMAA:total=10
      recommend example-transcript > my-transcript.csv
      recommend --credential CMA --transcript my-transcript.csv --cycle-start 2022-03-01
    """
    plain_warnings()
    if ctx.invoked_subcommand is not None:
        return
    if not codes and not cred_files and not gaps:
        raise click.UsageError("give --gaps and/or --credential (see --help)")
    from recommender.options import OptionsError, check_transcript_options, split_gaps

    if state is not None and not (len(state.strip()) == 2 and state.strip().isalpha()):
        raise click.BadParameter(
            f"{state!r} is not a two-letter US state code (e.g. NH)", param_hint="--state"
        )

    try:
        check_transcript_options(gaps, transcript, cycle_start, certified_on)
    except OptionsError as e:
        raise click.UsageError(str(e)) from None
    from catalog.loaders.manual_csv import ManualCSVError
    from recommender.answer import plan
    from recommender.credentials import load_credential, load_credential_file
    from recommender.errors import input_errors

    try:
        creds = [load_credential(c) for c in codes] + [load_credential_file(f) for f in cred_files]
        catalog = None
        if snapshot_id and not offerings:
            from catalog.snapshot import open_snapshot

            catalog = open_snapshot(home, snapshot_id)
        try:
            per_credential = split_gaps(gaps, [c.code for c in creds])
        except OptionsError as e:
            raise click.UsageError(str(e)) from None
        gaps_arg = None if not gaps else (per_credential[0] if len(per_credential) == 1 else per_credential)
        result = plan(
            gaps_arg,
            creds,
            catalog,
            offerings_files=offerings,
            transcript=transcript,
            cycle_start=cycle_start,
            certified_on=certified_on,
            first_renewal=first_renewal,
            budget=budget,
            max_hours=max_hours,
            delivery=delivery,
            exclude_provider=exclude_provider,
            stated_only=stated_only,
            frontier=frontier,
            as_of=as_of or date.today(),
            home=home,
            time_limit=time_limit,
            allow_estimates=allow_estimates,
            have=have,
            member_of=member_of,
            employer=employer,
            state=state,
            finish_by=finish_by,
        )
    except ManualCSVError as e:
        if fmt == "json":
            json_error([str(err) for err in e.errors])
        for err in e.errors:
            click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    except (*input_errors(), RuntimeError) as e:
        if fmt == "json":
            json_error(str(e).splitlines())
        raise click.ClickException(str(e).splitlines()[0] if fmt == "json" else str(e)) from None
    if ics:
        from recommender.fees import write_ics

        shown = result if result.ok or result.estimate is None else result.estimate
        write_ics(ics, shown.to_json())
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, default=str))
    else:
        from recommender.render import render

        render(result)
    sys.exit(0 if result.ok else 3)


main.add_command(gaps_command, "gaps")
main.add_command(serve_command, "serve")


@main.command("example-transcript")
def example_transcript() -> None:
    """Print the example transcript that ships with the package (a fictional CMA, cycle from 2022-03-01).

    Save it, edit it into your own, and evaluate it.

    \b
    Example:
      recommend example-transcript > my-transcript.csv
      recommend gaps --credential CMA --transcript my-transcript.csv --cycle-start 2022-03-01
    """
    from importlib.resources import files

    click.echo((files("ceu_data") / "examples" / "cma-transcript.csv").read_text(encoding="utf-8"), nl=False)
