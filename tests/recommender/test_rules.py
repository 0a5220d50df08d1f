"""Credential files (data/credentials) and the vectorized CredentialView."""

from __future__ import annotations

import tomllib
from datetime import date

import numpy as np
import pytest

from recommender.credentials import (
    CredentialFileError,
    UnknownCredential,
    credentials_dir,
    known_credentials,
    load_credential,
)
from recommender.rules import hours_view
from recommender.table import OfferingTable
from tests.helpers import FIXTURES, SHARED

SHIPPED = ["CCMA", "CMA", "CMAA", "CMAC", "CMAS", "FL-RN", "NCMA", "RMA"]
#: The sourced reference the rule files are written from (outside the repository; checked when present).
REFERENCE = SHARED / "reference" / "credential-rules.md"


def test_every_credential_of_the_issue_is_shipped():
    assert known_credentials() == SHIPPED


@pytest.mark.parametrize("code", SHIPPED)
def test_codes_are_case_insensitive(code):
    assert load_credential(code.lower()).code == code


def test_unknown_credential_lists_the_known_ones():
    with pytest.raises(UnknownCredential) as e:
        load_credential("CMX")
    assert "did you mean 'CMA'" in str(e.value)
    for code in SHIPPED:
        assert code in str(e.value)


def _numbers_without_source(doc, where=""):
    """Paths of tables that hold a number but no source URL."""
    out = []
    if isinstance(doc, dict):
        has_number = any(isinstance(v, int | float) and not isinstance(v, bool) for v in doc.values())
        if has_number and where and "source" not in doc:
            out.append(where)
        for k, v in doc.items():
            out += _numbers_without_source(v, f"{where}.{k}" if where else k)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _numbers_without_source(v, f"{where}[{i}]")
    return out


@pytest.mark.parametrize("path", sorted(credentials_dir().glob("*.toml")), ids=lambda p: p.name)
def test_every_number_cites_a_source_url_from_the_reference(path):
    doc = tomllib.loads(path.read_text())
    assert _numbers_without_source(doc) == []
    urls = [v["source"] for v in _tables(doc)]
    assert urls
    if REFERENCE.exists():
        text = REFERENCE.read_text()
        assert [u for u in urls if u not in text] == []


def _tables(doc):
    if isinstance(doc, dict):
        if "source" in doc:
            yield doc
        for v in doc.values():
            yield from _tables(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _tables(v)


def test_unverified_facts_are_marked():
    """The reference marks NCCT's 14 hours and $77, and AAMA's CE fee, as unverified."""
    assert {"total", "fees[0]"} <= set(load_credential("NCMA").unverified)
    assert "units.contact_hour" in load_credential("CMA").unverified
    assert load_credential("CCMA").unverified == ("fees[0]",)  # NHA's renewal fee is not on NHA's pages


def test_cma_rules_match_the_aama_policy():
    c = load_credential("CMA")
    assert (c.total, c.areas, c.approved, c.cycle_months) == (
        60,
        {"general": 10, "clinical": 10, "administrative": 10},
        {"AAMA": 30},
        60,
    )
    assert {cap.name: cap.max_value for cap in c.caps} == {"non_aama": 30, "cpr": 12}
    assert c.units["college_credit"] == 15 and c.min_minutes == 50
    assert c.exam_allowed is True and {f.name: f.usd for f in c.fees}["exam_member"] == 125


def test_cma_cycle_ends_with_the_calendar_month_sixty_months_on():
    """AAMA's own example: certified in February 2010, recertify by the last day of February 2015."""
    c = load_credential("CMA")
    assert c.cycle_from_certification(date(2010, 2, 10), date(2012, 1, 1)) == (
        date(2010, 2, 10),
        date(2015, 2, 28),
    )
    assert c.cycle_from_certification(date(2010, 2, 10), date(2015, 3, 1))[1] == date(2020, 2, 29)


def test_amt_cycles_roll_every_three_years():
    start, end = load_credential("RMA").cycle_from_certification(date(2019, 5, 15), date(2025, 1, 1))
    assert (start, end) == (date(2022, 5, 15), date(2025, 5, 14))


def _write(tmp_path, text):
    p = tmp_path / "x.toml"
    p.write_text(text)
    return p


MINIMAL = """
code = "X"
body = "NHA"
name = "X"
unit = "contact_hour"
[cycle]
months = 12
source = "https://example.org/a"
[total]
amount = 5
source = "https://example.org/a"
[units.contact_hour]
value = 1
source = "https://example.org/a"
"""


def test_a_custom_credential_file_loads_by_path():
    c = load_credential(str(FIXTURES / "credentials" / "acme-cert.toml"))
    assert (c.code, c.accept_bodies, c.topics[0].name) == ("ACME", ("NHA", "AMT"), "ethics")


@pytest.mark.parametrize(
    "change, field",
    [
        (("[total]\namount = 5\nsource", "[total]\namount = 5\nsorce"), "total.sorce"),
        (('[total]\namount = 5\nsource = "https://example.org/a"', "[total]\namount = 5"), "total.source"),
        (("amount = 5", "amount = -5"), "total.amount"),
        (('unit = "contact_hour"\n[cycle]', 'unit = "contact_hour"\nmaximum = 3\n[cycle]'), "maximum"),
        (("[units.contact_hour]", "[units.contact_hours]"), "units.contact_hours"),
        (('body = "NHA"', 'body = "NHAA"'), "body"),
        (("months = 12", "months = 12.5"), "cycle.months"),
    ],
)
def test_a_file_that_breaks_the_schema_names_the_field(tmp_path, change, field):
    old, new = change
    assert old in MINIMAL
    with pytest.raises(CredentialFileError) as e:
        load_credential(str(_write(tmp_path, MINIMAL.replace(old, new, 1))))
    assert f": {field}:" in str(e.value)


def test_an_unverified_fact_needs_a_note(tmp_path):
    text = MINIMAL.replace(
        '[total]\namount = 5\nsource = "https://example.org/a"',
        '[total]\namount = 5\nsource = "https://example.org/a"\nverified = false',
    )
    with pytest.raises(CredentialFileError, match="total.note"):
        load_credential(str(_write(tmp_path, text)))


# --- CredentialView --------------------------------------------------------------------
def _table(*rows):
    base = {"price_usd": 10, "url": "https://example.org", "kind": "course", "credit_unit": "contact_hour"}
    return OfferingTable.from_records(
        [{**base, "id": f"o{i}", "title": f"o{i}", "provider": "P", **r} for i, r in enumerate(rows)]
    )


def test_cma_view_converts_units_splits_areas_and_flags_caps():
    t = _table(
        {
            "credits": 2,
            "credit_unit": "aama_ceu",
            "credits_general": 1,
            "credits_clinical": 1,
            "credits_administrative": 0,
            "area_source": "stated",
            "approved_by": ["AAMA"],
        },
        {"kind": "college", "credits": 1, "credit_unit": "college_credit"},
        {"kind": "cpr", "credits": 1, "credit_unit": "cpr_card"},
        {"credits": 0.5, "hours": 0.5},
        {"credits": 3, "credit_unit": "nha_credit"},
        {"kind": "membership", "credits": None},
        {"credits": None},
    )
    v = load_credential("CMA").view(t)
    np.testing.assert_allclose(v.value, [2, 15, 4, 0, 0, 0, 0])
    np.testing.assert_allclose(v.area_value[0], [1, 1, 0])
    np.testing.assert_allclose(v.area_value[1], [0, 0, 0])  # area unknown: total only
    np.testing.assert_allclose(v.area_value[2], [0, 4, 0])  # CPR: clinical
    assert list(v.approved["AAMA"]) == [True, False, True, False, False, False, False]
    assert list(v.reason[3:]) == [
        "under 50 minutes",
        "nha_credit credits do not convert to aama_point",
        "a membership earns no credit itself",
        "credits unknown",
    ]
    caps = {c.name: (list(np.flatnonzero(c.mask)), c.max_value) for c in v.caps}
    assert caps == {"non_aama": ([1], 30), "cpr": ([2], 12)}


def test_inferred_areas_count_only_when_trusted():
    row = {
        "credits": 2,
        "credits_general": 2,
        "credits_clinical": 0,
        "credits_administrative": 0,
        "area_source": "inferred",
    }
    t = _table({**row, "area_confidence": 0.9}, {**row, "area_confidence": 0.5})
    c = load_credential("CMA")
    np.testing.assert_allclose(c.view(t).area_value[:, 0], [2, 0])
    np.testing.assert_allclose(c.view(t, stated_only=True).area_value[:, 0], [0, 0])
    np.testing.assert_allclose(c.view(t, min_area_confidence=0.4).area_value[:, 0], [2, 2])
    np.testing.assert_allclose(c.view(t).value, [2, 2])  # still counts toward the total


def test_nha_counts_two_hours_per_credit_and_any_unit_by_its_hours():
    t = _table(
        {"credits": 3},
        {"credits": 0.4, "credit_unit": "iacet_ceu"},
        {"credits": 2, "credit_unit": "aama_ceu", "hours": 1.5},
        {"credits": 2, "credit_unit": "aama_ceu"},
    )
    v = load_credential("CCMA").view(t)
    np.testing.assert_allclose(v.value, [1.5, 2, 0.75, 0])
    assert list(v.counts) == [True, True, True, False]


def test_florida_rounds_each_activity_down_to_half_hours_and_tags_topics():
    t = _table({"credits": 1.75, "topics": ["medical_errors"]}, {"credits": 2})
    v = load_credential("FL-RN").view(t)
    np.testing.assert_allclose(v.value, [1.5, 2])
    assert list(v.topics["medical_errors"]) == [True, False]


def test_accept_bodies_rejects_other_offerings_with_a_reason():
    c = load_credential(str(FIXTURES / "credentials" / "acme-cert.toml"))
    v = c.view(_table({"credits": 1, "accepted_by": ["AMT"]}, {"credits": 1, "approved_by": ["AAMA"]}))
    assert list(v.counts) == [True, False]
    assert v.reason[1] == "not accepted by NHA/AMT"


def test_masks_for_any_body_or_topic_are_built_on_demand():
    t = _table({"credits": 1, "approved_by": ["IACET"], "topics": ["ethics"]}, {"credits": 1})
    v = load_credential("CCMA").view(t)
    assert list(v.approved["IACET"]) == [True, False]
    assert list(v.topics["ethics"]) == [True, False]


def test_hours_view_converts_units_with_a_published_hour_value():
    t = _table(
        {"credits": 2, "credit_unit": "nha_credit"},
        {"credits": 1, "credit_unit": "iacet_ceu"},
        {"credits": 3, "credit_unit": "aama_ceu"},
        {"credits": 3, "credit_unit": "aama_ceu", "hours": 2.5},
    )
    v = hours_view(t)
    np.testing.assert_allclose(v.value, [4, 10, 0, 2.5])
    assert v.reason[2] == "aama_ceu credits do not convert to contact_hour"
