"""Read a manual CSV into whole columns with pyarrow's CSV reader, or say it needs the row reader.

The columnar path takes well-formed files: UTF-8, comma-separated, a plain header the row reader
accepts, one physical line per record (no blank line, no line break inside a quoted cell, no bare
carriage return), no NUL byte and no cell over the length limit. For any other file `read_columns`
returns None and the caller uses `manual_csv.read_rows`, which reports every problem exactly as
before; so an odd file costs time, never a different answer. Cells are stripped of exactly the
characters Python's `str.strip()` strips, as the row reader does.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.loaders.csv_checks import MAX_CELL_CHARS, wrong_delimiter
from catalog.loaders.manual_csv import _header_errors

#: Every character `str.isspace()` accepts (what `str.strip()` removes); tests check it is complete.
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


@dataclass(frozen=True)
class Columns:
    """A file's records as stripped text columns (pyarrow StringArrays), by header name."""

    header: list[str]
    cells: dict[str, Any]
    rows: int

    def column(self, name: str) -> Any:
        """The stripped cells of `name`, or None when the file has no such column (all blank)."""
        return self.cells.get(name)


def read_columns(path: Path) -> Columns | None:
    """The file's columns, or None when it needs the row-by-row reader (see the module docstring)."""
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    header = _plain_header(raw)
    if header is None or b"\0" in raw or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return None
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    table = _parse(raw, len(header))
    if table is None or table.num_rows + 1 != lines:
        return None
    import pyarrow.compute as pc

    cells = {}
    for name, column in zip(header, table.columns, strict=True):
        column = column.combine_chunks()
        # bytes >= characters: count characters only when some cell has that many bytes
        if (
            len(column)
            and pc.max(pc.binary_length(column)).as_py() > MAX_CELL_CHARS
            and pc.max(pc.utf8_length(column)).as_py() > MAX_CELL_CHARS
        ):
            return None
        cells[name] = pc.utf8_trim(column, characters=PY_WHITESPACE)
    return Columns(header, cells, table.num_rows)


def _plain_header(raw: bytes) -> list[str] | None:
    """The stripped header names when the first line is a plain, valid header (no quotes), else None."""
    end = raw.find(b"\n")
    first = raw if end < 0 else raw[:end]
    if not first or b'"' in first or len(first) > MAX_CELL_CHARS:
        return None
    try:
        text = first.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if "\r" in text or wrong_delimiter(text):
        return None
    header = [h.strip() for h in text.split(",")]
    return None if _header_errors("", header) else header


def _parse(raw: bytes, width: int) -> Any:
    """pyarrow's CSV reader over the records (every cell as text), or None when it refuses the file."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    try:
        return pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
