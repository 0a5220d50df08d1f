"""RawOffering: what a page said, as text. Spiders never convert types; pipelines do.

Field names follow the manual CSV columns (../shared/interfaces.md) where a column exists, with
`_text` marking text still to be parsed by catalog.normalize in the Normalize pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class RawOffering:
    ref: str = ""  # provider-stable reference; offering id = "<spider>:<ref>"
    title: str = ""
    url: str = ""
    provider: str = ""
    kind: str = ""  # course | membership | bundle | ... (Kind vocabulary)
    price_text: str | None = None  # general (non-member) price as printed: "$39.00", "Free", "$15 - $60"
    member_price_text: str | None = None
    other_prices: list[dict[str, str]] = field(default_factory=list)  # [{"label": ..., "price_text": ...}]
    price_basis: str | None = None  # one_time | per_year | per_month
    credits_text: list[str] = field(default_factory=list)  # "1.5 contact hours (0.15 CEU)", "2 AAMA CEUs"
    hours_text: str | None = None  # "PT1H30M", "90 minutes", "1.5 hours"
    credit_unit: str | None = None  # explicit unit, when the page names one outside credits_text
    categories_text: list[str] = field(default_factory=list)  # "Clinical", "General: 1; Clinical: 0.5"
    topics_text: list[str] = field(default_factory=list)
    approved_by_text: list[str] = field(default_factory=list)
    accepted_by_text: list[str] = field(default_factory=list)
    delivery: str | None = None
    covers: str | None = None  # memberships/bundles: "provider=ACE"
    discount_pct: str | None = None
    term_months: str | None = None
    description: str | None = None  # HTML fragment or text; cleaned once in Normalize
    extras: dict[str, Any] = field(default_factory=dict)
