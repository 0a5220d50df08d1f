"""The content-area classifier trained on the shipped labels (data/labels/areas.csv)."""

from __future__ import annotations

import csv
import json

import pytest

from catalog.learning.classifier import CANDIDATES, METRICS_FILE, MODEL_FILE, TIE, evaluate, load_model, train
from catalog.learning.labels import LabeledSet, LabelError, load_labels
from catalog.vocab import AREAS
from tests.helpers import REPO

LABELS = REPO / "data" / "labels"


@pytest.fixture(scope="module")
def labels() -> LabeledSet:
    return load_labels()


@pytest.fixture(scope="module")
def report(labels):
    return evaluate(labels)


@pytest.fixture(scope="module")
def model(labels):
    return train(labels, config="logreg_C30")


def test_shipped_labels_have_400_titles_in_all_three_areas(labels):
    assert len(labels) >= 400
    assert set(labels.areas) == set(AREAS)
    assert min(labels.counts().values()) >= 100


def test_every_label_group_is_explained_in_the_readme():
    readme = (LABELS / "README.md").read_text()
    with open(LABELS / "areas.csv", newline="") as f:
        groups = {r["group"] for r in csv.DictReader(f)}
    assert groups
    assert [g for g in sorted(groups) if f"`{g}`" not in readme] == []


def test_cross_validated_macro_f1_meets_the_target(report):
    assert report["folds"] == 5
    assert report["macro_f1"] >= 0.85
    assert set(report["per_class"]) == set(AREAS)
    for m in report["per_class"].values():
        assert 0.7 <= m["precision"] <= 1 and 0.7 <= m["recall"] <= 1


def test_confusion_matrix_counts_every_example_once(report, labels):
    matrix = report["confusion"]["matrix"]
    assert sum(map(sum, matrix)) == len(labels)
    assert [sum(row) for row in matrix] == [labels.areas.count(a) for a in report["confusion"]["labels"]]


def test_selection_takes_the_best_calibrated_of_the_top_macro_f1(report):
    table = {r["name"]: r for r in report["selection"]}
    assert set(table) == {n for n, _, _ in CANDIDATES}
    best = max(r["macro_f1"] for r in table.values())
    chosen = table[report["config"]]
    assert chosen["macro_f1"] >= best - TIE
    assert all(r["log_loss"] >= chosen["log_loss"] for r in table.values() if r["macro_f1"] >= best - TIE)


def test_higher_confidence_means_higher_out_of_fold_accuracy(report):
    rows = report["confidence"]
    accuracies = [r["accuracy"] for r in rows]
    assert accuracies == sorted(accuracies)
    assert next(r for r in rows if r["threshold"] == 0.8)["accuracy"] >= 0.9


@pytest.mark.parametrize(
    "title, description, area",
    [
        ("Venipuncture technique and order of draw", "Collecting blood specimens safely.", "clinical"),
        ("ICD-10-CM diagnosis coding for diabetes", "", "administrative"),
        ("Insurance eligibility verification at check-in", None, "administrative"),
        ("HIPAA privacy rule and patient confidentiality", "Law for the medical office.", "general"),
        ("Administering intramuscular injections", "", "clinical"),
        ("Professional ethics and boundaries", "", "general"),
    ],
)
def test_predicts_obvious_titles_even_without_a_description(model, title, description, area):
    areas, conf = model.predict([title], [description])
    assert areas == [area]
    assert 0.5 < conf[0] <= 1.0


def test_generic_listing_gets_a_low_confidence(model):
    _, conf = model.predict(["Annual chapter meeting", "Quarterly newsletter quiz"], None)
    assert max(conf) < 0.8


def test_predict_rejects_mismatched_lengths(model):
    with pytest.raises(ValueError, match="2 titles but 1 descriptions"):
        model.predict(["a", "b"], ["x"])


def _set(areas: list[str]) -> LabeledSet:
    return LabeledSet([f"title {i}" for i in range(len(areas))], [""] * len(areas), areas, [])


@pytest.mark.parametrize(
    "areas, message",
    [
        (["clinical"] * 10 + ["general"] * 10, "too small to train: 20 examples"),
        (["clinical"] * 40, "single class (clinical)"),
        (["clinical"] * 40 + ["general"] * 3, "each area needs at least 5 examples"),
    ],
)
def test_refuses_to_train_on_a_set_too_small_or_single_class(areas, message):
    with pytest.raises(LabelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        train(_set(areas))


def test_bad_label_row_names_file_line_and_column(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("title,description,area\nPhlebotomy,,clinical\nCoding,,billing\n")
    with pytest.raises(LabelError, match=r"labels.csv:3:area: unknown area 'billing'"):
        load_labels(path)


def test_saved_model_predicts_the_same_and_keeps_its_metrics(model, tmp_path):
    model.save(tmp_path, {"macro_f1": 0.9})
    again = load_model(tmp_path)
    titles = ["Phlebotomy basics", "Medical billing", "Medical ethics"]
    assert again.predict(titles) == model.predict(titles)
    assert json.loads((tmp_path / METRICS_FILE).read_text()) == {"macro_f1": 0.9}
    assert (tmp_path / MODEL_FILE).stat().st_size > 0


def test_loading_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(LabelError, match="no saved classifier"):
        load_model(tmp_path)


def test_recommender_never_imports_sklearn():
    import subprocess
    import sys

    code = "import recommender.cli, recommender.rules, sys; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"
