"""Pure functions that turn text (a CSV cell or a scraped string) into typed values.

The manual-CSV loader and the crawler pipeline both call these, so a price or a unit is
parsed the same way whichever path it came from. Each raises `FieldError` naming the field.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation
from typing import Any

from catalog import filters
from catalog.audience import audience_fields
from catalog.filters import Condition
from catalog.plaintext import clean_text
from catalog.records import POOL_PERIODS, Offering
from catalog.vocab import (
    COVERING_KINDS,
    Area,
    Delivery,
    Kind,
    PriceBasis,
    Unit,
    parse_body,
    parse_enum,
)


class FieldError(ValueError):
    """A bad value in one field."""

    def __init__(self, field: str, value: Any, message: str):
        super().__init__(message)
        self.field = field
        self.value = value
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value!r})"


_FREE = re.compile(r"^\s*(free|no charge|included|\$?0+(\.0+)?)\s*$", re.I)
_RANGE = re.compile(r"(\$?\s*[\d,]+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(\$?\s*[\d,]+(?:\.\d+)?)")


#: Room for quantizing any finite value without an InvalidOperation.
_WIDE = Context(prec=1000, Emax=MAX_EMAX, Emin=MIN_EMIN)
#: Decimal places of prices and of amounts (hours, credits): the scales of the catalog's DECIMAL columns.
PRICE_PLACES, AMOUNT_PLACES = 2, 4


def _cached(fn):
    """Memoize a pure parser on its (hashable) arguments; errors are not cached (they are rare)."""
    return functools.lru_cache(maxsize=1 << 16)(fn)


@_cached
def parse_decimal(
    field: str,
    text: str | None,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None,
    places: int | None = None,
) -> Decimal | None:
    """A plain decimal number, '' -> None; rejects negatives, values above `maximum` and, when `places`
    is given, digits beyond that many decimal places (the scale of its column in the catalog)."""
    if text is None or str(text).strip() == "":
        return None
    s = str(text).strip()
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise FieldError(field, text, "not a number") from None
    if not d.is_finite():
        raise FieldError(field, text, "not a finite number")
    if minimum is not None and d < minimum:
        raise FieldError(field, text, f"must be >= {minimum}")
    if maximum is not None and d > maximum:
        raise FieldError(field, text, f"must be <= {maximum}")
    if places is not None and d != d.quantize(Decimal(1).scaleb(-places), context=_WIDE):
        raise FieldError(field, text, f"has more than {places} decimal places")
    return d


def parse_price(field: str, text: str | None) -> Decimal | None:
    """A price in USD: a plain number from 0 to MAX_PRICE, in whole cents ('' -> None)."""
    return parse_decimal(field, text, Decimal(0), MAX_PRICE, PRICE_PLACES)


def parse_amount(field: str, text: str | None, maximum: Decimal) -> Decimal | None:
    """Hours or credits: a plain number from 0 to `maximum`, at most AMOUNT_PLACES decimals ('' -> None)."""
    return parse_decimal(field, text, Decimal(0), maximum, AMOUNT_PLACES)


def parse_price_text(field: str, text: str | None) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Free text like '$39.00', 'Free', '$15 - $60', 'Call for pricing' -> (price, min, max).

    Uses price-parser for the amount; a range gives (None, min, max); unknown gives Nones.
    """
    from price_parser import Price

    if text is None or not str(text).strip():
        return None, None, None
    s = str(text).strip()
    if _FREE.match(s):
        return Decimal(0), None, None
    m = _RANGE.search(s)
    if m:
        lo = Price.fromstring(m.group(1)).amount
        hi = Price.fromstring(m.group(2)).amount
        if lo is not None and hi is not None:
            if lo < 0 or hi < lo:
                raise FieldError(field, text, "price range must be non-negative and low <= high")
            return None, lo, hi
    if re.match(r"^\s*-", s):
        raise FieldError(field, text, "negative price")
    amount = Price.fromstring(s).amount
    if amount is None:
        if re.search(r"free", s, re.I):
            return Decimal(0), None, None
        return None, None, None
    return amount, None, None


def parse_list(text: str | None) -> tuple[str, ...]:
    if text is None:
        return ()
    return tuple(p.strip() for p in str(text).split(";") if p.strip())


@_cached
def parse_bodies(field: str, text: str | None) -> tuple[str, ...]:
    out = []
    for name in parse_list(text):
        try:
            out.append(parse_body(name))
        except ValueError as e:
            raise FieldError(field, name, str(e)) from None
    return tuple(dict.fromkeys(out))


@_cached
def parse_topics(field: str, text: str | None) -> tuple[str, ...]:
    out = []
    for t in parse_list(text):
        tag = t.strip().lower().replace(" ", "_").replace("-", "_")
        if not re.fullmatch(r"[a-z0-9_]+", tag):
            raise FieldError(field, t, "topic tags are letters, digits and underscores")
        out.append(tag)
    return tuple(dict.fromkeys(out))


@_cached
def parse_areas(
    field: str, text: str | None, credits: Decimal | None
) -> tuple[tuple[Area, Decimal | None], ...]:
    """'clinical' (all credits) or 'clinical:1;general:2' (must sum to credits)."""
    parts = parse_list(text)
    if not parts:
        return ()
    if len(parts) == 1 and ":" not in parts[0]:
        area = _area(field, parts[0])
        return ((area, credits),)
    out: dict[Area, Decimal] = {}
    for p in parts:
        name, sep, amount = p.partition(":")
        if not sep:
            raise FieldError(
                field, text, "a split needs AREA:AMOUNT for every part, e.g. clinical:1;general:2"
            )
        area = _area(field, name)
        amt = parse_decimal(field, amount, Decimal(0), None, AMOUNT_PLACES)
        if amt is None:
            raise FieldError(field, text, f"missing amount for {name}")
        out[area] = out.get(area, Decimal(0)) + amt
    total = sum(out.values(), Decimal(0))
    if credits is None:
        raise FieldError(field, text, "an area split needs the credits column")
    if total != credits:
        raise FieldError(field, text, f"split sums to {total}, but credits is {credits}")
    return tuple((a, out[a]) for a in Area if a in out)


def _area(field: str, name: str) -> Area:
    try:
        return parse_enum(Area, name, "area")  # type: ignore[return-value]
    except ValueError as e:
        raise FieldError(field, name, str(e)) from None


@_cached
def parse_covers(field: str, text: str | None) -> tuple[Condition, ...]:
    """A membership's `covers` filter (catalog.filters), errors as FieldError."""
    try:
        return filters.parse_covers(text or "")
    except filters.FilterError as e:
        raise FieldError(field, e.key, str(e)) from None


@_cached
def parse_date(field: str, text: str | None) -> date | None:
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise FieldError(field, text, "not an ISO date (YYYY-MM-DD)") from None


@_cached
def enum_field(field: str, enum, text: str | None, default=None):
    if text is None or not str(text).strip():
        return default
    try:
        return parse_enum(enum, str(text), field.replace("_", " "))
    except ValueError as e:
        raise FieldError(field, text, str(e)) from None


#: Sanity bounds: values beyond them are data errors, not courses.
MAX_PRICE = Decimal(100000)
MAX_HOURS = Decimal(1000)
MAX_CREDITS = Decimal(1000)


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")
_URL = re.compile(r"^(https?://|file:)")


def offering_from_fields(
    row: dict[str, str | None],
    *,
    source: str = "",
    source_line: int | None = None,
    retrieved_at: datetime | None = None,
    stripped: bool = False,
    default_unit: Unit | None = Unit.CONTACT_HOUR,
) -> tuple[Offering | None, list[FieldError]]:
    """Build an Offering from manual-CSV-shaped text fields; collect every field error. A blank
    `credit_unit` is `default_unit` (manual CSVs: contact hours; crawls: None, never a guess). Parsers
    are memoized per value; `stripped=True` promises stripped str values (the CSV loader's fast path)."""
    g = row if stripped else {k: ("" if v is None else str(v).strip()) for k, v in row.items()}
    get = g.get
    errors: list[FieldError] = []

    def attempt(fn, *args):
        try:
            return fn(*args)
        except FieldError as e:
            errors.append(e)
            return None

    oid, url = get("id", ""), get("url", "")
    for req in ("id", "provider", "title", "url"):
        if not get(req):
            errors.append(FieldError(req, "", "required value is empty"))
    if oid and not _ID.fullmatch(oid):
        errors.append(FieldError("id", oid, "ids use letters, digits and . _ : / -"))
    if url and not _URL.match(url):
        errors.append(FieldError("url", url, "must be an http(s) URL of the source page"))
    kind = attempt(enum_field, "kind", Kind, get("kind", ""))
    if kind is None and not get("kind"):
        errors.append(FieldError("kind", "", "required value is empty"))
    price = attempt(parse_price, "price_usd", get("price_usd", ""))
    pmin_text, pmax_text = get("price_min_usd", ""), get("price_max_usd", "")
    pmin = pmax = None
    if pmin_text or pmax_text:
        pmin = attempt(parse_price, "price_min_usd", pmin_text)
        pmax = attempt(parse_price, "price_max_usd", pmax_text)
        if pmin is not None and pmax is not None and pmin > pmax:
            errors.append(FieldError("price_max_usd", pmax_text, "must be >= price_min_usd"))
        if not (pmin_text and pmax_text):
            col = "price_max_usd" if not pmax_text else "price_min_usd"
            errors.append(FieldError(col, "", "a price range needs both price_min_usd and price_max_usd"))
    member = attempt(parse_price, "member_price_usd", get("member_price_usd", ""))
    basis = attempt(enum_field, "price_basis", PriceBasis, get("price_basis", ""), PriceBasis.ONE_TIME)
    hours = attempt(parse_amount, "hours", get("hours", ""), MAX_HOURS)
    credits = attempt(parse_amount, "credits", get("credits", ""), MAX_CREDITS)
    unit = attempt(enum_field, "credit_unit", Unit, get("credit_unit", ""), default_unit)
    areas = attempt(parse_areas, "areas", get("areas", ""), credits) if get("areas") else ()
    topics = attempt(parse_topics, "topics", get("topics", "")) if get("topics") else ()
    approved = attempt(parse_bodies, "approved_by", get("approved_by", "")) if get("approved_by") else ()
    accepted = attempt(parse_bodies, "accepted_by", get("accepted_by", "")) if get("accepted_by") else ()
    delivery = attempt(enum_field, "delivery", Delivery, get("delivery", ""))
    covers = attempt(parse_covers, "covers", get("covers", "")) if get("covers") else ()
    discount_text = get("discount_pct", "")
    discount = attempt(parse_decimal, "discount_pct", discount_text, Decimal(0), Decimal(100), PRICE_PLACES)
    term = attempt(parse_decimal, "term_months", get("term_months", ""), Decimal(0), Decimal(1200))
    if term is not None and term != term.to_integral_value():
        errors.append(FieldError("term_months", get("term_months"), "must be a whole number of months"))
    vfrom = attempt(parse_date, "valid_from", get("valid_from", ""))
    vuntil = attempt(parse_date, "valid_until", get("valid_until", ""))
    if vfrom and vuntil and vfrom > vuntil:
        errors.append(FieldError("valid_until", get("valid_until"), "is before valid_from"))
    if kind in COVERING_KINDS:
        if not covers and not get("covers"):
            errors.append(
                FieldError("covers", "", f"a {kind.value} needs a covers filter, e.g. provider=ACE")
            )
        if discount is None:
            discount = Decimal(100)
    elif kind is not None and (covers or discount_text):
        errors.append(
            FieldError(
                "covers", get("covers"), f"only memberships and bundles cover offerings, not a {kind.value}"
            )
        )
    pool = _pool_fields(get, kind, errors, attempt)
    if get("audience") or get("eligibility"):  # (both blank: no audience, no limit)
        pool |= audience_fields(get, errors, FieldError)
    if errors:
        return None, errors
    description = get("description", "")
    if "<" in description or "&" in description or "  " in description or "\n" in description:
        description = clean_text(description)
    return Offering(
        id=oid,
        provider=get("provider"),
        title=get("title"),
        kind=kind,
        url=url,
        price_usd=price,
        price_min_usd=pmin,
        price_max_usd=pmax,
        member_price_usd=member,
        price_basis=basis,
        hours=hours,
        credits=credits,
        credit_unit=unit,
        credit_unit_text=get("credit_unit_text") or None,
        areas=areas or (),
        area_source="stated" if areas else None,
        topics=topics or (),
        approved_by=approved or (),
        accepted_by=accepted or (),
        delivery=delivery,
        covers=covers or (),
        discount_pct=discount,
        term_months=int(term) if term is not None else None,
        valid_from=vfrom,
        valid_until=vuntil,
        description=description,
        source=source,
        source_line=source_line,
        retrieved_at=retrieved_at,
        **pool,
    ), []


def _pool_fields(get, kind, errors: list[FieldError], attempt) -> dict:
    """The optional pool columns (a membership's stated aggregate credit amount); all or none."""
    if not (get("pool_credits") or get("pool_unit") or get("pool_per") or get("pool_areas")):
        return {}
    credits = attempt(parse_amount, "pool_credits", get("pool_credits", ""), MAX_CREDITS)
    unit = attempt(enum_field, "pool_unit", Unit, get("pool_unit", ""))
    per = get("pool_per", "")
    areas = tuple(
        a for a in (attempt(_area, "pool_areas", n) for n in parse_list(get("pool_areas", ""))) if a
    )
    for col, value in (("pool_credits", credits), ("pool_unit", unit), ("pool_per", per)):
        if not value and not any(e.field == col for e in errors):
            errors.append(FieldError(col, "", "a credit pool needs pool_credits, pool_unit and pool_per"))
    if per and per not in POOL_PERIODS:
        errors.append(FieldError("pool_per", per, f"must be one of {', '.join(POOL_PERIODS)}"))
    if kind is not None and kind not in COVERING_KINDS:
        errors.append(
            FieldError("pool_credits", get("pool_credits"), "only memberships and bundles have a pool")
        )
    return {"pool_credits": credits, "pool_unit": unit, "pool_per": per or None, "pool_areas": areas}
