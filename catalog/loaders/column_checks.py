"""Validate and convert a manual CSV's columns at once (the columnar half of the manual-CSV loader).

Each column is checked with Arrow compute functions, or, for the parsed fields, by running the
row reader's own memoized parser (catalog.normalize) once per distinct value. A row that any check
rejects, and every row of a rarer shape (memberships and bundles, covers, discounts, terms, pools,
audiences), goes through `manual_csv.row_result`, THE row check, so its errors and its values are
exactly the row reader's. The other rows become columns of the `offerings` Arrow schema directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import numpy as np

from catalog.loaders.columnar import Columns
from catalog.loaders.manual_csv import LoadError, row_result
from catalog.normalize import (
    MAX_CREDITS,
    MAX_HOURS,
    FieldError,
    enum_field,
    parse_amount,
    parse_areas,
    parse_bodies,
    parse_date,
    parse_price,
    parse_topics,
)
from catalog.plaintext import clean_text
from catalog.records import (
    AUDIENCE_COLUMNS,
    POOL_COLUMNS,
    Offering,
    area_amount,
    arrow_offerings,
    arrow_schema,
    format_areas,
)
from catalog.vocab import COVERING_KINDS, Area, Delivery, Kind, PriceBasis, Unit

#: Columns whose non-blank cells send the row to the row check (rare shapes, cross-field rules).
ROW_CHECKED = ("covers", "discount_pct", "term_months", *POOL_COLUMNS, *AUDIENCE_COLUMNS)
_ID = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"
_URL = r"^(https?://|file:)"


class NotColumnar(Exception):
    """A value the Arrow types cannot hold as the row path would; the caller reads the file by rows."""


@dataclass
class Converted:
    """One file: the valid offerings as an Arrow table (None once any row is bad), the errors in line
    order, and every non-blank id with its line (for the duplicate-id check across files)."""

    table: Any
    errors: list[LoadError]
    ids: Any
    lines: np.ndarray


class _Distinct:
    """A column's cells as (distinct values, row -> value index), parsed once per distinct value."""

    def __init__(self, cols: Columns, name: str):
        arr = cols.column(name)
        if arr is None:  # no such column: every cell is blank
            self.values: list[str] = [""]
            self.index = np.zeros(cols.rows, dtype=np.int64)
            return
        enc = arr.dictionary_encode()
        self.values = enc.dictionary.to_pylist()
        self.index = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    def parse(self, fn: Callable[[str], Any]) -> tuple[list[Any], np.ndarray]:
        """(parsed value per distinct cell, row is bad): a FieldError marks the rows with that cell bad."""
        parsed, bad = [], np.zeros(len(self.values), dtype=bool)
        for i, text in enumerate(self.values):
            try:
                parsed.append(fn(text))
            except FieldError:
                parsed.append(None)
                bad[i] = True
        return parsed, bad[self.index]


def _take(values: list[Any], index: np.ndarray, type_: Any) -> Any:
    """Arrow array of `values[index]` (values typed once, then gathered)."""
    import pyarrow as pa

    try:
        typed = pa.array(values, type=type_)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as e:
        raise NotColumnar(str(e)) from None
    return typed.take(pa.array(index)) if len(index) else pa.array([], type_)


def convert_columns(cols: Columns, name: str, source: str) -> Converted:
    """Check every row of `cols` (from `columnar.read_columns`); see the module docstring."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = cols.rows
    schema = arrow_schema()
    lines = np.arange(2, n + 2, dtype=np.int64)
    slow = np.zeros(n, dtype=bool)
    out: dict[str, Any] = {}

    def text(col: str) -> Any:
        arr = cols.column(col)
        return arr if arr is not None else pa.repeat(pa.scalar("", pa.string()), n)

    def blank(col: str) -> np.ndarray:
        arr = cols.column(col)
        return np.ones(n, bool) if arr is None else pc.binary_length(arr).to_numpy() == 0

    def matches(col: str, pattern: str) -> np.ndarray:
        return pc.match_substring_regex(text(col), pattern).to_numpy(zero_copy_only=False)

    for col in ("id", "provider", "title", "url"):
        slow |= blank(col)
        out[col] = text(col)
    slow |= ~blank("id") & ~matches("id", _ID)
    slow |= ~blank("url") & ~matches("url", _URL)
    for col in ROW_CHECKED:
        slow |= ~blank(col)

    def field(
        col: str, fn: Callable[[str], Any], type_: Any, to_arrow: Callable = lambda v: v
    ) -> tuple[list[Any], np.ndarray]:
        """Parse `col` once per distinct cell; mark bad rows slow; output it (unless type_ is None)."""
        d = _Distinct(cols, col)
        parsed, bad = d.parse(fn)
        slow[bad] = True
        if type_ is not None:
            out[col] = _take([None if v is None else to_arrow(v) for v in parsed], d.index, type_)
        return parsed, d.index

    kinds, kind_index = field(
        "kind", lambda s: enum_field("kind", Kind, s), pa.string(), lambda k: k and k.value
    )
    slow[np.array([k is None or k in COVERING_KINDS for k in kinds], dtype=bool)[kind_index]] = True
    dec2, dec4 = pa.decimal128(12, 2), pa.decimal128(12, 4)
    for col in ("price_usd", "member_price_usd"):
        field(col, partial(parse_price, col), dec2)
    _price_range(cols, field, slow)
    field(
        "price_basis",
        lambda s: enum_field("price_basis", PriceBasis, s, PriceBasis.ONE_TIME),
        pa.string(),
        lambda b: b and b.value,
    )
    field("hours", partial(parse_amount, "hours", maximum=MAX_HOURS), dec4)
    unit = lambda s: enum_field("credit_unit", Unit, s, Unit.CONTACT_HOUR)  # noqa: E731
    field("credit_unit", unit, pa.string(), lambda u: u and u.value)
    _areas(cols, out, slow)
    for col, parse in (
        ("topics", parse_topics),
        ("approved_by", parse_bodies),
        ("accepted_by", parse_bodies),
    ):
        field(col, lambda s, c=col, p=parse: p(c, s) if s else (), pa.list_(pa.string()), list)
    field("delivery", lambda s: enum_field("delivery", Delivery, s), pa.string(), lambda v: v and v.value)
    vfrom = field("valid_from", lambda s: parse_date("valid_from", s), pa.date32())
    vuntil = field("valid_until", lambda s: parse_date("valid_until", s), pa.date32())
    slow |= _later(*vfrom, *vuntil)
    retrieved, retrieved_index = field("retrieved_on", lambda s: parse_date("retrieved_on", s), None)
    out["retrieved_at"] = _take(
        [datetime(d.year, d.month, d.day) if d else None for d in retrieved],
        retrieved_index,
        pa.timestamp("us"),
    )
    out["description"] = _cleaned(text("description"))
    _constants(out, n, source, lines)
    table = pa.table({c: out[c] for c in schema.names}, schema=schema)
    return _with_row_checked(table, cols, slow, lines, name, source)


def _price_range(cols: Columns, field: Callable, slow: np.ndarray) -> None:
    """price_min_usd/price_max_usd: both or neither, and min <= max (compared exactly, by rank)."""
    import pyarrow as pa

    dec2 = pa.decimal128(12, 2)
    lo, lo_index = field("price_min_usd", partial(parse_price, "price_min_usd"), dec2)
    hi, hi_index = field("price_max_usd", partial(parse_price, "price_max_usd"), dec2)
    # parse_price gives None exactly for a blank cell (a bad cell is already a slow row)
    lo_blank = np.array([v is None for v in lo], bool)[lo_index]
    hi_blank = np.array([v is None for v in hi], bool)[hi_index]
    slow |= lo_blank != hi_blank
    slow |= _later(lo, lo_index, hi, hi_index)


def _later(
    first: list[Any], first_index: np.ndarray, second: list[Any], second_index: np.ndarray
) -> np.ndarray:
    """Rows where both values are known and the first is greater (exact: compared by rank)."""
    known = sorted({v for v in first + second if v is not None})
    rank = {v: i for i, v in enumerate(known)}
    a = np.array([rank.get(v, -1) for v in first], np.int64)[first_index]
    b = np.array([rank.get(v, -1) for v in second], np.int64)[second_index]
    return (a >= 0) & (b >= 0) & (a > b)


def _areas(cols: Columns, out: dict[str, Any], slow: np.ndarray) -> None:
    """credits, areas and the per-area credits, parsed once per distinct (areas, credits) pair."""
    import pyarrow as pa

    dec4 = pa.decimal128(12, 4)
    cred, ar = _Distinct(cols, "credits"), _Distinct(cols, "areas")
    credits, bad = cred.parse(partial(parse_amount, "credits", maximum=MAX_CREDITS))
    slow |= bad
    out["credits"] = _take(credits, cred.index, dec4)
    base = len(cred.values)  # a pair's key: areas index * base + credits index
    pair, pair_index = np.unique(ar.index * base + cred.index, return_inverse=True)
    parsed, pair_bad, amounts = [], np.zeros(len(pair), bool), []
    for i, (text_i, credit_i) in enumerate(zip(*np.divmod(pair, base), strict=True)):
        text, amount = ar.values[text_i], credits[credit_i]
        try:
            parsed.append(parse_areas("areas", text, amount) if text else ())
        except FieldError:
            parsed.append(())
            pair_bad[i] = True
        amounts.append((dict(parsed[-1]), amount))
    slow |= pair_bad[pair_index]
    out["areas"] = _take([format_areas(p) for p in parsed], pair_index, pa.string())
    for area in Area:
        out[f"credits_{area.value}"] = _take([area_amount(a, area, c) for a, c in amounts], pair_index, dec4)
    out["area_source"] = _take(["stated" if p else None for p in parsed], pair_index, pa.string())


def _without_rows(table: Any, rows: np.ndarray) -> Any:
    """`table` without the (sorted) row positions `rows`: zero-copy slices when they are few."""
    import pyarrow as pa

    if not len(rows):
        return table
    if len(rows) > 64:
        keep = np.ones(table.num_rows, bool)
        keep[rows] = False
        return table.filter(pa.array(keep))
    bounds = [-1, *rows.tolist(), table.num_rows]
    return pa.concat_tables([table.slice(a + 1, b - a - 1) for a, b in zip(bounds, bounds[1:], strict=False)])


def _cleaned(descriptions: Any) -> Any:
    """Descriptions as the row reader keeps them: `clean_text` applied to those that may hold markup or
    runs of spaces ('<', '&', two spaces, a line break: its test), the others unchanged."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dirty = pc.match_substring_regex(descriptions, r"[<&\n]|  ")
    if not pc.any(dirty).as_py():
        return descriptions
    rows = np.flatnonzero(dirty.to_numpy(zero_copy_only=False))
    cleaned = [clean_text(s) for s in descriptions.take(pa.array(rows)).to_pylist()]
    return pc.replace_with_mask(descriptions, dirty, pa.array(cleaned, pa.string()))


def _constants(out: dict[str, Any], n: int, source: str, lines: np.ndarray) -> None:
    """The columns a manual row of the columnar shape always has the same way."""
    import pyarrow as pa

    schema = arrow_schema()
    for col in ("area_confidence", "credit_unit_text", "discount_pct", "term_months"):
        out[col] = pa.nulls(n, schema.field(col).type)
    for col in ("pool_credits", "pool_unit", "pool_per"):
        out[col] = pa.nulls(n, schema.field(col).type)
    empty = pa.repeat(pa.scalar("", pa.string()), n)  # immutable: one array serves every blank column
    for col in ("covers", "pool_areas", "audience", "eligibility"):
        out[col] = empty
    out["source"] = pa.repeat(pa.scalar(source, pa.string()), n)
    out["source_line"] = pa.array(lines.astype(np.int32))


def _with_row_checked(
    table: Any, cols: Columns, slow: np.ndarray, lines: np.ndarray, name: str, source: str
) -> Converted:
    """Run THE row check on the `slow` rows; merge their offerings back in file order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    errors: list[LoadError] = []
    offerings: list[Offering] = []
    picked = np.flatnonzero(slow)
    if len(picked):
        idx = pa.array(picked)
        columns = {h: cols.cells[h].take(idx).to_pylist() for h in cols.header}
        for k, i in enumerate(picked.tolist()):
            row = {h: columns[h][k] for h in cols.header}
            _oid, offering, row_errors = row_result(row, name, source, int(lines[i]))
            errors.extend(row_errors)
            if offering is not None:
                offerings.append(offering)
    ids = cols.cells["id"]
    has_id = pc.binary_length(ids).to_numpy() > 0
    id_lines = lines[has_id]
    if not has_id.all():
        ids = ids.filter(pa.array(has_id))
    if errors:
        return Converted(None, errors, ids, id_lines)
    fast = _without_rows(table, picked)
    if offerings:
        last_fast = int(lines[~slow].max()) if (~slow).any() else 0
        fast = pa.concat_tables([fast, arrow_offerings([o.to_row() for o in offerings])])
        if any(o.source_line < last_fast for o in offerings):  # keep file order (rare: a copy)
            fast = fast.take(pc.sort_indices(fast["source_line"]))
    return Converted(fast, errors, ids, id_lines)
