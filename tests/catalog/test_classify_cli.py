"""`catalog classify` run as a real subprocess."""

from __future__ import annotations

import csv

from tests.helpers import catalog


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_adds_area_and_confidence_and_keeps_every_column(tmp_path):
    src = _write(
        tmp_path / "in.csv",
        "\ufeffid,title,description,price\n"
        "1,Venipuncture and order of draw,,10\n"
        "2,ICD-10-CM coding for diabetes,Diagnosis codes and guidelines.,12\n"
        "3,HIPAA privacy and patient confidentiality,Law for the medical office.,\n",
    )
    out = tmp_path / "out.csv"
    proc = catalog("classify", "--input", src, "--output", out)
    assert proc.returncode == 0, proc.stderr
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "title", "description", "price", "area", "confidence"]
    assert [r["area"] for r in rows] == ["clinical", "administrative", "general"]
    assert [r["price"] for r in rows] == ["10", "12", ""]
    assert all(0.5 < float(r["confidence"]) <= 1 for r in rows)


def test_input_without_a_title_column_says_so_and_writes_nothing(tmp_path):
    src = _write(tmp_path / "in.csv", "name,description\nPhlebotomy,Blood draws\n")
    out = tmp_path / "out.csv"
    proc = catalog("classify", "--input", src, "--output", out)
    assert proc.returncode == 1
    assert "in.csv:1:title: the input CSV has no `title` column" in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


def test_row_with_nothing_to_classify_names_its_line(tmp_path):
    src = _write(tmp_path / "in.csv", "title,description\nPhlebotomy,\n,\n")
    proc = catalog("classify", "--input", src, "--output", tmp_path / "out.csv")
    assert proc.returncode == 1
    assert "in.csv:3:title: empty title and description" in proc.stderr


def test_labeled_set_too_small_or_single_class_refuses_to_train(tmp_path):
    src = _write(tmp_path / "in.csv", "title,description\nPhlebotomy,\n")
    small = _write(
        tmp_path / "small.csv",
        "title,description,area\n"
        + "".join(f"Course {i},,{'clinical' if i % 2 else 'general'}\n" for i in range(10)),
    )
    proc = catalog("classify", "--input", src, "--labels", small)
    assert proc.returncode == 1
    assert "labeled set too small to train: 10 examples" in proc.stderr
    single = _write(
        tmp_path / "single.csv",
        "title,description,area\n" + "".join(f"Course {i},,clinical\n" for i in range(40)),
    )
    proc = catalog("classify", "--input", src, "--labels", single)
    assert proc.returncode == 1
    assert "single class (clinical)" in proc.stderr


def test_without_input_or_evaluate_is_a_usage_error():
    proc = catalog("classify")
    assert proc.returncode == 2
    assert "give --input IN.csv" in proc.stderr


def test_evaluate_prints_the_cross_validated_report():
    proc = catalog("classify", "--evaluate")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "5-fold cross-validation on 420 labeled titles" in out
    f1 = float(out.split("macro-F1: ")[1].split()[0])
    assert f1 >= 0.85
    for area in ("general", "clinical", "administrative"):
        assert f"\n{area}" in out
    assert "confusion matrix" in out
    assert "duplicate detection on" in out
