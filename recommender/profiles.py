"""Exact grouping of rows by identical key columns plus an identical set, in bounded memory.

`group_rows` replaces `np.unique(np.column_stack(cols), axis=0)`: it never builds the key matrix.
Each row gets a 64-bit hash (its columns mixed in one after another, its set hashed as a wrapping
sum of per-member hashes, so order does not matter); rows are grouped by hash with one 1-D sort;
then every row is compared with its group's first row, column by column and member by member.
Rows of a group where any comparison fails (a hash collision) are regrouped exactly in Python
(tuple keys), so the result is exact whatever the hash does; collisions are in practice absent.
Memory: the columns as given plus a few int64/uint64 vectors per row.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finalizer, elementwise over uint64 (wrapping arithmetic)."""
    z = x.astype(np.uint64) + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def _bits(col: np.ndarray) -> np.ndarray:
    """A column as uint64 words equal exactly when the values are equal (floats: -0.0 == 0.0)."""
    if col.dtype.kind == "f":
        return (col.astype(np.float64) + 0.0).view(np.uint64)
    return col.astype(np.int64).view(np.uint64)


def row_hash(cols: list[np.ndarray], set_rows: np.ndarray, set_items: np.ndarray, n: int) -> np.ndarray:
    """One uint64 per row: its columns mixed in order, plus the wrapping sum of its set members' hashes."""
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in cols:
            h = splitmix64(h ^ _bits(col))
        s = np.zeros(n, dtype=np.uint64)
        if len(set_rows):
            np.add.at(s, set_rows, splitmix64(set_items.astype(np.uint64) ^ _M2))
        return splitmix64(h ^ s)


def group_rows(cols: list[np.ndarray], set_rows: np.ndarray, set_items: np.ndarray, n: int) -> np.ndarray:
    """Group id (0..G-1) per row: equal ids exactly when every column and the item set are equal.

    `set_rows`/`set_items` list each row's set as (row, item) pairs, each pair once.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    _, first, group = np.unique(
        row_hash(cols, set_rows, set_items, n), return_index=True, return_inverse=True
    )
    group = group.reshape(-1).astype(np.int64)
    rep = first[group]  # the first row of each row's group
    bad = np.zeros(n, dtype=bool)
    for col in cols:
        b = _bits(col)
        bad |= b != b[rep]
    # sets: same size, then the same sorted members at each position
    order = np.lexsort((set_items, set_rows))
    rows, items = set_rows[order], set_items[order]
    size = np.bincount(rows, minlength=n)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    bad |= size != size[rep]
    if len(rows):
        k = np.arange(len(rows)) - start[rows]
        other = np.minimum(start[rep[rows]] + k, len(rows) - 1)
        bad[rows[items != items[other]]] = True
    if bad.any():
        group = _regroup(group, bad, cols, items, start, size)
    return group


def _regroup(
    group: np.ndarray,
    bad: np.ndarray,
    cols: list[np.ndarray],
    items: np.ndarray,
    start: np.ndarray,
    size: np.ndarray,
) -> np.ndarray:
    """Exact ids for every row of a group with a collision: tuple keys in Python (rare, small)."""
    hit = np.isin(group, np.unique(group[bad]))
    idx = np.flatnonzero(hit)
    keys: dict[tuple, int] = {}
    fresh = np.empty(len(idx), dtype=np.int64)
    for j, i in enumerate(idx):
        key = (
            *(_bits(c[i : i + 1])[0].item() for c in cols),
            tuple(items[start[i] : start[i] + size[i]].tolist()),
        )
        fresh[j] = keys.setdefault(key, len(keys))
    out = group.copy()
    out[idx] = int(group.max()) + 1 + fresh
    _, out = np.unique(out, return_inverse=True)
    return out.reshape(-1).astype(np.int64)
