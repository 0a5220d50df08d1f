"""A compressed sparse matrix built with numpy alone: the optimizer's model needs no scipy.

HiGHS takes the constraint matrix column-wise (start, index, value arrays) and the pre-check reads
it row-wise; nothing else is asked of it, so `recommend` does not pay for importing scipy.sparse
(with scipy's array-API layer, about a third of its start-up). Built like scipy's
`csc_matrix((data, (row, col)))`: entries sorted by index within each column (row), duplicates
summed, explicit zeros kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Compressed:
    """A sparse matrix compressed by column (`by_column`, CSC) or by row (CSR)."""

    shape: tuple[int, int]
    indptr: np.ndarray  # int64, one more than the compressed dimension
    indices: np.ndarray  # int64 row (CSC) or column (CSR) of each stored entry
    data: np.ndarray  # float64
    by_column: bool = True

    @classmethod
    def from_entries(
        cls,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        shape: tuple[int, int],
        *,
        by_column: bool = True,
    ) -> Compressed:
        """The matrix with `vals` at (`rows`, `cols`); repeated positions are summed."""
        rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
        major, minor = (cols, rows) if by_column else (rows, cols)
        n_major, n_minor = (shape[1], shape[0]) if by_column else shape
        width = max(n_minor, 1)
        keys, order = _sorted_keys(major * width + minor, n_major * width)
        vals = np.asarray(vals, np.float64)[order]
        if len(keys) > 1:
            new = np.flatnonzero(keys[1:] != keys[:-1]) + 1
            if len(new) + 1 < len(keys):  # repeated positions: sum them
                starts = np.concatenate([[0], new])
                keys, vals = keys[starts], np.add.reduceat(vals, starts)
        major, minor = np.divmod(keys, width)
        indptr = np.zeros(n_major + 1, np.int64)
        np.cumsum(np.bincount(major, minlength=n_major), out=indptr[1:])
        return cls(shape, indptr, minor, vals, by_column)

    def _entries(self) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of each stored entry."""
        major = np.repeat(np.arange(len(self.indptr) - 1, dtype=np.int64), np.diff(self.indptr))
        return (self.indices, major) if self.by_column else (major, self.indices)

    def tocsc(self) -> Compressed:
        """This matrix compressed by column."""
        return self if self.by_column else Compressed.from_entries(*self._entries(), self.data, self.shape)

    def tocsr(self) -> Compressed:
        """This matrix compressed by row."""
        if not self.by_column:
            return self
        return Compressed.from_entries(*self._entries(), self.data, self.shape, by_column=False)


def _sorted_keys(keys: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """`keys` (in [0, bound)) sorted, and the stable order that sorts them.

    When a key and its position fit in 63 bits together, both are packed into one int64 and
    sorted by `np.sort` (numpy's vectorized sort), several times faster than a stable argsort.
    """
    bits = max(len(keys), 1).bit_length()
    if int(bound).bit_length() + bits > 63:
        order = np.argsort(keys, kind="stable")
        return keys[order], order
    packed = (keys << bits) | np.arange(len(keys), dtype=np.int64)
    packed.sort()
    return packed >> bits, packed & ((1 << bits) - 1)
