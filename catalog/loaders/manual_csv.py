"""Load manual CSVs (data/manual/*.csv and any --source DIR) into Offerings.

Every file is read and validated before anything is returned; all errors come back at once,
each as FILE:LINE:COLUMN with the offending value, so a build can refuse to publish.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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
    """The *.csv files of each directory (or the file itself), sorted, for stable ids and lines."""
    out: list[Path] = []
    for d in dirs:
        p = Path(d)
        if p.is_dir():
            out.extend(sorted(p.glob("*.csv")))
        elif p.is_file():
            out.append(p)
        else:
            raise ManualCSVError([LoadError(str(p), 0, "-", "no such file or directory")])
    return out


def load_manual(dirs: Iterable[Path | str]) -> list[Offering]:
    """Load every CSV in `dirs`; raise ManualCSVError listing all errors."""
    return load_manual_files(csv_files(dirs))


def load_manual_files(paths: Iterable[Path | str], *, base: Path | None = None) -> list[Offering]:
    offerings: list[Offering] = []
    errors: list[LoadError] = []
    seen: dict[str, str] = {}
    for path in map(Path, paths):
        name = _display(path, base)
        file_offerings, file_errors, ids = _load_file(path, name)
        errors.extend(file_errors)
        for oid, line in ids:
            if oid in seen:
                errors.append(LoadError(name, line, "id", f"duplicate id {oid!r} (first defined at {seen[oid]})"))
            else:
                seen[oid] = f"{name}:{line}"
        offerings.extend(file_offerings)
    if errors:
        raise ManualCSVError(errors)
    return offerings


def _display(path: Path, base: Path | None) -> str:
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


def _load_file(path: Path, name: str) -> tuple[list[Offering], list[LoadError], list[tuple[str, int]]]:
    """Offerings, errors, and (id, line) of every row (valid or not) for the duplicate check."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = raw[: e.start].rsplit(b"\n", 1)[-1].count(b",") + 1
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").split(",")
        column = header[col - 1].strip() if 0 < col <= len(header) else f"column {col}"
        return [], [LoadError(name, line, column,
                              f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8")], []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [LoadError(name, 1, "-", "empty file: a header row is required")], []
    errors: list[LoadError] = []
    known = set(MANUAL_COLUMNS) | set(EXTRA_COLUMNS)
    for h in header:
        if h not in known:
            errors.append(LoadError(name, 1, h or "(blank)", f"unknown column {h!r}{suggest(h, known)}"))
    dupes = {h for h in header if header.count(h) > 1}
    for h in sorted(dupes):
        errors.append(LoadError(name, 1, h, f"column {h!r} appears more than once"))
    for req in REQUIRED_COLUMNS:
        if req not in header:
            errors.append(LoadError(name, 1, req, f"missing required column {req!r}"))
    if "price_usd" not in header and "price_max_usd" not in header:
        errors.append(LoadError(name, 1, "price_usd", "missing column 'price_usd' (or a price_min_usd/price_max_usd range)"))
    if errors:
        return [], errors, []
    ids: list[tuple[str, int]] = []
    out: list[Offering] = []
    line = 1
    for record in reader:
        start = line + 1
        line = reader.line_num
        if not any(c.strip() for c in record):
            continue
        if len(record) != len(header):
            errors.append(LoadError(name, start, "-",
                                    f"{len(record)} cells but the header has {len(header)} columns"))
            continue
        row = dict(zip(header, record, strict=True))
        if row["id"].strip():
            ids.append((row["id"].strip(), start))
        retrieved = None
        if row.get("retrieved_on", "").strip():
            try:
                d = parse_date("retrieved_on", row["retrieved_on"])
                retrieved = datetime(d.year, d.month, d.day, tzinfo=UTC)
            except FieldError as e:
                errors.append(LoadError(name, start, e.field, f"{e.message} (got {e.value!r})"))
                continue
        offering, field_errors = offering_from_fields(row, source=f"manual/{path.name}", source_line=start,
                                                      retrieved_at=retrieved)
        for e in field_errors:
            errors.append(LoadError(name, start, e.field, f"{e.message} (got {e.value!r})"))
        if offering is not None:
            out.append(offering)
    return out, errors, ids
