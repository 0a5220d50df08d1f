"""Duplicate candidates that stay near-linear on any titles (numbered templates, one-word variants).

Within one (provider, kind) block, every pair whose title cosine reaches the threshold is found,
except pairs whose titles carry different numbers, which `titles.conflict` always rejects; no other
pair is scored. Two steps, both exact:

1. Number signature: the numbers (digits, roman numerals) of each normalized title. Titles with two
   different non-empty signatures conflict ("numbers differ"), so a title is compared only with
   titles of the same signature, and titles without numbers with every title of their block.
   Thousands of "Course 3-123 on topic 4567" titles thus fall into tiny groups.
2. Prefix filtering (Bayardo, Ma and Srikant, "Scaling up all pairs similarity search", WWW 2007):
   TF-IDF rows are unit vectors. List a row's n-grams rarest first; its prefix is the shortest head
   after which the remaining weights have norm < threshold. If cos(x, y) >= threshold, then y shares
   an n-gram with x's prefix (Cauchy-Schwarz bounds the rest below the threshold). Candidates are
   the pairs one sparse product finds that way, and only they are scored. Titles that differ only by
   one word share only common n-grams, which prefixes leave out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from catalog.learning.titles import _ROMAN, conflict, normalize_title, provider_key
from catalog.progress import report
from catalog.records import Offering

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: Pairs scored per batch (bounds memory for the row-wise products).
BATCH = 200_000


def number_signature(normalized: str, roman: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The sorted distinct numbers and roman numerals among the words of a normalized title."""
    return tuple(sorted({w for w in normalized.split() if _NUMBER.fullmatch(w) or w in roman}))


def prefix_matrix(v: sp.csr_matrix, rank: np.ndarray, threshold: float) -> sp.csr_matrix:
    """The entries of each row's prefix (rarest first, until the rest has norm < threshold)."""
    coo = v.tocoo()
    r, c, w = coo.row, coo.col, coo.data
    order = np.lexsort((rank[c], r))
    r, c, w = r[order], c[order], w[order]
    sq = w * w
    cum = np.cumsum(sq)
    start = np.searchsorted(r, np.arange(v.shape[0]))
    before = cum - sq - np.where(start[r] > 0, cum[np.maximum(start[r] - 1, 0)], 0.0)
    rest = np.bincount(r, weights=sq, minlength=v.shape[0])[r] - before  # weight from this entry on
    keep = rest >= threshold * threshold * (1 - 1e-6)  # a margin only lengthens prefixes
    return sp.csr_matrix((w[keep], (r[keep], c[keep])), shape=v.shape)


def _keyed(m: sp.csr_matrix, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, key x n-grams + n-gram) per entry: n-grams of different keys never match."""
    coo = m.tocoo()
    return coo.row, key[coo.row].astype(np.int64) * m.shape[1] + coo.col


def shared_pairs(
    p: sp.csr_matrix, v: sp.csr_matrix, rows_p: np.ndarray, rows_v: np.ndarray, key: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i in rows_p, j in rows_v, same `key`, and i's prefix sharing an n-gram with j."""
    if not len(rows_p) or not len(rows_v):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pr, pk = _keyed(p[rows_p], key[rows_p])
    vr, vk = _keyed(v[rows_v], key[rows_v])
    uniq, inv = np.unique(np.concatenate([pk, vk]), return_inverse=True)
    inv = inv.reshape(-1)
    a = sp.csr_matrix((np.ones(len(pr)), (pr, inv[: len(pr)])), shape=(len(rows_p), len(uniq)))
    b = sp.csr_matrix((np.ones(len(vr)), (vr, inv[len(pr) :])), shape=(len(rows_v), len(uniq)))
    hit = (a @ b.T).tocoo()
    return rows_p[hit.row], rows_v[hit.col]


def proposals(
    offerings: Sequence[Offering], sim, threshold: float
) -> tuple[np.ndarray, list[str], sp.csr_matrix]:
    """The (i, j) pairs, i < j, worth scoring (every pair that can reach the threshold without a
    numbers conflict), the normalized titles and their TF-IDF rows."""
    n = len(offerings)
    norm = [normalize_title(o.title) for o in offerings]
    blocks: dict[tuple[str, str], int] = {}
    block = np.fromiter(
        (blocks.setdefault((provider_key(o.provider), o.kind.value), len(blocks)) for o in offerings),
        np.int64,
        n,
    )
    sigs: dict[tuple[str, ...], int] = {(): 0}
    sig = np.fromiter((sigs.setdefault(number_signature(t, _ROMAN), len(sigs)) for t in norm), np.int64, n)
    v = sim.vectors(norm).tocsr()
    rank = np.argsort(np.argsort(-sim.vectorizer.idf_, kind="stable"), kind="stable")
    p = prefix_matrix(v, rank, threshold)
    everyone = np.arange(n)
    group = block * len(sigs) + sig  # same block and number signature
    i1, j1 = shared_pairs(p, v, everyone, everyone, group)
    plain, numbered = np.flatnonzero(sig == 0), np.flatnonzero(sig != 0)
    i2, j2 = shared_pairs(p, v, plain, numbered, block)  # a title without numbers vs a numbered one
    i3, j3 = shared_pairs(p, v, numbered, plain, block)
    i, j = np.concatenate([i1, i2, i3]), np.concatenate([j1, j2, j3])
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    pairs = np.unique(np.stack([lo[lo < hi], hi[lo < hi]], axis=1), axis=0)
    return pairs.reshape(-1, 2), norm, v


def candidate_pairs(offerings: Sequence[Offering], sim, threshold: float) -> list[tuple[float, int, int]]:
    """(score, i, j) for compatible pairs at or above the threshold with no rule conflict, best first."""
    from catalog.learning.dedup import compatible  # dedup imports this module

    if len(offerings) < 2:
        return []
    pairs, norm, v = proposals(offerings, sim, threshold)
    out = []
    for s0 in range(0, len(pairs), BATCH):
        a, b = pairs[s0 : s0 + BATCH, 0], pairs[s0 : s0 + BATCH, 1]
        score = np.asarray(v[a].multiply(v[b]).sum(axis=1)).ravel()
        for k in np.flatnonzero(score >= threshold):
            x, y = int(a[k]), int(b[k])
            if compatible(offerings[x], offerings[y]) and not conflict(norm[x], norm[y]):
                out.append((round(float(score[k]), 6), x, y))
        report("comparing titles", min(s0 + BATCH, len(pairs)), len(pairs))
    return sorted(out, key=lambda t: (-t[0], t[1], t[2]))
