"""Checks every reader of a user's CSV shares (manual CSVs, `--offerings`, transcripts, classify input).

Each check is a small function returning the problem (or None) so that each loader wraps it in
its own error type with FILE:LINE:COLUMN: cells longer than MAX_CELL_CHARS, NUL bytes in cells,
and a header separated by something other than commas. The cheap whole-text tests in CellGuard
keep the per-row cost at zero for ordinary files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: Longest cell accepted, in characters (Python's csv module stops at 131,072 with a traceback).
MAX_CELL_CHARS = 100_000

# The csv module's own limit must sit above ours, so that an oversized cell reaches our check
# (which names its line and column) instead of raising csv.Error.
if csv.field_size_limit() < 2**31 - 1:
    csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class CellProblem:
    """One bad cell: 1-based line, column name (or 'column N') and a plain-words message."""

    line: int
    column: str
    message: str


def csv_rows(text: str) -> Iterator[list[str]]:
    """csv.reader over decoded text (newlines inside quoted cells are kept)."""
    return csv.reader(io.StringIO(text, newline=""))


def wrong_delimiter(text: str) -> str | None:
    """The message if the header row is separated by ';' or tabs instead of commas, else None."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if "," in first:
        return None
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if sep in first:
            return (
                f"the header is separated by {name}, but the delimiter must be a comma "
                "(save or export the file as comma-separated CSV)"
            )
    return None


def column_name(header: Sequence[str], index: int) -> str:
    return header[index].strip() if index < len(header) and header[index].strip() else f"column {index + 1}"


def _may_hold_a_long_cell(text: str) -> bool:
    """False when no cell can exceed MAX_CELL_CHARS: without quotes a cell never spans a comma or a
    line break, so the longest run between them bounds every cell (one linear pass)."""
    if '"' in text:
        return True
    return max(map(len, re.split(r"[,\r\n]", text))) > MAX_CELL_CHARS


class CellGuard:
    """Finds oversized cells and NUL bytes; inspects rows only when the whole text could hold one."""

    def __init__(self, text: str) -> None:
        self.nul = "\0" in text
        self.long = len(text) > MAX_CELL_CHARS and _may_hold_a_long_cell(text)

    @property
    def active(self) -> bool:
        return self.nul or self.long

    def problems(self, record: Sequence[str], header: Sequence[str], line: int) -> list[CellProblem]:
        """Problems in one parsed record starting at `line` (empty list for a clean record)."""
        if not self.active:
            return []
        out = []
        for i, cell in enumerate(record):
            if self.long and len(cell) > MAX_CELL_CHARS:
                out.append(
                    CellProblem(
                        line,
                        column_name(header, i),
                        f"cell is {len(cell):,} characters long; the limit is {MAX_CELL_CHARS:,}",
                    )
                )
            if self.nul and "\0" in cell:
                out.append(
                    CellProblem(
                        line,
                        column_name(header, i),
                        f"NUL byte at character {cell.index(chr(0)) + 1} of the cell "
                        "(is the file UTF-16 or binary? save it as UTF-8 text)",
                    )
                )
        return out
