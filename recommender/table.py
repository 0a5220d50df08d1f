"""Columnar view of offerings for planning: numpy arrays, one entry per offering.

Built once from a snapshot (DuckDB) or from a list of `Offering` records (CSV `--offerings`),
so the rules engine and the optimizer work with vectorized masks, never Python loops over
a large catalog. Imports only numpy (plus duckdb lazily): this module is on the `recommend`
start-up path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from catalog.records import Offering

AREAS = ("general", "clinical", "administrative")


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

    def covered_by(self, covers: tuple[tuple[str, str], ...]) -> np.ndarray:
        """Mask of the offerings a membership/bundle with these `covers` conditions covers (all must hold)."""
        m = np.ones(len(self), dtype=bool)
        for fld, value in covers:
            if fld == "topic":
                m &= self.has("topics", value)
            elif fld in ("approved_by", "accepted_by", "topics"):
                m &= self.has(fld, value)
            else:
                m &= self.equals(fld, value)
        return m & ~self.is_covering()

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

    def covered_rows(self, covers: tuple[tuple[str, str], ...]) -> np.ndarray:
        """Indices of the offerings a membership with these `covers` conditions covers (fast `covered_by`)."""
        eq = [(f, v) for f, v in covers if f in ("provider", "kind", "delivery", "id")]
        rows = self.rows_where(*eq[0]) if eq else np.arange(len(self))
        for fld, value in covers:
            if eq and (fld, value) == eq[0]:
                continue
            if fld == "topic":
                rows = rows[self.has("topics", value)[rows]]
            elif fld in ("approved_by", "accepted_by", "topics"):
                rows = rows[self.has(fld, value)[rows]]
            else:
                rows = rows[getattr(self, fld)[rows] == value]
        return np.sort(rows[~self.is_covering()[rows]])

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
    def from_records(cls, rows: list[dict[str, Any]]) -> OfferingTable:
        """From dicts shaped like the `offerings` table of catalog/schema.sql."""
        n = len(rows)

        def col(name, default=None):
            return [r.get(name, default) for r in rows]

        def num(name):
            return np.array([np.nan if v is None else float(v) for v in col(name)], dtype=np.float64).reshape(
                n
            )

        def obj(values):
            a = np.empty(n, dtype=object)
            a[:] = values if n else []
            return a

        area = np.full((n, 3), np.nan)
        for j, a in enumerate(AREAS):
            area[:, j] = num(f"credits_{a}")
        price = []
        est = []
        for r in rows:
            p, hi = r.get("price_usd"), r.get("price_max_usd")
            if p is not None:
                price.append(int(round(float(p) * 100)))
                est.append(False)
            elif hi is not None:
                price.append(int(round(float(hi) * 100)))
                est.append(True)
            else:
                price.append(-1)
                est.append(False)
        covers = []
        for r in rows:
            c = r.get("covers") or ""
            if isinstance(c, str):
                c = tuple(tuple(p.split("=", 1)) for p in c.split(";") if "=" in p)
            covers.append(tuple(c))
        return cls(
            id=obj(col("id")),
            title=obj(col("title")),
            provider=obj(col("provider")),
            kind=obj(col("kind")),
            credit_unit=obj(col("credit_unit", "contact_hour")),
            credits=num("credits"),
            area_credits=area,
            area_inferred=np.array([r.get("area_source") == "inferred" for r in rows], dtype=bool),
            area_confidence=num("area_confidence"),
            hours=num("hours"),
            price_cents=np.array(price, dtype=np.int64),
            price_is_estimate=np.array(est, dtype=bool),
            price_basis=obj([v or "one_time" for v in col("price_basis")]),
            delivery=obj(col("delivery")),
            url=obj(col("url")),
            approved_by=obj([_split(v) for v in col("approved_by")]),
            accepted_by=obj([_split(v) for v in col("accepted_by")]),
            topics=obj([_split(v) for v in col("topics")]),
            covers=obj(covers),
            discount_pct=num("discount_pct"),
            term_months=num("term_months"),
            valid_until=obj(col("valid_until")),
        )

    @classmethod
    def from_offerings(cls, offerings: list[Offering]) -> OfferingTable:
        return cls.from_records([o.to_row() for o in offerings])

    @classmethod
    def from_duckdb(cls, con, where: str = "", params: list | None = None) -> OfferingTable:
        """Read the `offerings` table of an open snapshot connection (columnar: fetchnumpy, no per-row dicts)."""
        lists = ", ".join(
            f"coalesce(array_to_string({c}, ';'), '') AS {c}"
            for c in ("approved_by", "accepted_by", "topics")
        )
        cols = ", ".join(c for c in _SQL_COLUMNS if c not in ("approved_by", "accepted_by", "topics"))
        r = con.execute(f"SELECT {cols}, {lists} FROM offerings {where}", params or []).fetchnumpy()
        n = len(r["id"])

        def num(name):
            a = r[name]
            return np.ma.filled(np.ma.asarray(a).astype(np.float64), np.nan) if n else np.zeros(0)

        def obj(name):
            a = r[name]
            out = np.empty(n, dtype=object)
            if n:
                out[:] = np.ma.getdata(a)
                out[np.ma.getmaskarray(a)] = None
            return out

        def split_col(values, parse):
            cache: dict = {}
            out = np.empty(n, dtype=object)
            out[:] = [cache[v] if v in cache else cache.setdefault(v, parse(v)) for v in values] if n else []
            return out

        area = np.column_stack([num(f"credits_{a}") for a in AREAS]) if n else np.full((0, 3), np.nan)
        p, hi = num("price_usd"), num("price_max_usd")
        price = np.where(~np.isnan(p), np.rint(p * 100), np.where(~np.isnan(hi), np.rint(hi * 100), -1))
        vu = r["valid_until"]
        valid = np.empty(n, dtype=object)
        if n:
            mask = np.ma.getmaskarray(vu)
            days = np.ma.filled(vu, np.datetime64("1970-01-01")).astype("datetime64[D]")
            valid[:] = [None if m else d for m, d in zip(mask, days.tolist(), strict=True)]
        covers = split_col(
            obj("covers"), lambda c: tuple(tuple(x.split("=", 1)) for x in (c or "").split(";") if "=" in x)
        )
        return cls(
            id=obj("id"),
            title=obj("title"),
            provider=obj("provider"),
            kind=obj("kind"),
            credit_unit=np.where(
                obj("credit_unit") == None,  # noqa: E711 (elementwise numpy comparison)
                "contact_hour",
                obj("credit_unit"),
            ).astype(object),
            credits=num("credits"),
            area_credits=area,
            area_inferred=obj("area_source") == "inferred",
            area_confidence=num("area_confidence"),
            hours=num("hours"),
            price_cents=price.astype(np.int64),
            price_is_estimate=np.isnan(p) & ~np.isnan(hi),
            price_basis=np.where(obj("price_basis") == None, "one_time", obj("price_basis")).astype(object),  # noqa: E711
            delivery=obj("delivery"),
            url=obj("url"),
            approved_by=split_col(r["approved_by"], _split),
            accepted_by=split_col(r["accepted_by"], _split),
            topics=split_col(r["topics"], _split),
            covers=covers,
            discount_pct=num("discount_pct"),
            term_months=num("term_months"),
            valid_until=valid,
        )


_SQL_COLUMNS = (
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
)
