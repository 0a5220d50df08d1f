"""Columnar view of offerings for planning: numpy arrays, one entry per offering.

Every table comes through one door, `OfferingTable.from_columns` (columns named as in the
`offerings` table of catalog/schema.sql): a snapshot (`from_duckdb`), the rows of `--offerings`
CSVs and transcripts (`from_offerings`) and plain rows (`from_records`) only hand it their columns. So the rules
engine and the optimizer work with vectorized masks, never Python loops over a large catalog.
Imports only numpy and the catalog's kernel: this module is on the `recommend` start-up path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from catalog import filters
from catalog.records import plan_price
from catalog.vocab import AREAS

if TYPE_CHECKING:
    from catalog.records import Offering

#: List columns; they travel as 'a;b' text from DuckDB (several times faster to fetch than lists).
LIST_COLUMNS = ("approved_by", "accepted_by", "topics")


def _split(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p for p in value.split(";") if p)
    return tuple(value)


@dataclass
class OfferingTable:
    """One row per offering. Unknown numbers are NaN; unknown prices are -1 cents."""

    id: np.ndarray  # object (str)
    title: np.ndarray  # object (str)
    provider: np.ndarray  # object (str)
    kind: np.ndarray  # object: course, membership, bundle, article, conference, exam, cpr, college
    credit_unit: np.ndarray  # object: contact_hour, aama_ceu, ...
    credits: np.ndarray  # float64, NaN = unknown
    area_credits: np.ndarray  # float64 (n, 3) in AREAS order; NaN rows = area unknown
    area_inferred: np.ndarray  # bool: areas come from the classifier, not the provider
    area_confidence: np.ndarray  # float64, NaN for stated areas
    hours: np.ndarray  # float64, NaN = unknown
    price_cents: np.ndarray  # int64, -1 = unknown; a published range is planned at its maximum
    price_is_estimate: np.ndarray  # bool: price taken from the top of a range
    price_basis: np.ndarray  # object: one_time, per_year, per_month
    delivery: np.ndarray  # object or None
    url: np.ndarray  # object
    approved_by: np.ndarray  # object: tuple[str, ...]
    accepted_by: np.ndarray  # object: tuple[str, ...]
    topics: np.ndarray  # object: tuple[str, ...]
    covers: np.ndarray  # object: tuple[(field, value), ...] for memberships/bundles, () otherwise
    discount_pct: np.ndarray  # float64 (memberships/bundles), NaN otherwise
    term_months: np.ndarray  # float64, NaN = unknown
    valid_until: np.ndarray  # object: datetime.date or None
    valid_from: np.ndarray  # object: datetime.date or None (an event's date, an approval's start)
    price_min_cents: np.ndarray  # int64: bottom of a published range, else the plan price (-1 unknown)
    pool_credits: np.ndarray  # float64: a membership's stated aggregate credits per pool_per, NaN = none
    pool_unit: np.ndarray  # object: unit of pool_credits or None
    pool_per: np.ndarray  # object: "year" | "term" | None
    pool_areas: np.ndarray  # object: tuple[str, ...] the source says the pool spans
    audience: np.ndarray  # object: tuple[str, ...] professions it is for; () = not stated
    eligibility: np.ndarray  # object: str, who may take it (catalog/audience.py); '' = no limit
    member_price_cents: np.ndarray  # int64: members' price stated beside the general price, -1 = none
    _masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.id)

    # --- vectorized predicates (cached) -------------------------------------------------
    def has(self, column: str, value: str) -> np.ndarray:
        """Bool mask: `value` is in the list column (`approved_by`, `accepted_by`, `topics`)."""
        key = (column, value)
        if key not in self._masks:
            codes, uniques = self.codes(column)
            hit = np.fromiter((value in u for u in uniques), dtype=bool, count=len(uniques))
            self._masks[key] = hit[codes] if len(codes) else np.zeros(0, dtype=bool)
        return self._masks[key]

    def codes(self, column: str) -> tuple[np.ndarray, list]:
        """(code per row, distinct values) of an object column: few distinct lists, so masks are cheap."""
        key = ("#codes", column)
        if key not in self._masks:
            seen: dict = {}
            col = getattr(self, column)
            codes = np.fromiter((seen.setdefault(v, len(seen)) for v in col), dtype=np.int64, count=len(col))
            self._masks[key] = (codes, list(seen))
        return self._masks[key]

    def equals(self, column: str, value: str) -> np.ndarray:
        return getattr(self, column) == value

    def covered_by(self, covers: filters.Filter) -> np.ndarray:
        """Mask of the offerings a membership/bundle with these `covers` conditions covers."""
        m = np.zeros(len(self), dtype=bool)
        m[self.covered_rows(covers)] = True
        return m

    def rows_where(self, column: str, value: str) -> np.ndarray:
        """Indices of rows whose `column` equals `value` (a cached grouping: O(matches) per lookup)."""
        key = ("#index", column)
        if key not in self._masks:
            codes, uniques = self.codes(column)
            order = np.argsort(codes, kind="stable")
            starts = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
            self._masks[key] = (order, starts, {u: i for i, u in enumerate(uniques)})
        order, starts, lookup = self._masks[key]
        i = lookup.get(value)
        return order[starts[i] : starts[i + 1]] if i is not None else np.zeros(0, dtype=np.int64)

    def covered_rows(self, covers: filters.Filter) -> np.ndarray:
        """Sorted indices of the offerings a membership with these `covers` conditions covers
        (catalog.filters; a membership or bundle never covers another one)."""
        rows = filters.rows(self, covers)
        return rows[~self.is_covering()[rows]]

    def is_covering(self) -> np.ndarray:
        """Memberships and bundles: offerings with a `covers` filter."""
        if ("covers", "") not in self._masks:
            codes, uniques = self.codes("covers")
            hit = np.array([bool(u) for u in uniques], dtype=bool)
            self._masks[("covers", "")] = hit[codes] if len(codes) else np.zeros(0, dtype=bool)
        return self._masks[("covers", "")]

    def minutes(self) -> np.ndarray:
        """Integer minutes per offering for the hours objective: stated hours, else 0 (unknown)."""
        return np.rint(np.nan_to_num(self.hours, nan=0.0) * 60.0).astype(np.int64)

    def subset(self, mask_or_index: np.ndarray) -> OfferingTable:
        kw = {
            name: getattr(self, name)[mask_or_index] for name in self.__dataclass_fields__ if name != "_masks"
        }
        return OfferingTable(**kw)

    def row(self, i: int) -> dict[str, Any]:
        return {name: getattr(self, name)[i] for name in self.__dataclass_fields__ if name != "_masks"}

    # --- constructors ------------------------------------------------------------------
    @classmethod
    def from_columns(cls, columns: Mapping[str, Any]) -> OfferingTable:
        """THE constructor: columns named as in the `offerings` table (catalog/schema.sql).

        Values may be numpy (masked) arrays or sequences; None, NaN or a masked entry is unknown.
        A missing column is all unknown (prices, numbers) or empty (text, lists). List columns
        may be sequences or 'a;b' text; `covers` may be conditions or its stored text.
        """
        n = len(columns["id"])

        def raw(name: str) -> Any:
            return columns.get(name, [None] * n)

        def num(name: str) -> np.ndarray:
            a = raw(name)
            if isinstance(a, np.ndarray) and a.dtype.kind in "fiu":
                return np.ma.filled(np.ma.asarray(a).astype(np.float64), np.nan).reshape(n)
            return np.array(
                [np.nan if v is None else float(v) for v in _objects(a)], dtype=np.float64
            ).reshape(n)

        def obj(name: str, default: Any = None) -> np.ndarray:
            out = _objects(raw(name))
            if default is not None:
                out[_is_none(out)] = default
            return out

        def parsed(name: str, parse: Callable[[Any], Any]) -> np.ndarray:
            cache: dict = {}
            out = np.empty(n, dtype=object)
            values = _objects(raw(name))
            try:  # few distinct texts (DuckDB's 'a;b' lists, stored covers): parse each once
                out[:] = [cache[v] if v in cache else cache.setdefault(v, parse(v)) for v in values]
            except TypeError:  # lists from records are not hashable
                out[:] = [parse(v) for v in values]
            return out

        exact, top = num("price_usd"), num("price_max_usd")
        price = plan_price(exact, top)
        return cls(
            id=obj("id"),
            title=obj("title"),
            provider=obj("provider"),
            kind=obj("kind"),
            credit_unit=obj("credit_unit", "unstated"),  # NULL: a crawled page stated no unambiguous unit
            credits=num("credits"),
            area_credits=np.column_stack([num(f"credits_{a}") for a in AREAS])
            if n
            else np.full((0, 3), np.nan),
            area_inferred=obj("area_source") == "inferred",
            area_confidence=num("area_confidence"),
            hours=num("hours"),
            price_cents=np.where(np.isnan(price), -1, np.rint(price * 100)).astype(np.int64),
            price_is_estimate=np.isnan(exact) & ~np.isnan(top),
            price_basis=obj("price_basis", "one_time"),
            delivery=obj("delivery"),
            url=obj("url"),
            approved_by=parsed("approved_by", _split),
            accepted_by=parsed("accepted_by", _split),
            topics=parsed("topics", _split),
            covers=parsed(
                "covers", lambda c: filters.decode_filter(c) if isinstance(c, str | None) else tuple(c)
            ),
            discount_pct=num("discount_pct"),
            term_months=num("term_months"),
            valid_until=_dates(raw("valid_until"), n),
            valid_from=_dates(raw("valid_from"), n),
            price_min_cents=np.where(
                np.isnan(exact) & ~np.isnan(top) & ~np.isnan(num("price_min_usd")),
                np.rint(num("price_min_usd") * 100),
                np.where(np.isnan(price), -1, np.rint(price * 100)),
            ).astype(np.int64),
            pool_credits=num("pool_credits"),
            pool_unit=obj("pool_unit"),
            pool_per=obj("pool_per"),
            pool_areas=parsed("pool_areas", _split),
            audience=parsed("audience", _split),
            eligibility=parsed("eligibility", lambda e: e or ""),
            member_price_cents=np.where(
                np.isnan(num("member_price_usd")), -1, np.rint(num("member_price_usd") * 100)
            ).astype(np.int64),
        )

    @classmethod
    def from_records(cls, rows: Sequence[Mapping[str, Any]]) -> OfferingTable:
        """From dicts shaped like `offerings` rows (`Offering.to_row()`); missing keys are unknown."""
        names = {k for r in rows for k in r} | {"id"}
        return cls.from_columns({name: [r.get(name) for r in rows] for name in names})

    @classmethod
    def from_offerings(cls, offerings: Sequence[Offering]) -> OfferingTable:
        """From `Offering` records (`--offerings` CSVs): only the columns a planning table reads."""
        rows = [o.to_row() for o in offerings]
        return cls.from_columns({name: [r[name] for r in rows] for name in READ_COLUMNS})

    @classmethod
    def from_arrow(cls, table: Any) -> OfferingTable:
        """From an Arrow table in the `offerings` schema (the manual-CSV loader's output), read through
        an in-memory DuckDB view exactly as a snapshot's table is read."""
        import duckdb

        con = duckdb.connect()
        try:
            con.register("offerings", table)
            return cls.from_duckdb(con)
        finally:
            con.close()

    @classmethod
    def from_duckdb(cls, con, where: str = "", params: list | None = None) -> OfferingTable:
        """Read the `offerings` table of an open snapshot connection (columnar: fetchnumpy, no per-row dicts)."""
        lists = ", ".join(f"coalesce(array_to_string({c}, ';'), '') AS {c}" for c in LIST_COLUMNS)
        have = {row[0] for row in con.execute("DESCRIBE offerings").fetchall()}
        cols = ", ".join(  # a snapshot built before a column was added reads it as unknown
            c if c in have or c not in LATER_COLUMNS else f"NULL::{LATER_COLUMNS[c]} AS {c}"
            for c in READ_COLUMNS
            if c not in LIST_COLUMNS
        )
        return cls.from_columns(
            con.execute(f"SELECT {cols}, {lists} FROM offerings {where}", params or []).fetchnumpy()
        )


def _objects(values: Any) -> np.ndarray:
    """An object array of the values, None where a masked array has no value."""
    n = len(values)
    out = np.empty(n, dtype=object)
    if n:
        out[:] = np.ma.getdata(values) if isinstance(values, np.ndarray) else list(values)
        if isinstance(values, np.ma.MaskedArray):
            out[np.ma.getmaskarray(values)] = None
    return out


def _is_none(a: np.ndarray) -> np.ndarray:
    return np.asarray(a == None, dtype=bool)  # noqa: E711 (elementwise on an object array)


def _dates(values: Any, n: int) -> np.ndarray:
    """datetime.date or None per row (DuckDB hands DATE columns over as datetime64)."""
    out = np.empty(n, dtype=object)
    if not n:
        return out
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        mask = np.ma.getmaskarray(values)
        days = np.ma.filled(values, np.datetime64("1970-01-01")).astype("datetime64[D]")
        out[:] = [None if m else d for m, d in zip(mask, days.tolist(), strict=True)]
        return out
    out[:] = list(_objects(values))
    return out


#: The `offerings` columns a planning table reads (tests/catalog/test_schema.py checks they exist).
READ_COLUMNS = (
    "id",
    "title",
    "provider",
    "kind",
    "credit_unit",
    "credits",
    "credits_general",
    "credits_clinical",
    "credits_administrative",
    "area_source",
    "area_confidence",
    "hours",
    "price_usd",
    "price_max_usd",
    "price_basis",
    "delivery",
    "url",
    "approved_by",
    "accepted_by",
    "topics",
    "covers",
    "discount_pct",
    "term_months",
    "valid_until",
    "valid_from",
    "price_min_usd",
    "pool_credits",
    "pool_unit",
    "pool_per",
    "pool_areas",
    "audience",
    "eligibility",
    "member_price_usd",
)
#: Columns added after the first snapshots shipped, with their SQL types.
LATER_COLUMNS = {
    "member_price_usd": "DECIMAL(12, 2)",
    "pool_credits": "DECIMAL(12, 4)",
    "pool_unit": "VARCHAR",
    "pool_per": "VARCHAR",
    "pool_areas": "VARCHAR",
    "audience": "VARCHAR",
    "eligibility": "VARCHAR",
}
