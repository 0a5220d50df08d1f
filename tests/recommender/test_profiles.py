"""Hashed profile grouping (recommender.profiles) equals exact grouping, collisions included."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import profiles
from recommender.model import candidates
from recommender.presolve import profile_keys
from tests.recommender.opt_helpers import catalogs


def exact_groups(cols, set_rows, set_items, n):
    """Reference: rows keyed by (column values, sorted set) in Python."""
    members = [[] for _ in range(n)]
    for r, i in zip(set_rows.tolist(), set_items.tolist(), strict=True):
        members[r].append(i)
    keys = [(*(float(c[i]) for c in cols), tuple(sorted(members[i]))) for i in range(n)]
    ids: dict = {}
    return np.array([ids.setdefault(k, len(ids)) for k in keys], dtype=np.int64)


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@st.composite
def rows(draw):
    n = draw(st.integers(1, 40))
    ncol = draw(st.integers(0, 4))
    vals = st.sampled_from([0.0, -0.0, 0.5, 1.0, 2.0, 3.0])
    cols = [np.array(draw(st.lists(vals, min_size=n, max_size=n))) for _ in range(ncol)]
    pairs = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, 5)), max_size=3 * n))
    pr = np.array(sorted(p[0] for p in pairs), dtype=np.int64)  # row order, items shuffled below
    items = np.array([p[1] for p in sorted(pairs)], dtype=np.int64)
    perm = np.random.default_rng(len(pairs)).permutation(len(pr))
    return cols, pr[perm], items[perm], n


@settings(max_examples=200, deadline=None)
@given(rows())
def test_group_rows_is_exact(case):
    cols, set_rows, set_items, n = case
    assert same_partition(profiles.group_rows(cols, set_rows, set_items, n), exact_groups(*case))


@settings(max_examples=100, deadline=None)
@given(rows())
def test_group_rows_is_exact_when_every_hash_collides(case):
    cols, set_rows, set_items, n = case
    original = profiles.row_hash
    profiles.row_hash = lambda cols, r, i, n: np.zeros(n, dtype=np.uint64)  # every row collides
    try:
        got = profiles.group_rows(cols, set_rows, set_items, n)
    finally:
        profiles.row_hash = original
    assert same_partition(got, exact_groups(*case))


@settings(max_examples=100, deadline=None)
@given(catalogs(max_members=3))
def test_profile_keys_match_the_key_matrix_grouping(case):
    """The presolve's profiles equal np.unique over the full key matrix (the former implementation)."""
    table, req = case
    c = candidates(table, [req], np.ones(len(table), dtype=bool))
    if not len(c.offerings):
        return
    group, _ = profile_keys(c, [req])
    p = len(c.offerings)
    amt = req.amounts()[c.offerings]
    cols = [c.minutes.astype(float), *amt.T]
    cols += [req.eligible(k)[c.offerings].astype(float) for k, _ in req.rows() if ":" in k]
    cols += [m[c.offerings].astype(float) for _, m, _ in req.cap_limits()]
    words = np.zeros((p, 1))
    np.add.at(words, (c.pair_o, c.pair_m // 52), np.exp2((c.pair_m % 52).astype(float)))
    _, ref = np.unique(np.column_stack([*cols, *words.T]), axis=0, return_inverse=True)
    assert same_partition(group, ref.reshape(-1))
