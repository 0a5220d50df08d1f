"""THE offering schema: one frozen record per offering, whatever its kind or source.

`schema.sql` mirrors this module; `tests/catalog/test_schema.py` checks that they agree.
Prices are exact Decimals in USD; `None` means "not published", never a silent 0.
Credits keep their unit (`credit_unit`); nothing here converts units.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalog.filters import Condition, decode_filter, format_filter
from catalog.vocab import Area, Delivery, Kind, PriceBasis, Unit

#: The manual CSV columns, in order (../shared/interfaces.md).
MANUAL_COLUMNS: tuple[str, ...] = (
    "id",
    "provider",
    "title",
    "kind",
    "price_usd",
    "price_min_usd",
    "price_max_usd",
    "price_basis",
    "hours",
    "credits",
    "credit_unit",
    "areas",
    "topics",
    "approved_by",
    "accepted_by",
    "delivery",
    "covers",
    "discount_pct",
    "term_months",
    "valid_from",
    "valid_until",
    "url",
    "description",
)
REQUIRED_COLUMNS = ("id", "provider", "title", "kind", "url")
#: Optional extra columns a manual CSV may carry.
POOL_COLUMNS = ("pool_credits", "pool_unit", "pool_per", "pool_areas")
#: Who an offering is for and who may take it (catalog/audience.py).
AUDIENCE_COLUMNS = ("audience", "eligibility")
EXTRA_COLUMNS = ("retrieved_on", "member_price_usd", *POOL_COLUMNS, *AUDIENCE_COLUMNS)
#: `pool_per` values: a stated aggregate amount per year of membership, or per term bought.
POOL_PERIODS = ("year", "term")


@dataclass(frozen=True, slots=True)
class Offering:
    """One CE offering: a course, membership, bundle, article, conference, exam, CPR card or college course."""

    id: str
    provider: str
    title: str
    kind: Kind
    url: str
    price_usd: Decimal | None = None
    price_min_usd: Decimal | None = None
    price_max_usd: Decimal | None = None
    #: The members' price when the source also states a general one (price_usd stays the general price).
    member_price_usd: Decimal | None = None
    price_basis: PriceBasis = PriceBasis.ONE_TIME
    hours: Decimal | None = None
    credits: Decimal | None = None
    #: None only for crawled offerings whose source states no unambiguous unit (never a guess).
    credit_unit: Unit | None = Unit.CONTACT_HOUR
    #: The unit as the source wrote it ("CEUs", "contact hours"), verbatim; None when not stated.
    credit_unit_text: str | None = None
    #: Credits per area; empty = unknown. Values sum to `credits`; a single stated area with
    #: unknown credits is ((area, None),).
    areas: tuple[tuple[Area, Decimal | None], ...] = ()
    #: "stated" (by the provider) or "inferred" (by the classifier); None when areas is empty.
    area_source: str | None = None
    area_confidence: float | None = None
    topics: tuple[str, ...] = ()
    approved_by: tuple[str, ...] = ()
    accepted_by: tuple[str, ...] = ()
    delivery: Delivery | None = None
    #: Membership/bundle coverage: conditions of catalog.filters, all must hold.
    covers: tuple[Condition, ...] = ()
    discount_pct: Decimal | None = None
    term_months: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    description: str = ""
    #: Provenance: `manual/<file>.csv` or `spider:<name>`, the line (CSV) and when the facts were seen.
    source: str = ""
    source_line: int | None = None
    retrieved_at: datetime | None = None
    #: A membership's or bundle's stated aggregate credit amount ("more than 40 CEUs every year" =
    #: at least 40 aama_ceu per year): a pool an estimated plan may draw on, in `pool_areas` (empty =
    #: the areas of the offerings it covers). The quote goes in `description`.
    pool_credits: Decimal | None = None
    pool_unit: Unit | None = None
    pool_per: str | None = None
    pool_areas: tuple[Area, ...] = ()
    #: Professions it is for (catalog.audience.AUDIENCES); empty = not stated.
    audience: tuple[str, ...] = ()
    #: Who may take it: `|`-separated alternatives of `;`-joined conditions; '' = no stated limit.
    eligibility: str = ""

    def replace(self, **changes: Any) -> Offering:
        return dataclasses.replace(self, **changes)

    def to_row(self) -> dict[str, Any]:
        """Flat dict matching the `offerings` table of schema.sql."""
        areas = dict(self.areas)
        return {
            "id": self.id,
            "provider": self.provider,
            "title": self.title,
            "kind": self.kind.value,
            "price_usd": self.price_usd,
            "price_min_usd": self.price_min_usd,
            "price_max_usd": self.price_max_usd,
            "member_price_usd": self.member_price_usd,
            "price_basis": self.price_basis.value,
            "hours": self.hours,
            "credits": self.credits,
            "credit_unit": self.credit_unit.value if self.credit_unit else None,
            "credit_unit_text": self.credit_unit_text,
            "areas": format_areas(self.areas),
            "credits_general": area_amount(areas, Area.GENERAL, self.credits),
            "credits_clinical": area_amount(areas, Area.CLINICAL, self.credits),
            "credits_administrative": area_amount(areas, Area.ADMINISTRATIVE, self.credits),
            "area_source": self.area_source,
            "area_confidence": self.area_confidence,
            "topics": list(self.topics),
            "approved_by": list(self.approved_by),
            "accepted_by": list(self.accepted_by),
            "delivery": self.delivery.value if self.delivery else None,
            "covers": format_filter(self.covers),
            "discount_pct": self.discount_pct,
            "term_months": self.term_months,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "url": self.url,
            "description": self.description,
            "source": self.source,
            "source_line": self.source_line,
            "retrieved_at": _utc_naive(self.retrieved_at),
            "pool_credits": self.pool_credits,
            "pool_unit": self.pool_unit.value if self.pool_unit else None,
            "pool_per": self.pool_per,
            "pool_areas": ";".join(a.value for a in self.pool_areas),
            "audience": ";".join(self.audience),
            "eligibility": self.eligibility,
        }


#: SQL spelling of `plan_price` over the `offerings` table.
PLAN_PRICE_SQL = "coalesce(price_usd, price_max_usd)"


def plan_price(exact: Any, top: Any) -> Any:
    """THE price to plan with: the exact price, else the top of a published range (an estimate).

    Works on values (None = unknown) and on float arrays (NaN = unknown), element by element.
    """
    if hasattr(exact, "dtype"):
        import numpy as np

        return np.where(np.isnan(exact), top, exact)
    return exact if exact is not None else top


def _utc_naive(ts: datetime | None) -> datetime | None:
    """Timestamps are stored as naive UTC."""
    if ts is None or ts.tzinfo is None:
        return ts
    from datetime import UTC

    return ts.astimezone(UTC).replace(tzinfo=None)


def area_amount(areas: dict[Area, Decimal | None], area: Area, credits: Decimal | None) -> Decimal | None:
    """THE credits-per-area rule: credits in `area`; None when the areas or the credits are unknown."""
    if not areas or credits is None:
        return None
    return areas.get(area) or Decimal(0)


def single_area_amount_sql(area: Area) -> str:
    """SQL spelling of `area_amount` for rows with at most one area (`areas` = 'clinical')."""
    return f"CASE WHEN credits IS NULL OR areas = '' THEN NULL WHEN areas = '{area.value}' THEN credits ELSE 0 END"


def format_areas(areas: tuple[tuple[Area, Decimal | None], ...]) -> str:
    if not areas:
        return ""
    if len(areas) == 1:
        return areas[0][0].value
    return ";".join(f"{a.value}:{plain_decimal(n)}" for a, n in areas)


def plain_decimal(d: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros ("1.5", "10")."""
    return format(d.normalize(), "f")


def _unit(value: str | None) -> Unit | None:
    """A stored unit; NULL stays unknown (crawled offerings whose source states none)."""
    return Unit(value) if value else None


def offering_from_row(row: dict[str, Any]) -> Offering:
    """Rebuild an Offering from a row of the `offerings` table (inverse of `Offering.to_row`)."""

    def dec(v):
        return None if v is None else Decimal(str(v))

    credits = dec(row.get("credits"))
    areas: list[tuple[Area, Decimal | None]] = []
    text = row.get("areas") or ""
    if text and ":" not in text:
        areas.append((Area(text), credits))
    elif text:
        for part in text.split(";"):
            name, _, amount = part.partition(":")
            areas.append((Area(name), Decimal(amount)))
    return Offering(
        id=row["id"],
        provider=row["provider"],
        title=row["title"],
        kind=Kind(row["kind"]),
        url=row["url"],
        price_usd=dec(row.get("price_usd")),
        price_min_usd=dec(row.get("price_min_usd")),
        price_max_usd=dec(row.get("price_max_usd")),
        member_price_usd=dec(row.get("member_price_usd")),
        price_basis=PriceBasis(row.get("price_basis") or "one_time"),
        hours=dec(row.get("hours")),
        credits=credits,
        credit_unit=_unit(row.get("credit_unit", "contact_hour")),
        credit_unit_text=row.get("credit_unit_text"),
        areas=tuple(areas),
        area_source=row.get("area_source"),
        area_confidence=row.get("area_confidence"),
        topics=tuple(row.get("topics") or ()),
        approved_by=tuple(row.get("approved_by") or ()),
        accepted_by=tuple(row.get("accepted_by") or ()),
        delivery=Delivery(row["delivery"]) if row.get("delivery") else None,
        covers=decode_filter(row.get("covers")),
        discount_pct=dec(row.get("discount_pct")),
        term_months=row.get("term_months"),
        valid_from=row.get("valid_from"),
        valid_until=row.get("valid_until"),
        description=row.get("description") or "",
        source=row.get("source") or "",
        source_line=row.get("source_line"),
        retrieved_at=row.get("retrieved_at"),
        pool_credits=dec(row.get("pool_credits")),
        pool_unit=Unit(row["pool_unit"]) if row.get("pool_unit") else None,
        pool_per=row.get("pool_per") or None,
        pool_areas=tuple(Area(a) for a in (row.get("pool_areas") or "").split(";") if a),
        audience=tuple(a for a in (row.get("audience") or "").split(";") if a),
        eligibility=row.get("eligibility") or "",
    )


def schema_sql() -> str:
    """The DuckDB DDL of a snapshot (catalog/schema.sql): `offerings` plus the derived tables."""
    return (Path(__file__).parent / "schema.sql").read_text()


@functools.cache
def arrow_schema():
    """The `offerings` table as an Arrow schema (pyarrow is imported here, never at module load)."""
    import pyarrow as pa

    dec = lambda s: pa.decimal128(12, s)  # noqa: E731
    return pa.schema(
        [
            ("id", pa.string()),
            ("provider", pa.string()),
            ("title", pa.string()),
            ("kind", pa.string()),
            ("price_usd", dec(2)),
            ("price_min_usd", dec(2)),
            ("price_max_usd", dec(2)),
            ("member_price_usd", dec(2)),
            ("price_basis", pa.string()),
            ("hours", dec(4)),
            ("credits", dec(4)),
            ("credit_unit", pa.string()),
            ("credit_unit_text", pa.string()),
            ("areas", pa.string()),
            ("credits_general", dec(4)),
            ("credits_clinical", dec(4)),
            ("credits_administrative", dec(4)),
            ("area_source", pa.string()),
            ("area_confidence", pa.float64()),
            ("topics", pa.list_(pa.string())),
            ("approved_by", pa.list_(pa.string())),
            ("accepted_by", pa.list_(pa.string())),
            ("delivery", pa.string()),
            ("covers", pa.string()),
            ("discount_pct", pa.decimal128(6, 2)),
            ("term_months", pa.int32()),
            ("valid_from", pa.date32()),
            ("valid_until", pa.date32()),
            ("url", pa.string()),
            ("description", pa.string()),
            ("source", pa.string()),
            ("source_line", pa.int32()),
            ("retrieved_at", pa.timestamp("us")),
            ("pool_credits", dec(4)),
            ("pool_unit", pa.string()),
            ("pool_per", pa.string()),
            ("pool_areas", pa.string()),
            ("audience", pa.string()),
            ("eligibility", pa.string()),
        ]
    )


def arrow_offerings(rows: list[dict[str, Any]]):
    """`Offering.to_row()` dicts as an Arrow table typed like the `offerings` table."""
    import pyarrow as pa

    schema = arrow_schema()
    columns = {name: [r[name] for r in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


# ----------------------------------------------------------------------------- JSON codec (crawl records)


def offering_record(offering: Offering) -> dict[str, Any]:
    """An Offering as the JSON-ready dict a crawl writes (one JSON Lines record): the `offerings` row
    with Decimals as plain text and dates in ISO form, lists kept. Inverse: `record_to_offering`."""
    out = {}
    for key, value in offering.to_row().items():
        if isinstance(value, Decimal):
            value = plain_decimal(value)
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        out[key] = value
    return out


def record_to_offering(rec: dict[str, Any]) -> Offering:
    """A crawl's JSON Lines record back to an Offering (inverse of `offering_record`). The crawl's own
    fields (`spider`, `ref`, `extras`: facts the page stated that no column holds) stay in the file."""
    row = dict(rec)
    for key in ("valid_from", "valid_until"):
        row[key] = date.fromisoformat(row[key]) if row.get(key) else None
    row["retrieved_at"] = datetime.fromisoformat(row["retrieved_at"]) if row.get("retrieved_at") else None
    if "member_price_usd" not in row:  # crawls recorded before the column kept it in extras
        row["member_price_usd"] = (rec.get("extras") or {}).get("member_price_usd") or None
    return offering_from_row(row)
