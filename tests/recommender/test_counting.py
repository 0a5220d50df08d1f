"""recommender.counting: gap keys parsed once, and the one allocation routine checked against an
independent oracle (tests/recommender/opt_helpers.feasible, an LP written separately with scipy)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.counting import CountRow, GapKey, GapsSyntaxError, allocate, plan_is_feasible
from tests.recommender.opt_helpers import catalogs, feasible


@pytest.mark.parametrize(
    "text, kind, name, area",
    [
        ("general", "area", "general", 0),
        ("administrative", "area", "administrative", 2),
        ("total", "total", "", None),
        ("approved:AAMA", "approved", "AAMA", None),
        ("topic:hiv_aids", "topic", "hiv_aids", None),
    ],
)
def test_gap_keys_are_parsed_once_into_kind_and_name(text, kind, name, area):
    key = GapKey(text)
    assert (key.kind, key.name, key.area) == (kind, name, area)
    assert key == text and GapKey(text) is key and {text: 1}[key] == 1


def test_user_gap_keys_are_normalized_or_rejected():
    assert GapKey.parse(" Clinical ") == "clinical"
    assert GapKey.parse("topic:HIV-AIDS") == "topic:hiv_aids"
    assert GapKey.parse("approved:aama").kind == "approved"
    with pytest.raises(GapsSyntaxError, match="unknown key 'clinicl'"):
        GapKey.parse("clinicl")
    with pytest.raises(ValueError, match="unknown gap key"):
        GapKey("bogus")


def test_a_binding_cap_counts_in_the_users_favour():
    """Two offerings of 10 units each under a cap of 10: one clinical, one general; both areas need 5."""
    amounts = np.array([[0.0, 10.0, 0.0, 0.0], [10.0, 0.0, 0.0, 0.0]])
    rows = [CountRow(GapKey("general"), 5.0), CountRow(GapKey("clinical"), 5.0)]
    alloc = allocate(amounts, np.ones(2, dtype=bool), rows, [("cap", np.ones(2, dtype=bool), 10.0)])
    assert alloc.feasible and alloc.counted.sum() == pytest.approx(10.0)
    assert alloc.got.tolist() == pytest.approx([5.0, 5.0])
    short = allocate(amounts, np.ones(2, dtype=bool), rows, [("cap", np.ones(2, dtype=bool), 8.0)])
    assert not short.feasible and sum(g for _, g in short.short()) == pytest.approx(3.0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs(), st.data())
def test_allocation_agrees_with_the_independent_oracle(case, data):
    table, req = case
    bought = np.array([data.draw(st.booleans()) for _ in range(len(table))]) & ~table.is_covering()
    expected = feasible(req, bought) if req.rows() else True  # nothing open: any purchase closes it
    assert plan_is_feasible([req], np.flatnonzero(bought)) == expected
