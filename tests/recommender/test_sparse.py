"""recommender.sparse builds the same compressed matrices as scipy.sparse (which planning no longer imports)."""

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.sparse import Compressed, _sorted_keys


@st.composite
def entries(draw):
    n_rows, n_cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    n = draw(st.integers(0, 25))
    rows = draw(st.lists(st.integers(0, n_rows - 1), min_size=n, max_size=n))
    cols = draw(st.lists(st.integers(0, n_cols - 1), min_size=n, max_size=n))
    vals = draw(st.lists(st.sampled_from([0.0, 1.0, -1.0, 2.5, 30.0]), min_size=n, max_size=n))
    return np.array(rows, np.int64), np.array(cols, np.int64), np.array(vals), (n_rows, n_cols)


def same(ours: Compressed, theirs) -> bool:
    return (
        ours.shape == theirs.shape
        and np.array_equal(ours.indptr, theirs.indptr)
        and np.array_equal(ours.indices, theirs.indices)
        and np.array_equal(ours.data, theirs.data)
    )


@settings(max_examples=200, deadline=None)
@given(entries())
def test_compressed_matches_scipy(e):
    """Sorted indices, repeated positions summed, explicit zeros kept: scipy's csc/csr from COO."""
    rows, cols, vals, shape = e
    csc = Compressed.from_entries(rows, cols, vals, shape)
    assert same(csc, sp.csc_matrix((vals, (rows, cols)), shape=shape))
    assert same(csc.tocsr(), sp.csr_matrix((vals, (rows, cols)), shape=shape).tocsr())
    assert same(csc.tocsr().tocsc(), sp.csc_matrix((vals, (rows, cols)), shape=shape))
    assert np.array_equal(
        np.asarray(sp.csc_matrix((csc.data, csc.indices, csc.indptr), shape=shape).todense()),
        np.asarray(sp.coo_matrix((vals, (rows, cols)), shape=shape).todense()),
    )


@given(st.lists(st.integers(0, 50), max_size=40), st.sampled_from([51, 2**40, 2**62]))
def test_sorted_keys_is_a_stable_argsort(keys, bound):
    """Both ways (packed sort; argsort when key and position do not fit in 63 bits) give the stable order."""
    k = np.array(keys, np.int64)
    got_keys, order = _sorted_keys(k, bound)
    assert np.array_equal(order, np.argsort(k, kind="stable"))
    assert np.array_equal(got_keys, np.sort(k))
