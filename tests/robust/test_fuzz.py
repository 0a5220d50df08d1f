"""Property tests: random bytes and malformed rows for the manual CSV loader (`recommend
--offerings`, `catalog build`), the transcript loader (`recommend gaps`) and `--gaps`.

Examples run in-process through click's CliRunner, which calls the real command functions with
their real error handling (the same code the console scripts run); an exception escaping a
command is what a user sees as a traceback. A few fixed cases also run as real subprocesses.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.cli import main as recommend_cli
from tests.helpers import catalog, recommend
from tests.robust.checks import GOOD, MANUAL_HEADER, TRANSCRIPT_HEADER, manual_row, refused

#: More examples for a longer local run: ROBUST_FUZZ_EXAMPLES=1000 pytest tests/robust/test_fuzz.py
FUZZ = settings(
    max_examples=int(os.environ.get("ROBUST_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
COLUMNS = MANUAL_HEADER.split(",")
TRANSCRIPT_COLUMNS = TRANSCRIPT_HEADER.split(",")

#: Cell values that are wrong for the column they are put in (each a different kind of mistake).
BAD_MANUAL_CELLS = {
    "price_usd": ["-1", "12,50", "abc", "nan", "1e400", "$ 5 6"],
    "kind": ["webinar", "", "COURSE!"],
    "credits": ["-3", "lots", "inf"],
    "credit_unit": ["ceus", "hour"],
    "areas": ["clinical:5;general:9", "surgery", "clinical:"],
    "valid_from": ["2024-13-01", "yesterday"],
    "delivery": ["carrier pigeon"],
    "url": ["", "not a url"],
    "id": [""],
    "term_months": ["-1", "twelve"],
}
BAD_TRANSCRIPT_CELLS = {
    "completed_on": ["2024-02-30", "soon", ""],
    "credits": ["-1", "x", "1e999"],
    "credit_unit": ["ceus"],
    "areas": ["mystery", "general:9"],
    "kind": ["nap"],
    "approved_by": ["NOBODY"],
}

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _run(args: list[str]) -> Result:
    return CliRunner().invoke(recommend_cli, args, catch_exceptions=True)


def _clean(result: Result, codes: set[int]) -> None:
    """No exception escaped the command, the exit code is one of `codes`, and a failure says why."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped the CLI: {result.exception!r}") from result.exception
    assert result.exit_code in codes, (result.exit_code, result.output, result.stderr)
    if result.exit_code in (1, 2):
        assert result.stderr.strip(), "a refusal must say why"
    assert "Traceback" not in result.output + result.stderr


def _tmpfile(data: bytes, suffix: str = ".csv") -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="fuzz-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Path(name)


def _with_file(data: bytes, args_for) -> Result:
    path = _tmpfile(data)
    try:
        return _run(args_for(path))
    finally:
        path.unlink()


def _offerings_args(path: Path) -> list[str]:
    return ["--gaps", "total=1", "--offerings", str(path), "--format", "json"]


def _transcript_args(path: Path) -> list[str]:
    return ["gaps", "--credential", "CMA", "--transcript", str(path), "--cycle-start", "2021-03-01"]


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_offerings_never_crash(data):
    _clean(_with_file(data, _offerings_args), {1, 2})


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_transcript_never_crash(data):
    # Random bytes may happen to be a header-only transcript (nothing completed): exit 0.
    _clean(_with_file(data, _transcript_args), {0, 1, 2})


@FUZZ
@given(
    column=st.sampled_from(sorted(BAD_MANUAL_CELLS)),
    pick=st.integers(0, 10),
    row=st.integers(0, 2),
    extra=st.lists(text, max_size=3),
    noise=st.sampled_from(["", "\0", "\ufeff", '"', "\r", "x" * 100_001]),
)
def test_malformed_manual_rows_are_refused(column, pick, row, extra, noise):
    rows = [manual_row(f"r{i}") for i in range(3)]
    bad = BAD_MANUAL_CELLS[column][pick % len(BAD_MANUAL_CELLS[column])]
    cells = rows[row].split(",")
    cells[COLUMNS.index(column)] = bad
    rows[row] = ",".join(cells + ([*extra] if extra else [])) + noise
    data = "\n".join([MANUAL_HEADER, *rows]).encode("utf-8")
    result = _with_file(data, _offerings_args)
    _clean(result, {1})
    assert ":" in result.stderr.splitlines()[0], "errors name FILE:LINE:COLUMN"


@FUZZ
@given(
    column=st.sampled_from(sorted(BAD_TRANSCRIPT_CELLS)),
    pick=st.integers(0, 10),
    cells=st.lists(text, min_size=0, max_size=10),
)
def test_malformed_transcript_rows_are_refused(column, pick, cells):
    good = ["2024-02-01", "Vitals", "AAMA", "course", "1", "aama_ceu", "general", "AAMA"]
    bad = list(good)
    bad[TRANSCRIPT_COLUMNS.index(column)] = BAD_TRANSCRIPT_CELLS[column][
        pick % len(BAD_TRANSCRIPT_CELLS[column])
    ]
    random_row = ",".join(c.replace("\n", " ").replace("\r", " ") for c in cells)
    data = "\n".join([TRANSCRIPT_HEADER, ",".join(good), ",".join(bad), random_row]) + "\n"
    result = _with_file(data.encode("utf-8"), _transcript_args)
    _clean(result, {1})
    assert "TranscriptError" not in result.stderr


@FUZZ
@given(st.text(max_size=60))
def test_random_gaps_text(gaps):
    result = _run(["--gaps", gaps, "--offerings", str(GOOD / "acme.csv"), "--format", "json"])
    _clean(result, {0, 1, 2, 3})


@FUZZ
@given(
    key=st.sampled_from(["general", "clinical", "total", "approved:AAMA", "topic:hipaa", "Total", "bogus"]),
    number=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(["1e308", "-0", "1_000", "0x10", "", " ", "NaN", "-inf", "10001", "9" * 400]),
    ),
)
def test_gaps_amounts_outside_the_range_are_refused(key, number):
    result = _run(["--gaps", f"{key}={number}", "--offerings", str(GOOD / "acme.csv"), "--format", "json"])
    _clean(result, {0, 1, 2, 3})
    try:
        value = float(number)
        sane = 0 <= value <= 10_000 and key != "bogus"
    except ValueError:
        sane = False
    if not sane:
        assert result.exit_code == 1 and "KEY=NUMBER" in result.stderr, result.stderr


def test_a_few_random_files_through_the_real_programs(tmp_path):
    """The same property with real subprocesses: catalog build, recommend --offerings, recommend gaps."""
    rnd = random.Random(12)
    for i in range(2):
        blob = bytes(rnd.randrange(256) for _ in range(3000))
        src = tmp_path / f"src{i}"
        src.mkdir()
        (src / "random.csv").write_bytes(blob)
        refused(catalog("build", "--source", src, "--home", tmp_path / "home"), 1, "random.csv")
        refused(recommend("--gaps", "total=1", "--offerings", src / "random.csv"), 1, "random.csv")
        proc = recommend(
            "gaps", "--credential", "CMA", "--transcript", src / "random.csv", "--cycle-start", "2021-03-01"
        )
        refused(proc, 1, "random.csv")
    assert not (tmp_path / "home" / "latest").exists()
