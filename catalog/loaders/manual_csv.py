"""Load manual CSVs (data/manual/*.csv and any --source DIR) into Offerings.

Every file is read and validated before anything is returned; all errors come back at once,
each as FILE:LINE:COLUMN with the offending value, so a build can refuse to publish.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from catalog.loaders.csv_checks import CellGuard, csv_rows, wrong_delimiter
from catalog.normalize import FieldError, offering_from_fields, parse_date
from catalog.records import EXTRA_COLUMNS, MANUAL_COLUMNS, REQUIRED_COLUMNS, Offering
from catalog.vocab import suggest


@dataclass(frozen=True)
class LoadError:
    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ManualCSVError(ValueError):
    """One or more manual CSV rows are invalid; `errors` lists them all."""

    def __init__(self, errors: list[LoadError]):
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


def csv_files(dirs: Iterable[Path | str]) -> list[Path]:
    """The *.csv files of each directory (or the file itself), sorted, for stable ids and lines.

    A file reached twice (the same --source given twice, or a file inside a given directory) is
    read once.
    """
    out: list[Path] = []
    for d in dirs:
        p = Path(d)
        if p.is_dir():
            out.extend(sorted(p.glob("*.csv")))
        elif p.is_file():
            out.append(p)
        else:
            raise ManualCSVError([LoadError(str(p), 0, "-", "no such file or directory")])
    return unique_files(out)


def unique_files(paths: Iterable[Path | str]) -> list[Path]:
    """`paths` in order without repeats of the same file (compared after resolving links and '..')."""
    seen: set[Path] = set()
    out = []
    for p in map(Path, paths):
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def load_manual(dirs: Iterable[Path | str]) -> list[Offering]:
    """Load every CSV in `dirs`; raise ManualCSVError listing all errors."""
    return load_manual_files(csv_files(dirs))


def load_manual_files(paths: Iterable[Path | str], *, base: Path | None = None) -> list[Offering]:
    return list(iter_manual_files(paths, base=base))


def iter_manual_files(paths: Iterable[Path | str], *, base: Path | None = None) -> Iterator[Offering]:
    """Yield valid offerings row by row; after the last file, raise ManualCSVError if any row was bad.

    Streaming keeps a million-row build in bounded memory; the builder writes only into a
    temporary directory, which it deletes when this raises, so nothing partial is published.
    Once an error is seen, rows are still validated (to report every error) but no longer yielded.
    """
    errors: list[LoadError] = []
    seen: dict[str, tuple[str, int]] = {}
    for path in unique_files(paths):
        name = source_name(path, base)
        for line, oid, offering, row_errors in read_rows(path, name):
            errors.extend(row_errors)
            if oid:
                first = seen.setdefault(oid, (name, line))
                if first != (name, line):
                    errors.append(
                        LoadError(
                            name, line, "id", f"duplicate id {oid!r} (first defined at {first[0]}:{first[1]})"
                        )
                    )
            if offering is not None and not errors:
                yield offering
    if errors:
        raise ManualCSVError(errors)


def shown(value: object, limit: int = 80) -> str:
    """repr of a bad value for an error message, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 20]}... ({len(str(value)):,} characters)"


def source_name(path: Path, base: Path | None) -> str:
    """How a CSV is named in errors and provenance: relative to `base` (default: the working directory)."""
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


Row = tuple[int, str, Offering | None, list[LoadError]]


def read_rows(path: Path, name: str) -> Iterator[Row]:
    """(line, id, offering or None, errors) for each record; header problems come as line 1."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = raw[: e.start].rsplit(b"\n", 1)[-1].count(b",") + 1
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").split(",")
        column = header[col - 1].strip() if 0 < col <= len(header) else f"column {col}"
        yield (
            line,
            "",
            None,
            [
                LoadError(
                    name, line, column, f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
                )
            ],
        )
        return
    del raw
    reader = csv_rows(text)
    guard = CellGuard(text)
    delimiter = wrong_delimiter(text)
    if delimiter:
        yield 1, "", None, [LoadError(name, 1, "-", delimiter)]
        return
    try:
        raw_header = next(reader)
    except StopIteration:
        yield 1, "", None, [LoadError(name, 1, "-", "empty file: a header row is required")]
        return
    except csv.Error as e:
        yield 1, "", None, [LoadError(name, 1, "-", f"not a readable CSV header ({e})")]
        return
    header = [h.strip() for h in raw_header]
    errors = [LoadError(name, p.line, p.column, p.message) for p in guard.problems(raw_header, [], 1)]
    errors = errors or _header_errors(name, header)
    if errors:
        yield 1, "", None, errors
        return
    source = f"manual/{path.name}"
    width = len(header)
    line = 1
    for record in _records(reader, name):
        if isinstance(record, LoadError):
            yield record.line, "", None, [record]
            return
        start = line + 1
        line = reader.line_num
        cell_problems = guard.problems(record, header, start)
        if cell_problems:
            yield start, "", None, [LoadError(name, p.line, p.column, p.message) for p in cell_problems]
            continue
        if len(record) != width:
            if any(c.strip() for c in record):
                yield (
                    start,
                    "",
                    None,
                    [LoadError(name, start, "-", f"{len(record)} cells but the header has {width} columns")],
                )
            continue
        row = {h: c.strip() for h, c in zip(header, record, strict=True)}
        yield (start, *row_result(row, name, source, start))


def row_result(
    row: dict[str, str], name: str, source: str, line: int
) -> tuple[str, Offering | None, list[LoadError]]:
    """(id, offering or None, errors) of one record's stripped cells (THE row check; the columnar
    loader sends the rows its vectorized checks cannot vouch for through here)."""
    oid = row["id"]
    retrieved = None
    day = row.get("retrieved_on", "")
    if day:
        try:
            d = parse_date("retrieved_on", day)
            retrieved = datetime(d.year, d.month, d.day)
        except FieldError as e:
            return oid, None, [LoadError(name, line, e.field, f"{e.message} (got {shown(e.value)})")]
    offering, field_errors = offering_from_fields(
        row, source=source, source_line=line, retrieved_at=retrieved, stripped=True
    )
    return (
        oid,
        offering,
        [LoadError(name, line, e.field, f"{e.message} (got {shown(e.value)})") for e in field_errors],
    )


def _records(reader, name: str) -> Iterator[list[str] | LoadError]:
    """The reader's records; a csv.Error ends the stream as one LoadError at its line."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield LoadError(name, reader.line_num, "-", f"unreadable CSV ({e})")
            return
        yield record


def _header_errors(name: str, header: list[str]) -> list[LoadError]:
    errors: list[LoadError] = []
    known = set(MANUAL_COLUMNS) | set(EXTRA_COLUMNS)
    for h in header:
        if h not in known:
            errors.append(LoadError(name, 1, h or "(blank)", f"unknown column {h!r}{suggest(h, known)}"))
    for h in sorted({h for h in header if header.count(h) > 1}):
        errors.append(LoadError(name, 1, h, f"column {h!r} appears more than once"))
    for req in REQUIRED_COLUMNS:
        if req not in header:
            errors.append(LoadError(name, 1, req, f"missing required column {req!r}"))
    if "price_usd" not in header and "price_max_usd" not in header:
        errors.append(
            LoadError(
                name, 1, "price_usd", "missing column 'price_usd' (or a price_min_usd/price_max_usd range)"
            )
        )
    return errors
