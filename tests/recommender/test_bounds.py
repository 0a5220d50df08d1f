"""The presolve's membership-free lower bound never exceeds a real membership-free plan's cost,
and the bound filter built on it keeps the brute-force optimum."""

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings

from recommender.bounds import knapsack_floor, no_membership_bound
from recommender.model import candidates
from tests.recommender.opt_helpers import brute_force, catalogs, feasible, optimize

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cheapest_without_membership(table, req) -> float:
    """Brute force over every set of full-priced courses."""
    courses = np.flatnonzero(~table.is_covering() & (table.price_cents >= 0))
    best = float("inf")
    for bits in itertools.product([0, 1], repeat=len(courses)):
        chosen = courses[np.array(bits, dtype=bool)] if len(courses) else courses
        cost = float(table.price_cents[chosen].sum())
        if cost < best:
            mask = np.zeros(len(table), dtype=bool)
            mask[chosen] = True
            if feasible(req, mask):
                best = cost
    return best


def dear_courses(case):
    """Course prices x10: plans without a membership then often cost more than one with, so the
    presolve's full-price limit (UB minus the cheapest membership) takes effect."""
    table, req = case
    cov = table.is_covering()
    table.price_cents = np.where(~cov & (table.price_cents > 0), table.price_cents * 10, table.price_cents)
    return table, req


@SETTINGS
@given(catalogs(max_members=3) | catalogs(max_members=3).map(dear_courses))
def test_no_membership_bound_is_a_lower_bound(case):
    table, req = case
    c = candidates(table, [req], np.ones(len(table), dtype=bool))
    if not req.rows():
        return
    assert no_membership_bound(c, [req]) <= cheapest_without_membership(table, req) + 1e-6


@SETTINGS
@given(catalogs(max_members=3).map(dear_courses))
def test_bound_filter_keeps_the_optimum_when_plans_need_a_membership(case):
    table, req = case
    expected = brute_force(table, req)
    got = optimize(table, [req])
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got[:2] == expected


def test_knapsack_floor_respects_pools():
    price = np.array([1.0, 1.0, 10.0])
    gain = np.array([5.0, 5.0, 5.0])
    pool = np.array([0, 0, -1])
    # pool 0 may count 6 units in all: 5 from the first, 1 from the second (cost 1 + 0.2), then 4 at 2/unit
    assert abs(knapsack_floor(price, gain, 10.0, pool, np.array([6.0])) - (1 + 0.2 + 8.0)) < 1e-9
    assert knapsack_floor(price, gain, 16.0, pool, np.array([6.0])) == float("inf")
    assert knapsack_floor(price, gain, 0.0, pool, np.array([6.0])) == 0.0
