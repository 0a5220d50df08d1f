"""catalog/normalize.py as ATP-style tables of inline inputs: text fields -> typed values or FieldErrors.

The loader's own tests (test_loader.py) check that these errors reach the user as FILE:LINE:COLUMN
and that nothing is published; here every rule of a field is one row of a table.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.filters import Condition
from catalog.normalize import FieldError, offering_from_fields, parse_areas, parse_covers, parse_price_text
from catalog.vocab import Area, Kind, Unit

GOOD = {
    "id": "x-1",
    "provider": "Acme",
    "title": "Good course",
    "kind": "course",
    "price_usd": "10",
    "price_basis": "one_time",
    "hours": "1",
    "credits": "1",
    "credit_unit": "aama_ceu",
    "areas": "clinical",
    "approved_by": "AAMA",
    "accepted_by": "AAMA",
    "delivery": "online",
    "url": "https://a.example/1",
}


def fields(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


# (changed fields, the field the error names, words in its message); formerly test_loader's CASES
INVALID = {
    "non-numeric price": ({"price_usd": "ten"}, "price_usd", "not a number"),
    "negative price": ({"price_usd": "-5"}, "price_usd", ">= 0"),
    "negative credits": ({"credits": "-1"}, "credits", ">= 0"),
    "split does not sum": ({"credits": "3", "areas": "clinical:1;general:1"}, "areas", "sums to 2"),
    "unknown area": ({"areas": "clinicle"}, "areas", "did you mean 'clinical'"),
    "unknown unit": ({"credit_unit": "aama_ceus"}, "credit_unit", "did you mean 'aama_ceu'"),
    "unknown kind": ({"kind": "corse"}, "kind", "did you mean 'course'"),
    "unknown body": ({"approved_by": "AAAM"}, "approved_by", "did you mean 'AAMA'"),
    "covers unknown field": (
        {"id": "m-1", "kind": "membership", "covers": "provder=Acme", "discount_pct": "100"},
        "covers",
        "did you mean 'provider'",
    ),
    "bad date": ({"valid_until": "2026-13-01"}, "valid_until", "ISO date"),
    "range without max": ({"price_usd": "", "price_min_usd": "15"}, "price_max_usd", "both"),
    "hours not a number": ({"hours": "lots"}, "hours", "not a number"),
    "covers on a course": ({"covers": "provider=Acme"}, "covers", "only memberships and bundles"),
    "membership without covers": ({"kind": "membership"}, "covers", "needs a covers filter"),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_values_are_field_errors(case):
    changes, field, words = INVALID[case]
    offering, errors = offering_from_fields(fields(**changes))
    assert offering is None
    assert [e.field for e in errors] == [field], errors
    assert words in str(errors[0])


def test_a_valid_row_keeps_units_areas_and_bodies():
    o, errors = offering_from_fields(fields(), source="manual/acme.csv", source_line=2)
    assert not errors
    assert (o.kind, o.credits, o.credit_unit) == (Kind.COURSE, Decimal(1), Unit.AAMA_CEU)
    assert o.areas == ((Area.CLINICAL, Decimal(1)),) and o.area_source == "stated"
    assert (o.source, o.source_line) == ("manual/acme.csv", 2)


@pytest.mark.parametrize(
    "text, credits, expected",
    [
        ("clinical", Decimal(2), ((Area.CLINICAL, Decimal(2)),)),
        ("clinical", None, ((Area.CLINICAL, None),)),
        ("general:1;clinical:2", Decimal(3), ((Area.GENERAL, Decimal(1)), (Area.CLINICAL, Decimal(2)))),
        ("", Decimal(1), ()),
    ],
)
def test_areas(text, credits, expected):
    assert parse_areas("areas", text, credits) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("provider=ACE", (Condition("provider", "ACE"),)),
        (" Provider = ACE ; topic=hipaa", (Condition("provider", "ACE"), Condition("topic", "hipaa"))),
        ("approved_by=AAMA;kind=course", (Condition("approved_by", "AAMA"), Condition("kind", "course"))),
    ],
)
def test_covers(text, expected):
    assert parse_covers("covers", text) == expected


@pytest.mark.parametrize(
    "text, words", [("provider", "field=value"), ("unit=aama_ceu", "unknown covers field")]
)
def test_bad_covers(text, words):
    with pytest.raises(FieldError, match=words):
        parse_covers("covers", text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("$39.00", (Decimal("39.00"), None, None)),
        ("Free", (Decimal(0), None, None)),
        ("$15 - $60", (None, Decimal(15), Decimal(60))),
        ("Call for pricing", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_price_text(text, expected):
    assert parse_price_text("price_usd", text) == expected
