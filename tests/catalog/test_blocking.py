"""Duplicate candidates (catalog.learning.blocking): exactly the pairs all-pairs comparison would keep,
and near-linear proposal counts on templated titles (numbered templates, one-word variants)."""

from __future__ import annotations

import random
from decimal import Decimal

from catalog.learning.blocking import candidate_pairs, proposals
from catalog.learning.dedup import THRESHOLD, compatible
from catalog.learning.titles import TitleSimilarity, background_titles, conflict, normalize_title
from catalog.records import Offering
from catalog.vocab import Kind, Unit

WORDS = ["venipuncture", "hipaa", "infection", "control", "coding", "basics", "advanced", "ethics",
         "pediatric", "vital", "signs", "refresher", "update", "phlebotomy", "ekg", "safety"]  # fmt: skip


def offering(i: int, title: str, provider: str = "P", credits: str | None = "1") -> Offering:
    return Offering(
        id=f"o{i}",
        provider=provider,
        title=title,
        kind=Kind.COURSE,
        url="",
        credits=None if credits is None else Decimal(credits),
        credit_unit=Unit.CONTACT_HOUR,
    )


def all_pairs(offerings, sim, threshold):
    """The former rule for a block: score every pair of one provider and kind."""
    norm = [normalize_title(o.title) for o in offerings]
    v = sim.vectors(norm).tocsr()
    out = []
    for i in range(len(offerings)):
        for j in range(i + 1, len(offerings)):
            s = float(v[i].multiply(v[j]).sum())
            if s >= threshold and compatible(offerings[i], offerings[j]) and not conflict(norm[i], norm[j]):
                out.append((round(s, 6), i, j))
    return sorted(out, key=lambda t: (-t[0], t[1], t[2]))


def random_catalog(seed: int, n: int) -> list[Offering]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = rng.sample(WORDS, rng.randint(1, 4))
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), str(rng.randint(1, 3)))
        if rng.random() < 0.2:
            words.append("(Online Course)")
        title = " ".join(words)
        if rng.random() < 0.3 and out:  # a near copy of an earlier title
            title = rng.choice(out).title + rng.choice(["", " - 1 CEU", " training", "s"])
        out.append(offering(i, title, rng.choice(["P", "Q"]), rng.choice(["1", "1", "2", None])))
    return out


def test_candidates_equal_all_pairs_on_random_look_alikes():
    for seed in range(6):
        cat = random_catalog(seed, 120)
        sim = TitleSimilarity(background_titles([o.title for o in cat]))
        for provider in ("P", "Q"):
            block = [o for o in cat if o.provider == provider]
            assert candidate_pairs(block, sim, THRESHOLD) == all_pairs(block, sim, THRESHOLD)


def templated(n: int, kind: str) -> list[Offering]:
    """10 providers x n titles that differ only by numbers, or only by one word."""
    rng = random.Random(n)
    out = []
    for p in range(10):
        for _ in range(n):
            if kind == "numbers":
                title = f"Course {rng.randint(1, 9)}-{rng.randint(1, 999)} on topic {rng.randint(1, 9999)}"
            else:
                word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
                title = f"Medical assistant course on {word}"
            out.append(offering(len(out), title, f"Provider {p}"))
    return out


def test_templated_titles_propose_near_linear_pair_counts():
    for kind in ("numbers", "word"):
        counts = {}
        for n in (400, 1600):
            cat = templated(n, kind)
            sim = TitleSimilarity(background_titles([o.title for o in cat]))
            counts[n] = len(proposals(cat, sim, THRESHOLD)[0])
        # all-pairs within a provider would be 10 x n^2 / 2 (800,000 and 12.8 million pairs)
        assert all(c <= 10 * n for n, c in counts.items()), (kind, counts)


def test_a_real_duplicate_among_templated_titles_is_still_found():
    cat = templated(300, "numbers")
    cat.append(offering(len(cat), cat[5].title + " (Online Course)", cat[5].provider))
    sim = TitleSimilarity(background_titles([o.title for o in cat]))
    found = {(i, j) for _, i, j in candidate_pairs(cat, sim, THRESHOLD)}
    assert (5, len(cat) - 1) in found
