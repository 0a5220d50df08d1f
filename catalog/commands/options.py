"""Options and the error handler shared by every `catalog` command."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

HOME_HELP = "Catalog home (default: $CEU_HOME, else the user data directory)."


def warn(msg: str) -> None:
    """A warning line on stderr."""
    click.echo(f"warning: {msg}", err=True)


def catalog_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into one-line messages and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
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


def home_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--home DIR` (also $CEU_HOME)."""
    return click.option(
        "--home", type=click.Path(file_okay=False, path_type=Path), envvar="CEU_HOME", help=HOME_HELP
    )(fn)


def no_wait_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--no-wait`: fail at once instead of waiting for another build's publish lock."""
    return click.option(
        "--no-wait",
        is_flag=True,
        help="Fail at once if another build is publishing into the home (default: wait for it).",
    )(fn)


def manual_sources_option(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--source PATH` (repeatable), passed as `name`: manual CSV directories or files."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--source",
            name,
            multiple=True,
            type=click.Path(exists=True, path_type=Path),
            help="Directory (or file) of manual CSVs; repeatable. Default: the shipped data/manual.",
        )(fn)

    return deco


def snapshot_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--snapshot ID`, passed as `snapshot_id`."""
    return click.option(
        "--snapshot",
        "snapshot_id",
        metavar="ID",
        help="Read this snapshot id (or a unique prefix, or 'embedded') instead of the published one.",
    )(fn)


def format_option(
    *choices: str, default: str = "table"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--format` with the given choices, passed as `fmt`."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(fn)

    return deco


def open_snapshot(home: Path | None, snapshot_id: str | None = None):
    """The snapshot to read (published, or `snapshot_id`), warnings printed on stderr."""
    from catalog.snapshot import open_snapshot as open_

    return open_(home, snapshot_id, warn=warn)
