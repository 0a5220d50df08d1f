"""Normalize (200): RawOffering text -> Offering (via catalog.normalize) -> JSON-ready record.

Invalid input is not fixed here: the record carries `_errors` and the Validate pipeline drops it.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from catalog.normalize import FieldError, offering_from_fields, parse_price_text
from catalog.plaintext import clean_text
from catalog.records import offering_record, plain_decimal
from crawlers.items import RawOffering
from crawlers.pipelines import CrawlerPipeline
from crawlers.textparse import areas_text, body_names
from crawlers.units import read_credits


def run_date(settings) -> date:
    """The crawl's run date: setting or env CEU_RUN_DATE (set by crawlers.run), else today."""
    text = settings.get("CEU_RUN_DATE") or os.environ.get("CEU_RUN_DATE")
    return date.fromisoformat(text) if text else date.today()


def _s(v: Decimal | None) -> str:
    return "" if v is None else plain_decimal(v)


def to_record(
    raw: RawOffering,
    *,
    spider: str,
    run_day: date,
    credit_unit: str | None = None,
    ceu_unit: str | None = None,
) -> tuple[dict[str, Any], list[FieldError]]:
    """Build the JSON-ready record of one raw item; errors name the field.

    `credit_unit` / `ceu_unit` are the source's declarations of what "N credits" and a bare "CEU"
    mean (None: not declared, so crawlers.units resolves or leaves the unit unknown). Non-fatal
    problems (an unknown unit, credits contradicting the duration) go to `record["_problems"]`.
    """
    errors: list[FieldError] = []
    extras = {k: v for k, v in raw.extras.items() if not k.startswith("_")}
    fields: dict[str, str | None] = {
        "id": f"{spider}:{raw.ref}" if raw.ref else "",
        "provider": clean_text(raw.provider),
        "title": clean_text(raw.title),
        "kind": raw.kind or "course",
        "url": raw.url,
        "price_basis": raw.price_basis,
        "delivery": raw.delivery,
        "covers": raw.covers,
        "discount_pct": raw.discount_pct,
        "term_months": raw.term_months,
        "description": raw.description,
        "topics": ";".join(raw.topics_text),
    }
    try:
        price, lo, hi = parse_price_text("price_usd", raw.price_text)
        fields |= {"price_usd": _s(price), "price_min_usd": _s(lo), "price_max_usd": _s(hi)}
        if price is None and lo is None and raw.price_text:
            extras["price_text"] = raw.price_text  # stated but not a price ("Call for pricing")
    except FieldError as e:
        errors.append(e)
    if raw.member_price_text:
        try:
            fields["member_price_usd"] = _s(parse_price_text("member_price_usd", raw.member_price_text)[0])
        except FieldError as e:
            errors.append(e)
    if raw.other_prices:
        extras["other_prices"] = raw.other_prices
    if extras.get("currency", "USD") != "USD":
        errors.append(FieldError("price_usd", extras["currency"], "prices must be in USD"))
    reading = read_credits(
        raw.credits_text,
        raw.hours_text,
        credit_unit=credit_unit,
        ceu_unit=ceu_unit,
        explicit_unit=raw.credit_unit,
    )
    fields |= {
        "hours": _s(reading.hours),
        "credits": _s(reading.credits),
        "credit_unit": reading.unit or "",
        "credit_unit_text": reading.unit_text,
    }
    if reading.others:
        extras["other_credits"] = {u: _s(v) for u, v in reading.others.items()}
    problems = [{"field": f, "message": m} for f, m in reading.problems]
    fields["areas"] = areas_text(raw.categories_text)
    for name, texts in (("approved_by", raw.approved_by_text), ("accepted_by", raw.accepted_by_text)):
        known, unknown = body_names(texts)
        fields[name] = ";".join(known)
        if unknown:
            extras.setdefault("unmapped_bodies", {})[name] = unknown
    offering, field_errors = offering_from_fields(
        fields,
        source=f"spider:{spider}",
        retrieved_at=datetime(run_day.year, run_day.month, run_day.day, tzinfo=UTC),
        default_unit=None,
    )
    errors.extend(field_errors)
    record: dict[str, Any] = {"id": fields["id"], "url": raw.url, "title": raw.title}
    if offering is not None and not errors:
        record = offering_record(offering)
    record |= {"spider": spider, "ref": raw.ref, "extras": extras}
    if problems:
        record["_problems"] = problems
    return record, errors


class Normalize(CrawlerPipeline):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.run_day = run_date(crawler.settings)

    def process_item(self, item):
        if not isinstance(item, RawOffering):
            return item
        spider = self.crawler.spider
        record, errors = to_record(
            item,
            spider=spider.name,
            run_day=self.run_day,
            credit_unit=getattr(spider, "credit_unit", None),
            ceu_unit=getattr(spider, "ceu_unit", None),
        )
        record["_errors"] = errors
        for field_name in record["extras"].get("unmapped_bodies", {}):
            self.crawler.stats.inc_value(f"ceu/unmapped/{field_name}")
        return record
