"""Bad options and a broken catalog home through the real CLIs: usage errors that state the range,
errors with a suggestion, and warnings (not silence) when a reader falls back."""

from __future__ import annotations

import shutil
import time

import pytest

from catalog.builder import build
from tests.helpers import catalog, json_out, recommend
from tests.robust.checks import GOOD, refused


@pytest.fixture(scope="module")
def built_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("robust-home")
    build([GOOD / "acme.csv"], home, enrich=False).close()
    time.sleep(1.1)  # snapshot ids sort by build second: the second build is the newest by name too
    build([GOOD], home, enrich=False).close()
    return home


@pytest.fixture
def home(built_home, tmp_path):
    """A private copy of a home with two snapshots (the newer one published)."""
    dst = tmp_path / "home"
    shutil.copytree(built_home, dst)
    return dst


@pytest.mark.parametrize(
    "args, words",
    [
        (["--max-hours", "nan"], ["--max-hours", "from 0 to 10,000 hours"]),
        (["--max-hours", "inf"], ["--max-hours", "from 0 to 10,000 hours"]),
        (["--budget", "nan"], ["--budget", "from 0 to 1,000,000 USD"]),
        (["--budget", "-5"], ["--budget", "from 0 to 1,000,000 USD"]),
        (["--time-limit", "0"], ["--time-limit", "more than 0 to 86,400 seconds"]),
        (["--time-limit", "abc"], ["--time-limit", "is not a number"]),
    ],
)
def test_recommend_numbers_out_of_range_are_usage_errors(args, words):
    refused(recommend("--gaps", "total=1", *args), 2, *words)


@pytest.mark.parametrize(
    "args, words",
    [
        (["--limit", "99999999999999999999"], ["--limit", "0<=x<=1000000000"]),
        (["--max-price", "nan"], ["--max-price", "from 0 to 1,000,000 USD"]),
        (["--max-price", "1e400"], ["--max-price", "from 0 to 1,000,000 USD"]),
    ],
)
def test_catalog_search_numbers_out_of_range_are_usage_errors(args, words):
    refused(catalog("search", *args), 2, *words)


def test_a_huge_gap_is_refused_with_the_range():
    err = refused(recommend("--gaps", "total=1e308"), 1, "total=1e308", "at most 10,000")
    assert "RuntimeWarning" not in err and "short by" not in err


def test_exclude_provider_naming_no_provider_suggests_one(home):
    err = refused(recommend("--home", home, "--gaps", "total=1", "--exclude-provider", "acme"), 1)
    assert "--exclude-provider 'acme'" in err and "did you mean 'Acme Health Education'?" in err
    ok = recommend("--home", home, "--gaps", "total=1", "--exclude-provider", "acme health education")
    assert ok.returncode == 0, ok.stderr


def test_a_missing_home_says_the_embedded_catalog_is_used_every_time(tmp_path):
    missing = tmp_path / "no-such-home"
    for _ in range(2):
        proc = catalog("search", "--home", missing, "--limit", "1", "--format", "json")
        assert proc.returncode == 0 and "Traceback" not in proc.stderr
        assert f"warning: catalog home {missing} does not exist; using the embedded catalog" in proc.stderr
    proc = recommend("--home", missing, "--gaps", "total=1", "--format", "json")
    assert f"warning: catalog home {missing} does not exist; using the embedded catalog" in proc.stderr
    assert not missing.exists(), "a reader must not create the home"


@pytest.mark.parametrize(
    "breakage, words",
    [
        ("directory", "is a directory, not the pointer file"),
        ("empty", "is empty"),
        ("dangling", "names snapshot '20990101T000000Z-deadbeef', which is not in"),
        ("binary", "cannot be read (not text)"),
    ],
)
def test_a_broken_latest_pointer_warns_the_same_in_both_programs_and_falls_back(home, breakage, words):
    latest = home / "latest"
    newest = latest.read_text().strip()
    latest.unlink()
    if breakage == "directory":
        latest.mkdir()
    else:
        latest.write_bytes(
            {"empty": b"", "dangling": b"20990101T000000Z-deadbeef\n", "binary": b"\xff\xfe\x00"}[breakage]
        )
    found = catalog("search", "--home", home, "--limit", "0", "--format", "json")
    assert found.returncode == 0 and "Traceback" not in found.stderr, found.stderr
    assert len(json_out(found)) == 7, "fell back to the newest valid snapshot"
    planned = recommend("--home", home, "--gaps", "total=1", "--format", "json")
    assert planned.returncode == 0 and "Traceback" not in planned.stderr, planned.stderr
    for proc in (found, planned):
        assert words in proc.stderr and f"using the newest valid snapshot {newest} instead" in proc.stderr
    line = [x for x in found.stderr.splitlines() if words in x]
    assert line and line[0] in planned.stderr, "recommend must say what catalog says"


def test_a_build_over_a_directory_named_latest_is_one_line(home):
    (home / "latest").unlink()
    (home / "latest").mkdir()
    refused(catalog("build", "--source", GOOD, "--home", home), 1, "is a directory")


def test_export_into_an_existing_export_needs_force(home, tmp_path):
    out = tmp_path / "export"
    assert catalog("export", out, "--home", home).returncode == 0
    refused(catalog("export", out, "--home", home), 1, "already holds an export", "--force")
    proc = catalog("export", out, "--home", home, "--force")
    assert proc.returncode == 0 and "exported snapshot" in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "offerings.parquet",
            "providers.parquet",
            "offering_sources.parquet",
            "coverage.parquet",
            "manifest.json",
        ]
    )


def test_classify_output_cells_are_neutralised_like_search(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('title,description\n"=HYPERLINK(""http://evil.example"")",@SUM(A1)\n-5 tips,+plus\n')
    out = tmp_path / "out.csv"
    proc = catalog("classify", "--input", src, "--output", out)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and ",'@SUM(A1)," in lines[1]
    assert lines[2].startswith("'-5 tips,'+plus,")
