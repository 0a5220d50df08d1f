"""Hypothesis: on random duplicate-heavy catalogs (memberships, discounts, splits, caps, approved
and topic minimums) the optimizer's plan is feasible, costs exactly the brute-force optimum, has
the fewest minutes among the cheapest plans, and is never worse than the greedy baseline."""

import numpy as np
from hypothesis import HealthCheck, given, settings

from recommender.greedy import greedy_cents
from recommender.model import candidates
from tests.recommender.opt_helpers import brute_force, catalogs, optimize

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(catalogs())
def test_optimum_equals_brute_force(case):
    table, req = case
    expected = brute_force(table, req)
    got = optimize(table, [req])
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert got[:2] == expected  # same cost in cents, same minutes (hours tie-break)


@SETTINGS
@given(catalogs())
def test_presolve_and_lp_fixing_keep_the_optimum(case):
    table, req = case
    with_presolve = optimize(table, [req], presolve=True, fixing=True)
    without = optimize(table, [req], presolve=False, fixing=False)
    assert (with_presolve is None) == (without is None)
    if without is not None:
        assert with_presolve[:2] == without[:2]


@settings(max_examples=60, deadline=None)
@given(catalogs())
def test_never_worse_than_greedy(case):
    table, req = case
    got = optimize(table, [req])
    greedy = greedy_cents(candidates(table, [req], np.ones(len(table), dtype=bool)), [req])
    if greedy is not None:
        assert got is not None and got[0] <= greedy
