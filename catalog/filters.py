"""One filter language for membership `covers` and credential `where` clauses.

A filter is a tuple of `Condition(field, value)`, all of which must hold. The fields form one
vocabulary (`FIELDS`): each names an `offerings` column and whether the value must equal it or be
in it (a list column). `covers` may use `COVER_FIELDS`, a credential's `where` `WHERE_FIELDS`.
Parsed once, a filter is evaluated two ways, both from here:

- `rows` / `mask` on numpy columns (the planner's `recommender.table.OfferingTable`);
- `to_sql` over the `offerings` table (the snapshot's `coverage` table).

`tests/test_coverage_agreement.py` checks that the two agree on every shipped membership.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol

from catalog.vocab import BODIES, COVERING_KINDS, Delivery, Kind, Unit, suggest

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Field:
    """A filter field: the `offerings` column it reads and how."""

    name: str
    column: str
    #: "eq": the column equals the value; "has": the list column contains it.
    op: str
    negate: bool = False
    #: The values it accepts ("body", "kind", "unit", "delivery"), or None for free text.
    vocabulary: str | None = None


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("provider", "provider", "eq"),
        Field("kind", "kind", "eq", vocabulary="kind"),
        Field("delivery", "delivery", "eq", vocabulary="delivery"),
        Field("id", "id", "eq"),
        Field("unit", "credit_unit", "eq", vocabulary="unit"),
        Field("approved_by", "approved_by", "has", vocabulary="body"),
        Field("not_approved_by", "approved_by", "has", negate=True, vocabulary="body"),
        Field("topic", "topics", "has"),
    )
}
#: Fields a membership's or bundle's `covers` filter may name.
COVER_FIELDS: tuple[str, ...] = ("provider", "kind", "delivery", "id", "approved_by", "topic")
#: Fields a credential rule's `where` table may name.
WHERE_FIELDS: tuple[str, ...] = (
    "kind",
    "unit",
    "delivery",
    "provider",
    "approved_by",
    "not_approved_by",
    "topic",
)

_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "body": tuple(BODIES),
    "kind": tuple(k.value for k in Kind),
    "unit": tuple(u.value for u in Unit),
    "delivery": tuple(d.value for d in Delivery),
}


class Condition(NamedTuple):
    """`field` (a key of FIELDS) must match `value`; a (field, value) pair."""

    field: str
    value: str


Filter = tuple[Condition, ...]


class FilterError(ValueError):
    """A condition that is not in the filter language; `key` is the field as written."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


# ----------------------------------------------------------------------------- parsing


def unknown_field(key: str, allowed: Iterable[str], what: str) -> str:
    """The message for a field outside `allowed`."""
    allowed = tuple(allowed)
    return f"unknown {what} field {key!r}{suggest(key, allowed)}; known: {', '.join(allowed)}"


def check_value(field: str, value: str) -> str:
    """The canonical value of `field` (bodies upper-cased) or FilterError naming the known values."""
    vocabulary = FIELDS[field].vocabulary
    if vocabulary == "body":
        if value.upper() not in BODIES:
            raise FilterError(field, f"unknown body {value!r}{suggest(value.upper(), BODIES)}")
        return value.upper()
    if vocabulary is not None:
        names = _VOCABULARIES[vocabulary]
        if value not in names:
            raise FilterError(
                field, f"unknown value {value!r}{suggest(value, names)}; known: {', '.join(names)}"
            )
    return value


def condition(key: str, value: str, allowed: Iterable[str] = WHERE_FIELDS, what: str = "where") -> Condition:
    """One checked condition; FilterError for a field outside `allowed` or a value outside its vocabulary."""
    allowed = tuple(allowed)
    if key not in allowed:
        raise FilterError(key, unknown_field(key, allowed, what))
    return Condition(key, check_value(key, value))


def parse_covers(text: str) -> Filter:
    """`covers` as written in a manual CSV: 'provider=ACE;kind=course' (fields: COVER_FIELDS).

    Values are kept as written (a covers value is matched exactly, as the source states it).
    """
    out = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or not value.strip():
            raise FilterError(part, "each condition is field=value, e.g. provider=ACE")
        if key not in COVER_FIELDS:
            raise FilterError(key, unknown_field(key, COVER_FIELDS, "covers"))
        if key == "kind" and value.strip().lower() in COVERING_KINDS:
            raise FilterError(
                part,
                f"kind={value.strip()} selects memberships or bundles, which nothing covers; "
                "name what it covers, e.g. kind=course",
            )
        out.append(Condition(key, value.strip()))
    return tuple(out)


def format_filter(conditions: Iterable[tuple[str, str]]) -> str:
    """The stored text of a filter ('field=value;...'), as in the `offerings.covers` column."""
    return ";".join(f"{k}={v}" for k, v in conditions)


def decode_filter(text: str | None) -> Filter:
    """A stored filter back to conditions (inverse of `format_filter`; the text was checked when written)."""
    return tuple(Condition(*p.split("=", 1)) for p in (text or "").split(";") if "=" in p)


# ----------------------------------------------------------------------------- numpy


class Columns(Protocol):
    """What the numpy evaluator needs of a columnar table (recommender.table.OfferingTable)."""

    def __len__(self) -> int: ...

    def has(self, column: str, value: str) -> np.ndarray: ...

    def rows_where(self, column: str, value: str) -> np.ndarray: ...


def rows(
    table: Columns,
    conditions: Iterable[tuple[str, str]],
    *,
    also: Mapping[tuple[str, str], np.ndarray] | None = None,
) -> np.ndarray:
    """Sorted indices of the rows where every condition holds.

    `also[(column, value)]` is a mask of rows that count as having `value` in the list `column`
    although they do not list it (a credential rule that treats them as approved by a body).
    Starts from the cached index of the first equality condition, so a `provider=X` filter costs
    O(its matches), not O(the table).
    """
    import numpy as np

    conds = [Condition(*c) for c in conditions]
    first = next((c for c in conds if FIELDS[c.field].op == "eq" and not FIELDS[c.field].negate), None)
    idx = table.rows_where(FIELDS[first.field].column, first.value) if first else np.arange(len(table))
    for c in conds:
        if c is first:
            continue
        f = FIELDS[c.field]
        if f.op == "eq":
            hit = getattr(table, f.column)[idx] == c.value
        else:
            m = table.has(f.column, c.value)
            extra = (also or {}).get((f.column, c.value))
            hit = (m | extra)[idx] if extra is not None else m[idx]
        idx = idx[~hit if f.negate else hit]
    return np.sort(idx)


def mask(
    table: Columns,
    conditions: Iterable[tuple[str, str]],
    *,
    also: Mapping[tuple[str, str], np.ndarray] | None = None,
) -> np.ndarray:
    """Bool mask of the rows where every condition holds (see `rows`)."""
    import numpy as np

    out = np.zeros(len(table), dtype=bool)
    out[rows(table, conditions, also=also)] = True
    return out


# ----------------------------------------------------------------------------- SQL


#: SQL: the offering can be covered (it is not itself a membership or bundle).
COVERABLE_SQL = "kind NOT IN (" + ", ".join(f"'{k.value}'" for k in sorted(COVERING_KINDS)) + ")"


def to_sql(conditions: Iterable[tuple[str, str]]) -> tuple[str, list[str]]:
    """A WHERE expression over the `offerings` table and its bound parameters ('TRUE' for no condition)."""
    parts, params = [], []
    for key, value in conditions:
        f = FIELDS[key]
        sql = f"{f.column} = ?" if f.op == "eq" else f"list_contains({f.column}, ?)"
        parts.append(f"NOT coalesce({sql}, FALSE)" if f.negate else sql)
        params.append(value)
    return " AND ".join(parts) or "TRUE", params
