"""catalog/learning/pairs.py: the duplicate detector measured on the labeled pair set."""

from __future__ import annotations

import numpy as np

from catalog.learning.dedup import THRESHOLD
from catalog.learning.pairs import choose_threshold, evaluate_pairs, load_pairs, pair_scores


def test_shipped_pair_set_meets_precision_and_recall_targets():
    rep = evaluate_pairs()
    assert rep["pairs"] >= 150 and 0.3 < rep["duplicates"] / rep["pairs"] < 0.7
    assert rep["precision"] >= 0.95
    assert rep["recall"] >= 0.90
    assert rep["split_half"]["precision"] >= 0.95 and rep["split_half"]["recall"] >= 0.90


def test_shipped_threshold_is_the_one_the_pair_set_chooses():
    pairs = load_pairs()
    assert choose_threshold(pair_scores(pairs), np.array([p.same for p in pairs])) == THRESHOLD


def test_choose_threshold_prefers_precision_then_the_middle_of_a_plateau():
    scores = np.array([0.95, 0.9, 0.5, 0.45, -1.0])
    same = np.array([True, True, False, False, False])
    t = choose_threshold(scores, same)
    assert 0.5 < t <= 0.9
    assert abs(t - 0.7) <= 0.02
