"""Hypothesis: on random duplicate-heavy catalogs (memberships, discounts, splits, caps, approved
and topic minimums) the optimizer's plan is feasible, costs exactly the brute-force optimum, has
the fewest minutes among the cheapest plans, and is never worse than the greedy baseline."""

import numpy as np
from hypothesis import HealthCheck, given, settings

from recommender.greedy import greedy_cents
from recommender.model import candidates, member_cents
from recommender.presolve import incumbent, plan_is_feasible, prune_profiles
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


@SETTINGS
@given(catalogs(max_members=3))
def test_bound_filter_and_membership_cut_keep_the_optimum(case):
    """More memberships than above: the presolve's bound filter and the solver's membership cut
    (both driven by the greedy incumbent) still give the brute-force optimum and tie-break."""
    table, req = case
    expected = brute_force(table, req)
    got = optimize(table, [req])
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got[:2] == expected


@SETTINGS
@given(catalogs(max_members=3))
def test_incumbent_is_a_real_plan_never_below_the_optimum(case):
    """The incumbent that drives the bound filter is feasible, priced as the table says, and >= the optimum."""
    table, req = case
    c, _ = prune_profiles(candidates(table, [req], np.ones(len(table), dtype=bool)), [req])
    inc = incumbent(c, [req]) if len(c.offerings) else None
    expected = brute_force(table, req)
    if inc is None:
        return
    assert expected is not None and inc.cents >= expected[0]
    assert plan_is_feasible([req], inc.offerings)
    assert set(inc.via[inc.via >= 0].tolist()) == set(inc.memberships.tolist())
    paid = sum(
        int(member_cents(np.array([table.price_cents[o]]), table.discount_pct[v])[0])
        if v >= 0
        else int(table.price_cents[o])
        for o, v in zip(inc.offerings, inc.via, strict=True)
    )
    assert paid + int(table.price_cents[inc.memberships].sum()) == inc.cents
