"""`catalog classify`: add `area` and `confidence` to any CSV of titles, or print the cross-validated report."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import click


@click.command("classify")
@click.option(
    "--input",
    "input_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with a `title` column (and usually `description`).",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the CSV with `area` and `confidence` added (default: stdout).",
)
@click.option(
    "--evaluate",
    is_flag=True,
    help="Print 5-fold cross-validated macro-F1, per-class precision/recall, the confusion matrix "
    "and the duplicate-detection precision/recall.",
)
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Labeled CSV (title, description, area) to train on (default: data/labels/areas.csv).",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path),
    help="Use a saved classifier (classifier.joblib, or a snapshot directory holding one).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format of --evaluate.",
)
def classify_command(input_path, output_path, evaluate, labels_path, model_path, fmt):
    """Infer the AAMA content area (general, clinical, administrative) of each row of a CSV.

    Every input column is kept; `area` and `confidence` (the model's probability) are added.
    Rows with an empty description are classified from the title alone.

    \b
    Example:
      catalog classify --input courses.csv --output courses-with-areas.csv
      catalog classify --evaluate
    """
    from catalog.learning.labels import LabelError

    if not evaluate and input_path is None:
        raise click.UsageError("give --input IN.csv (with --output OUT.csv) or --evaluate")
    try:
        if evaluate:
            _evaluate(labels_path, fmt)
        if input_path is not None:
            _classify(input_path, output_path, labels_path, model_path)
    except LabelError as e:
        raise click.ClickException(str(e)) from None


def _evaluate(labels_path: Path | None, fmt: str) -> None:
    from catalog.learning.classifier import evaluate, format_report
    from catalog.learning.labels import load_labels
    from catalog.learning.pairs import evaluate_pairs, format_pair_report

    report = evaluate(load_labels(labels_path))
    pairs = evaluate_pairs()
    if fmt == "json":
        click.echo(json.dumps({"classifier": report, "duplicates": pairs}, indent=2))
    else:
        click.echo(format_report(report))
        click.echo("")
        click.echo(format_pair_report(pairs))


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a UTF-8 CSV (BOM tolerated); ClickException names FILE:LINE:COLUMN."""
    from catalog.loaders.csv_checks import CellGuard, wrong_delimiter

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
        delimiter = wrong_delimiter(text)
        if delimiter:
            raise click.ClickException(f"{path}:1: {delimiter}")
        guard = CellGuard(text)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = list(reader.fieldnames or [])
        if "title" not in header:
            found = ", ".join(header) or "no header"
            raise click.ClickException(
                f"{path}:1:title: the input CSV has no `title` column (columns: {found})"
            )
        rows = []
        for row in reader:
            problems = guard.problems(list(row.values()), header, reader.line_num)
            if problems:
                p = problems[0]
                raise click.ClickException(f"{path}:{p.line}:{p.column}: {p.message}")
            if None in row:
                raise click.ClickException(f"{path}:{reader.line_num}: more cells than header columns")
            if not (row.get("title") or "").strip() and not (row.get("description") or "").strip():
                raise click.ClickException(
                    f"{path}:{reader.line_num}:title: empty title and description, nothing to classify"
                )
            rows.append(row)
    except FileNotFoundError:
        raise click.ClickException(f"{path}: no such file") from None
    except IsADirectoryError:
        raise click.ClickException(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as e:
        raise click.ClickException(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
    except csv.Error as e:
        raise click.ClickException(f"{path}: {e}") from None
    return header, rows


def _classify(
    input_path: Path, output_path: Path | None, labels_path: Path | None, model_path: Path | None
) -> None:
    from catalog.learning.classifier import load_model, train
    from catalog.learning.labels import load_labels

    header, rows = read_rows(input_path)
    model = load_model(model_path) if model_path else train(load_labels(labels_path))
    areas, conf = model.predict(
        [r.get("title") or "" for r in rows], [r.get("description") or "" for r in rows]
    )
    columns = header + [c for c in ("area", "confidence") if c not in header]
    for r, a, c in zip(rows, areas, conf, strict=True):
        r["area"], r["confidence"] = a, f"{c:.4f}"
    if output_path is None:
        _write(sys.stdout, columns, rows)
        return
    from catalog.snapshot import CatalogError
    from catalog.write_errors import disk_errors

    try:
        with disk_errors(output_path, "nothing was written"):
            output_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{output_path.name}.", dir=output_path.parent)
            try:
                with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
                    _write(f, columns, rows)
                os.replace(tmp, output_path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except CatalogError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"classified {len(rows)} row(s) with {model.config} -> {output_path}", err=True)


def _write(f, columns: list[str], rows: list[dict[str, str]]) -> None:
    """CSV with formula-like cells (= + - @) neutralised, as `catalog search --format csv` does."""
    from catalog.commands.output import safe_cell

    w = csv.writer(f, lineterminator="\n")
    w.writerow([safe_cell(c) for c in columns])
    for r in rows:
        w.writerow([safe_cell(r.get(c)) for c in columns])
