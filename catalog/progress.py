"""Progress of long build steps, reported by the library and shown (or not) by the caller.

Library code calls `report(task, done, total)`; nothing happens unless a caller installed a
reporter with `reporting(fn)` (the CLI shows a rich progress bar on stderr when it is a terminal).
The library never imports rich and never prints.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar

Reporter = Callable[[str, float, float | None], None]
_current: ContextVar[Reporter | None] = ContextVar("catalog_progress", default=None)


def report(task: str, done: float, total: float | None = None) -> None:
    """`done` of `total` units of `task` are finished (total None: unknown)."""
    fn = _current.get()
    if fn is not None:
        fn(task, done, total)


def current_reporter() -> Reporter | None:
    """The installed reporter, for code that reports from another thread (a DuckDB scan of a stream)."""
    return _current.get()


@contextlib.contextmanager
def reporting(fn: Reporter | None) -> Iterator[None]:
    """Send `report` calls to `fn` meanwhile."""
    token = _current.set(fn)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def rich_bars(enabled: bool | None = None) -> Iterator[Callable[[str], None] | None]:
    """One rich progress bar per task on stderr while the block runs (only when stderr is a terminal).

    Yields a function that prints a step line above the bars (None when disabled).
    """
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    tasks: dict[str, int] = {}
    with Progress(
        TextColumn("  {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bars:

        def show(task: str, done: float, total: float | None) -> None:
            if task not in tasks:
                tasks[task] = bars.add_task(task, total=total)
            bars.update(tasks[task], completed=done, total=total)

        with reporting(show):
            yield lambda msg: bars.console.print(f"  {msg}...")
