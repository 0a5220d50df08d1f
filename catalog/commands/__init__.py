"""`catalog`: build, search and inspect CE catalog snapshots (the operators' and analysts' CLI).

The library does the work (catalog.builder, catalog.snapshot, catalog.search, catalog.refresh,
catalog.learning); the modules of this package only parse arguments and print. Errors are one
line on stderr with exit 1; usage errors exit 2. Every command is added to the group below, by
name, so the whole command set can be read here.
"""

from __future__ import annotations

import click

from catalog.commands.classify import classify_command
from catalog.commands.refresh import refresh_command
from catalog.commands.search import search, show, stats
from catalog.commands.snapshots import build, diff, export, publish, snapshots


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


for _command in (
    build,
    search,
    snapshots,
    publish,
    diff,
    show,
    stats,
    export,
    refresh_command,
    classify_command,
):
    cli.add_command(_command)
