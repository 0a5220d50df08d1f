"""The labeled pair set (data/labels/duplicate_pairs.csv): how well the duplicate detector does.

`evaluate_pairs` measures precision and recall at the shipped threshold, chooses the best threshold
on the set (`choose_threshold`) and checks it split-half; `catalog classify --evaluate` prints it.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from catalog.learning.dedup import THRESHOLD, compatible
from catalog.learning.titles import TitleSimilarity, background_titles, conflict, normalize_title
from catalog.records import Offering
from catalog.vocab import Kind, Unit


@dataclass
class Pair:
    provider_a: str
    title_a: str
    credits_a: Decimal | None
    provider_b: str
    title_b: str
    credits_b: Decimal | None
    same: bool
    case: str = ""


def default_pairs_path() -> Path:
    return Path(str(files("ceu_data") / "labels" / "duplicate_pairs.csv"))


def load_pairs(path: str | Path | None = None) -> list[Pair]:
    p = Path(path) if path else default_pairs_path()
    out = []
    with open(p, newline="", encoding="utf-8-sig") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            if r["same"] not in ("0", "1"):
                raise ValueError(f"{p}:{line}:same: must be 0 or 1")
            out.append(
                Pair(
                    r["provider_a"],
                    r["title_a"],
                    _dec(r["credits_a"]),
                    r["provider_b"],
                    r["title_b"],
                    _dec(r["credits_b"]),
                    r["same"] == "1",
                    r.get("case") or "",
                )
            )
    return out


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text and text.strip() else None


def _pair_offerings(p: Pair) -> tuple[Offering, Offering]:
    def one(provider: str, title: str, credits: Decimal | None, tag: str) -> Offering:
        return Offering(
            id=tag,
            provider=provider,
            title=title,
            kind=Kind.COURSE,
            url="https://example.invalid/",
            credits=credits,
            credit_unit=Unit.CONTACT_HOUR,
        )

    return one(p.provider_a, p.title_a, p.credits_a, "a"), one(p.provider_b, p.title_b, p.credits_b, "b")


def pair_scores(pairs: Sequence[Pair], sim: TitleSimilarity | None = None) -> np.ndarray:
    """Cosine per pair, or -1 when blocking or a rule already says 'different'."""
    sim = sim or TitleSimilarity(background_titles([t for p in pairs for t in (p.title_a, p.title_b)]))
    scores = []
    for p in pairs:
        a, b = _pair_offerings(p)
        if not compatible(a, b) or conflict(normalize_title(a.title), normalize_title(b.title)):
            scores.append(-1.0)
        else:
            scores.append(sim.pair(a.title, b.title))
    return np.array(scores)


def precision_recall(scores: np.ndarray, same: np.ndarray, threshold: float) -> tuple[float, float]:
    pred = scores >= threshold
    tp = int((pred & same).sum())
    precision = tp / int(pred.sum()) if pred.any() else 1.0
    recall = tp / int(same.sum()) if same.any() else 1.0
    return precision, recall


def choose_threshold(scores: np.ndarray, same: np.ndarray, min_precision: float = 0.95) -> float:
    """The threshold (0.30-1.00, step 0.01) with the best F1 among those with precision >= min_precision;
    of equally good thresholds, the middle one (the widest margin on both sides)."""
    grid = [round(float(t), 2) for t in np.arange(0.30, 1.0001, 0.01)]
    keys = []
    for t in grid:
        p, r = precision_recall(scores, same, t)
        keys.append((p >= min_precision, round(2 * p * r / (p + r), 6) if p + r else 0.0))
    best = max(keys)
    ties = [t for t, k in zip(grid, keys, strict=True) if k == best]
    return ties[len(ties) // 2]


def evaluate_pairs(path: str | Path | None = None, threshold: float | None = None) -> dict[str, Any]:
    """Precision and recall on the labeled pair set, at the shipped threshold and at the chosen one;
    plus a split-half check (threshold chosen on even rows, measured on odd rows)."""
    pairs = load_pairs(path)
    scores = pair_scores(pairs)
    same = np.array([p.same for p in pairs])
    shipped = THRESHOLD if threshold is None else threshold
    chosen = choose_threshold(scores, same)
    p, r = precision_recall(scores, same, shipped)
    pc, rc = precision_recall(scores, same, chosen)
    even, odd = np.arange(0, len(pairs), 2), np.arange(1, len(pairs), 2)
    half_t = choose_threshold(scores[even], same[even])
    ph, rh = precision_recall(scores[odd], same[odd], half_t)
    pred = scores >= shipped
    errors = [
        {
            "title_a": pairs[i].title_a,
            "title_b": pairs[i].title_b,
            "same": bool(same[i]),
            "score": round(float(scores[i]), 3),
            "case": pairs[i].case,
        }
        for i in range(len(pairs))
        if pred[i] != same[i]
    ]
    return {
        "pairs": len(pairs),
        "duplicates": int(same.sum()),
        "threshold": shipped,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "chosen_threshold": chosen,
        "chosen_precision": round(pc, 4),
        "chosen_recall": round(rc, 4),
        "split_half": {"threshold": half_t, "precision": round(ph, 4), "recall": round(rh, 4)},
        "errors": errors,
    }


def format_pair_report(rep: dict[str, Any]) -> str:
    lines = [
        f"duplicate detection on {rep['pairs']} labeled pairs ({rep['duplicates']} duplicates):",
        f"  threshold {rep['threshold']}: precision {rep['precision']:.4f}, recall {rep['recall']:.4f}",
        f"  best threshold on this set {rep['chosen_threshold']}: precision {rep['chosen_precision']:.4f}, "
        f"recall {rep['chosen_recall']:.4f}",
        f"  split-half (chosen on even rows = {rep['split_half']['threshold']}, measured on odd rows): "
        f"precision {rep['split_half']['precision']:.4f}, recall {rep['split_half']['recall']:.4f}",
    ]
    for e in rep["errors"]:
        kind = "missed duplicate" if e["same"] else "false merge"
        lines.append(f"  {kind}: {e['title_a']!r} / {e['title_b']!r} (score {e['score']}, {e['case']})")
    return "\n".join(lines)
