"""AAMA content-area classifier: TF-IDF word + character n-grams and a calibrated linear model.

Trained on data/labels/areas.csv (catalog.learning.labels; hand-written titles for the CMA (AAMA) exam content outline
topics, see data/labels/README.md) plus the areas providers state in the catalog. `train`
picks the model by 5-fold cross-validated macro-F1 (ties broken by log loss, the better
calibrated wins); `evaluate` reports the chosen configuration's cross-validated scores.
Imports scikit-learn: never import this module from the `recommender` package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from catalog.learning.labels import LabeledSet, LabelError, load_labels
from catalog.vocab import AREAS

FOLDS = 5
MIN_EXAMPLES = 30
MIN_PER_CLASS = FOLDS
MODEL_FILE = "classifier.joblib"
METRICS_FILE = "classifier_metrics.json"
#: Candidate configurations compared by cross-validation (name, estimator kind, parameters).
CANDIDATES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("logreg_C3", "logreg", {"C": 3.0}),
    ("logreg_C10", "logreg", {"C": 10.0}),
    ("logreg_C30", "logreg", {"C": 30.0}),
    ("svm_sigmoid_C0.3", "svm", {"C": 0.3}),
    ("svm_sigmoid_C1", "svm", {"C": 1.0}),
)
#: Macro-F1 differences below this are ties; the lower log loss (better calibration) wins.
TIE = 0.01


#: Words that say nothing about the content area: course formats, credit words, credential and body
#: names, and the provenance notes manual CSV descriptions carry. Removing them lowers the model's
#: confidence on generic listings ("CE meeting", "online tests") instead of letting it guess.
GENERIC = re.compile(
    r"\b(medical assist(?:ants?|ing)|mas?|continuing education|ce|ceus?|credits?|contact hours?|hours?|courses?|"
    r"online|training|programs?|modules?|series|essentials|basics|fundamentals|introduction|review|update|"
    r"refresher|recertification|certification|certified|credentialed|approved|points?|aama|amt|nha|ncct|amca|"
    r"cma|rma|ccma|price|source|article|page|third-party|transcript|the|for|in|of|and|a|an|to|with|on)\b",
    re.IGNORECASE,
)


def text_of(title: str, description: str | None) -> str:
    """Model input: the title twice (it is the strongest signal) and the description, generic words removed."""
    title = title or ""
    text = f"{title} . {title} . {description or ''}"
    return re.sub(r"\s+", " ", GENERIC.sub(" ", text)).strip()


def _features():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=1,
                    strip_accents="unicode",
                    lowercase=True,
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                    strip_accents="unicode",
                    lowercase=True,
                ),
            ),
        ]
    )


def _estimator(kind: str, params: dict[str, Any]):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    if kind == "logreg":
        return LogisticRegression(C=params["C"], solver="newton-cg", max_iter=1000, class_weight="balanced")
    if kind == "svm":
        return CalibratedClassifierCV(
            LinearSVC(C=params["C"], class_weight="balanced"), method="sigmoid", cv=3
        )
    raise ValueError(f"unknown model kind {kind!r}")


def _pipeline(kind: str, params: dict[str, Any]):
    from sklearn.pipeline import Pipeline

    return Pipeline([("features", _features()), ("model", _estimator(kind, params))])


def check_trainable(labels: LabeledSet, folds: int = FOLDS) -> None:
    """Raise LabelError unless the set is big enough and has at least two well-populated classes."""
    counts = labels.counts()
    if len(labels) < MIN_EXAMPLES:
        raise LabelError(
            f"labeled set too small to train: {len(labels)} examples, need at least {MIN_EXAMPLES}"
        )
    if len(counts) < 2:
        only = next(iter(counts), "none")
        raise LabelError(f"labeled set has a single class ({only}); need examples of at least two areas")
    thin = {a: n for a, n in counts.items() if n < max(folds, MIN_PER_CLASS)}
    if thin:
        detail = ", ".join(f"{a}={n}" for a, n in thin.items())
        raise LabelError(
            f"labeled set too small: each area needs at least {max(folds, MIN_PER_CLASS)} "
            f"examples for {folds}-fold cross-validation ({detail})"
        )


def _folds(labels: LabeledSet, folds: int, *, title_only_test: bool = False) -> list[tuple]:
    """Per fold: (train matrix, test matrix, train y, test index); features fitted on the train part only."""
    from sklearn.model_selection import StratifiedKFold

    X = np.array(
        [text_of(t, d) for t, d in zip(labels.titles, labels.descriptions, strict=True)], dtype=object
    )
    Xt = np.array([text_of(t, "") for t in labels.titles], dtype=object) if title_only_test else X
    y = np.array(labels.areas)
    out = []
    for tr, te in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(X, y):
        feats = _features()
        out.append((feats.fit_transform(list(X[tr])), feats.transform(list(Xt[te])), y[tr], te))
    return out


def _cv(
    labels: LabeledSet, kind: str, params: dict[str, Any], folds: int | list[tuple]
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold predicted labels and probabilities (classes in sorted order)."""
    parts = _folds(labels, folds) if isinstance(folds, int) else folds
    classes = np.array(sorted(set(labels.areas)))
    proba = np.zeros((len(labels), len(classes)))
    for Xtr, Xte, ytr, te in parts:
        model = _estimator(kind, params).fit(Xtr, ytr)
        cols = np.searchsorted(classes, model.classes_)
        proba[np.ix_(te, cols)] = model.predict_proba(Xte)
    return classes[proba.argmax(axis=1)], proba


def select(
    labels: LabeledSet, folds: int = FOLDS, *, _oof: dict | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Compare CANDIDATES by cross-validation; return the winner's name and the comparison table.

    `_oof`, when given, receives each candidate's out-of-fold (predictions, probabilities).
    """
    from sklearn.metrics import f1_score, log_loss

    check_trainable(labels, folds)
    classes = sorted(set(labels.areas))
    parts = _folds(labels, folds)
    table = []
    for name, kind, params in CANDIDATES:
        pred, proba = _cv(labels, kind, params, parts)
        if _oof is not None:
            _oof[name] = (pred, proba)
        table.append(
            {
                "name": name,
                "macro_f1": round(float(f1_score(labels.areas, pred, average="macro")), 4),
                "log_loss": round(float(log_loss(labels.areas, proba, labels=classes)), 4),
            }
        )
    best_f1 = max(r["macro_f1"] for r in table)
    near = [r for r in table if r["macro_f1"] >= best_f1 - TIE]
    return min(near, key=lambda r: r["log_loss"])["name"], table


@dataclass
class AreaModel:
    """A fitted pipeline plus what it was trained on."""

    pipeline: Any
    config: str
    classes: tuple[str, ...]
    trained_on: dict[str, int]
    selection: list[dict[str, Any]] = field(default_factory=list)

    def predict(
        self, titles: Sequence[str], descriptions: Sequence[str | None] | None = None
    ) -> tuple[list[str], list[float]]:
        """Most probable area and its probability for each (title, description)."""
        descs = list(descriptions) if descriptions is not None else [""] * len(titles)
        if len(descs) != len(titles):
            raise ValueError(f"{len(titles)} titles but {len(descs)} descriptions")
        if not titles:
            return [], []
        proba = self.pipeline.predict_proba([text_of(t, d) for t, d in zip(titles, descs, strict=True)])
        classes = list(self.pipeline.classes_)
        best = proba.argmax(axis=1)
        return [classes[i] for i in best], [round(float(p), 4) for p in proba[np.arange(len(best)), best]]

    def save(self, directory: str | Path, metrics: dict[str, Any] | None = None) -> Path:
        """Write classifier.joblib (and classifier_metrics.json when given) into `directory`."""
        import joblib

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, d / MODEL_FILE)
        if metrics is not None:
            (d / METRICS_FILE).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
        return d / MODEL_FILE


def load_model(path: str | Path) -> AreaModel:
    """Load a model written by AreaModel.save (a file, or a directory holding classifier.joblib)."""
    import joblib

    p = Path(path)
    if p.is_dir():
        p = p / MODEL_FILE
    if not p.is_file():
        raise LabelError(f"{p}: no saved classifier")
    model = joblib.load(p)
    if not isinstance(model, AreaModel):
        raise LabelError(f"{p}: not a saved AreaModel")
    return model


def train(labels: LabeledSet | None = None, *, config: str | None = None, folds: int = FOLDS) -> AreaModel:
    """Fit the classifier. Without `config`, choose it by cross-validation over CANDIDATES."""
    labels = labels if labels is not None else load_labels()
    check_trainable(labels, folds)
    selection: list[dict[str, Any]] = []
    if config is None:
        config, selection = select(labels, folds)
    kind, params = _candidate(config)
    pipe = _pipeline(kind, params)
    pipe.fit([text_of(t, d) for t, d in zip(labels.titles, labels.descriptions, strict=True)], labels.areas)
    return AreaModel(pipe, config, tuple(pipe.classes_), labels.counts(), selection)


def _candidate(name: str) -> tuple[str, dict[str, Any]]:
    for n, kind, params in CANDIDATES:
        if n == name:
            return kind, params
    raise ValueError(
        f"unknown classifier configuration {name!r}; known: {', '.join(n for n, _, _ in CANDIDATES)}"
    )


def evaluate(
    labels: LabeledSet | None = None, *, config: str | None = None, folds: int = FOLDS
) -> dict[str, Any]:
    """Cross-validated report: macro-F1, per-class precision/recall/F1, confusion matrix.

    Without `config` the model is first chosen by cross-validation, and the report also gives the
    comparison table. The reported scores are those of the chosen configuration on the same folds.
    """
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    labels = labels if labels is not None else load_labels()
    check_trainable(labels, folds)
    selection: list[dict[str, Any]] = []
    oof: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if config is None:
        config, selection = select(labels, folds, _oof=oof)
    kind, params = _candidate(config)
    pred, proba = oof[config] if config in oof else _cv(labels, kind, params, folds)
    classes = [a for a in AREAS if a in set(labels.areas)]
    p, r, f, s = precision_recall_fscore_support(labels.areas, pred, labels=classes, zero_division=0)
    title_only = _title_only_f1(labels, kind, params, folds)
    return {
        "folds": folds,
        "examples": len(labels),
        "by_group": _group_counts(labels),
        "config": config,
        "selection": selection,
        "macro_f1": round(float(f1_score(labels.areas, pred, average="macro")), 4),
        "title_only_macro_f1": title_only,
        "accuracy": round(float(np.mean(np.array(pred) == np.array(labels.areas))), 4),
        "per_class": {
            c: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, c in enumerate(classes)
        },
        "confusion": {
            "labels": classes,
            "matrix": confusion_matrix(labels.areas, pred, labels=classes).tolist(),
        },
        "confidence": _confidence_table(labels.areas, pred, proba),
    }


def _title_only_f1(labels: LabeledSet, kind: str, params: dict[str, Any], folds: int) -> float:
    """Macro-F1 when predicting from titles alone (models trained with descriptions)."""
    from sklearn.metrics import f1_score

    pred, _ = _cv(labels, kind, params, _folds(labels, folds, title_only_test=True))
    return round(float(f1_score(labels.areas, pred, average="macro")), 4)


def _confidence_table(truth: Sequence[str], pred: Sequence[str], proba: np.ndarray) -> list[dict[str, Any]]:
    """Out-of-fold accuracy above each confidence threshold: how trustworthy a cut-off is."""
    conf = proba.max(axis=1)
    right = np.array(truth) == np.array(pred)
    rows = []
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        keep = conf >= t
        rows.append(
            {
                "threshold": t,
                "coverage": round(float(keep.mean()), 4),
                "accuracy": round(float(right[keep].mean()), 4) if keep.any() else None,
            }
        )
    return rows


def _group_counts(labels: LabeledSet) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in labels.groups or ["labels"] * len(labels):
        out[g] = out.get(g, 0) + 1
    return dict(sorted(out.items()))


def format_report(report: dict[str, Any]) -> str:
    """The evaluation report as plain text for the terminal."""
    groups = report["by_group"]
    stated = groups.get("catalog_stated", 0)
    lines = [
        f"{report['folds']}-fold cross-validation on {report['examples']} labeled titles: "
        f"{report['examples'] - stated} from data/labels ({len(groups) - bool(stated)} topic groups), "
        f"{stated} provider-stated areas from the catalog"
    ]
    if report["selection"]:
        lines.append("model selection (macro-F1, log loss):")
        for r in report["selection"]:
            mark = "*" if r["name"] == report["config"] else " "
            lines.append(f" {mark} {r['name']:<18} {r['macro_f1']:.4f}  {r['log_loss']:.4f}")
    lines.append(f"chosen: {report['config']}")
    lines.append(
        f"macro-F1: {report['macro_f1']:.4f}   accuracy: {report['accuracy']:.4f}   "
        f"title-only macro-F1: {report['title_only_macro_f1']:.4f}"
    )
    lines.append(f"{'area':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
    for c, m in report["per_class"].items():
        lines.append(f"{c:<16}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>10.4f}{m['support']:>9}")
    labels = report["confusion"]["labels"]
    lines.append("confusion matrix (rows = true, columns = predicted):")
    lines.append(" " * 16 + "".join(f"{c[:14]:>16}" for c in labels))
    for c, row in zip(labels, report["confusion"]["matrix"], strict=True):
        lines.append(f"{c:<16}" + "".join(f"{n:>16}" for n in row))
    lines.append("accuracy by confidence threshold (out-of-fold):")
    for r in report["confidence"]:
        acc = "-" if r["accuracy"] is None else f"{r['accuracy']:.4f}"
        lines.append(f"  >= {r['threshold']:.1f}: coverage {r['coverage']:.4f}, accuracy {acc}")
    return "\n".join(lines)
