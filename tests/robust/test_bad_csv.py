"""Bad CSV files through the real CLIs: manual CSVs (`catalog build`), `recommend --offerings` and
transcripts (`recommend gaps`, `recommend --transcript`). Each is refused in one line naming the
file, line and column, exit 1, no traceback, nothing published."""

from __future__ import annotations

import shutil

import pytest

from catalog.snapshot import latest_id, list_snapshot_ids
from tests.helpers import catalog, json_out, recommend
from tests.robust.checks import GOOD, TRANSCRIPT_HEADER, manual_row, refused, write_manual

LONG = [100_001, 200_000]  # just over our limit; over Python's csv limit (131,072) too


def _build(src, home):
    return catalog("build", "--source", src, "--home", home)


def _nothing_published(home) -> None:
    assert latest_id(home) is None and list_snapshot_ids(home) == []


@pytest.mark.parametrize("n", LONG)
def test_oversized_cell_in_a_manual_csv(tmp_path, n):
    src = write_manual(
        tmp_path / "src" / "big.csv", manual_row("ok-1"), manual_row("big-1", description="x" * n)
    )
    err = refused(_build(src.parent, tmp_path / "home"), 1, "big.csv:3:description", f"{n:,}", "100,000")
    assert len(err.splitlines()[0]) < 300, "the error must not echo the cell"
    _nothing_published(tmp_path / "home")


@pytest.mark.parametrize("n", LONG)
def test_oversized_cell_in_offerings(tmp_path, n):
    f = write_manual(tmp_path / "offers.csv", manual_row("big-1", title="t" * n))
    refused(recommend("--gaps", "total=1", "--offerings", f), 1, "offers.csv:2:title", "100,000")


@pytest.mark.parametrize("n", LONG)
def test_oversized_cell_in_a_transcript(tmp_path, n):
    t = tmp_path / "done.csv"
    t.write_text(f"{TRANSCRIPT_HEADER}\n2024-02-01,{'y' * n},AAMA,course,1,aama_ceu,general,AAMA\n")
    proc = recommend("gaps", "--credential", "CMA", "--transcript", t, "--cycle-start", "2021-03-01")
    refused(proc, 1, "done.csv:2:title", "100,000")


def test_nul_byte_in_a_manual_csv_is_refused_with_its_position(tmp_path):
    src = write_manual(tmp_path / "src" / "nul.csv", manual_row("n-1", title="Vital\0Signs"))
    refused(_build(src.parent, tmp_path / "home"), 1, "nul.csv:2:title", "NUL byte at character 6")
    _nothing_published(tmp_path / "home")


def test_nul_byte_in_a_transcript(tmp_path):
    t = tmp_path / "done.csv"
    t.write_text(f"{TRANSCRIPT_HEADER}\n2024-02-01,Vitals,AAMA,course,1\0,aama_ceu,general,AAMA\n")
    proc = recommend("gaps", "--credential", "CMA", "--transcript", t, "--cycle-start", "2021-03-01")
    refused(proc, 1, "done.csv:2:credits", "NUL byte")


def test_semicolon_delimited_files_are_refused(tmp_path):
    src = tmp_path / "src" / "semi.csv"
    src.parent.mkdir()
    src.write_text((GOOD / "acme.csv").read_text().replace(",", ";"))
    refused(_build(src.parent, tmp_path / "home"), 1, "semi.csv:1", "delimiter must be a comma")
    refused(recommend("--gaps", "total=1", "--offerings", src), 1, "semi.csv:1", "delimiter must be a comma")
    t = tmp_path / "done.csv"
    t.write_text(
        TRANSCRIPT_HEADER.replace(",", ";") + "\n2024-02-01;Vitals;AAMA;course;1;aama_ceu;general;AAMA\n"
    )
    proc = recommend("gaps", "--credential", "CMA", "--transcript", t, "--cycle-start", "2021-03-01")
    refused(proc, 1, "done.csv:1", "delimiter must be a comma")


def test_the_same_source_twice_is_read_once(tmp_path):
    home = tmp_path / "home"
    proc = catalog(
        "build",
        "--source",
        GOOD,
        "--source",
        GOOD,
        "--source",
        GOOD / "acme.csv",
        "--home",
        home,
        "--format",
        "json",
    )
    out = json_out(proc)
    assert "Traceback" not in proc.stderr
    assert out["tables"]["offerings"]["rows"] == 7 and len(out["sources"]) == 2


def test_a_duplicate_id_in_two_files_still_names_both(tmp_path):
    src = tmp_path / "src"
    write_manual(src / "a.csv", manual_row("same-id"))
    write_manual(src / "b.csv", manual_row("same-id"))
    refused(_build(src, tmp_path / "home"), 1, "b.csv:2:id", "duplicate id 'same-id'", "a.csv:2")


@pytest.mark.parametrize("what", ["no csv", "header only", "blank rows"])
def test_empty_sources_are_not_published_unless_allowed(tmp_path, what):
    src = tmp_path / "src"
    src.mkdir()
    if what == "no csv":
        (src / "notes.txt").write_text("not a CSV\n")
        words = ["no .csv file in", "--allow-empty"]
    else:
        write_manual(src / "empty.csv", *([",,,", ""] if what == "blank rows" else []))
        words = ["empty.csv", "only a header row", "--allow-empty"]
    home = tmp_path / "home"
    refused(_build(src, home), 1, "nothing was published", *words)
    _nothing_published(home)
    out = json_out(catalog("build", "--source", src, "--home", home, "--allow-empty", "--format", "json"))
    assert out["tables"]["offerings"]["rows"] == 0 and out["published"] is True
    assert latest_id(home) == out["id"]


def test_a_membership_covering_memberships_is_refused(tmp_path):
    src = write_manual(
        tmp_path / "src" / "club.csv",
        manual_row(
            "club",
            kind="membership",
            price="30",
            credits="",
            credit_unit="",
            areas="",
            hours="",
            covers="kind=membership",
        ),
    )
    refused(_build(src.parent, tmp_path / "home"), 1, "club.csv:2:covers", "kind=membership")
    member = dict(kind="membership", price="30", credits="", credit_unit="", areas="", hours="")
    write_manual(
        src,
        manual_row("club", "Club membership", **member, covers="id=other-club"),
        manual_row("other-club", "Another club", **member, covers="provider=Test Provider"),
    )
    refused(_build(src.parent, tmp_path / "home"), 1, "club.csv:2:covers", "covers id=other-club")
    assert latest_id(tmp_path / "home") is None


def test_a_transcript_without_credit_unit_says_which_unit_is_used(tmp_path):
    t = tmp_path / "done.csv"
    t.write_text(
        "completed_on,title,provider,kind,credits,areas,approved_by\n"
        "2024-02-01,Vitals,AAMA,course,2,general,AAMA\n"
    )
    proc = recommend("gaps", "--credential", "CMA", "--transcript", t, "--cycle-start", "2021-03-01")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "warning: " in proc.stderr and "no credit_unit column" in proc.stderr
    assert "read as contact_hour" in proc.stderr
    t.write_text(f"{TRANSCRIPT_HEADER}\n2024-02-01,Vitals,AAMA,course,2,,general,AAMA\n")
    proc = recommend("gaps", "--credential", "CMA", "--transcript", t, "--cycle-start", "2021-03-01")
    assert proc.returncode == 0 and "credit_unit is blank on line(s) 2" in proc.stderr, proc.stderr


def test_an_unreadable_csv_source_is_one_line(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(GOOD, src)
    (src / "zz.csv").mkdir()  # a directory named like a CSV
    proc = _build(src, tmp_path / "home")
    assert "Traceback" not in proc.stderr and proc.returncode == 1, proc.stderr
