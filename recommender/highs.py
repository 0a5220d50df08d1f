"""HiGHS glue shared by the MILP (solve.py) and the small allocation LPs (counting.py).

highspy is imported lazily (it is not needed to print `--help`); scipy.optimize is never needed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import numpy as np


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Discard anything written to file descriptor 1 (HiGHS' C++ banner) meanwhile."""
    try:
        sys.stdout.flush()
        fd = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(fd, 1)
        os.close(fd)
        os.close(null)


def new_highs():
    """A silent `highspy.Highs` instance."""
    import highspy

    with quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    return h


def solve_lp(
    cost: np.ndarray, a_ub: np.ndarray, b_ub: np.ndarray, upper: np.ndarray
) -> tuple[bool, np.ndarray | None, float | None]:
    """min cost @ x  s.t.  a_ub @ x <= b_ub, 0 <= x <= upper (a small dense LP): (optimal, x, objective)."""
    import highspy

    a_ub = np.atleast_2d(np.asarray(a_ub, dtype=np.float64))
    n_rows, n_cols = a_ub.shape
    cols, rows = np.nonzero(a_ub.T)  # column-major order, as the CSC format wants
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.asarray(upper, dtype=np.float64)
    lp.row_lower_ = np.full(n_rows, -np.inf)
    lp.row_upper_ = np.asarray(b_ub, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = n_rows
    lp.a_matrix_.start_ = np.searchsorted(cols, np.arange(n_cols + 1)).astype(np.int32)
    lp.a_matrix_.index_ = rows.astype(np.int32)
    lp.a_matrix_.value_ = a_ub.T[cols, rows]
    h = new_highs()
    with quiet_stdout():
        h.passModel(lp)
        h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return False, None, None
    return True, np.asarray(h.getSolution().col_value), float(h.getInfo().objective_function_value)
