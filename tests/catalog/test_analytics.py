"""catalog.analytics on tiny hand-made catalogs built by the real builder; every expected number is
worked out by hand in the comments next to the CSV rows."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from catalog import analytics as ca
from catalog.builder import build
from catalog.snapshot import open_snapshot

HEADER = (
    "id,provider,title,kind,price_usd,price_min_usd,price_max_usd,price_basis,hours,credits,credit_unit,"
    "areas,approved_by,covers,discount_pct,url\n"
)
URL = "https://example.org/test"
ROWS = {
    # Alpha pass $50 covers a-1..a-4 at 100%: savings 30, 20, 10, 20 (a-4 range middle)
    #   best case 30+20 = 50 -> 2 courses; worst 10+20+20 = 50 -> 3; median saving 20 -> ceil(50/20) = 3
    "a-mem": "Alpha,Alpha pass,membership,50,,,per_year,,,,,,provider=Alpha,100",
    "a-1": "Alpha,Vitals,course,30,,,,,2,contact_hour,clinical,AAMA,,",  # $15 per credit, $15/h
    "a-2": "Alpha,Billing,course,20,,,,,1,aama_ceu,administrative,AAMA,,",  # $20 per aama_ceu
    "a-3": "Alpha,Split,course,10,,,,,2,contact_hour,clinical:1;general:1,AAMA,,",  # $5 per credit, both areas
    "a-4": "Alpha,Range,course,,10,30,,,,,general,AAMA,,",  # credits unknown
    "b-mem": "Beta,Beta club,membership,,,,per_year,,,,,,provider=Beta,100",  # price not published
    "b-1": "Beta,Cheap but not AAMA,course,4,,,,,1,contact_hour,clinical,IACET,,",  # $4: not AAMA-approved
    "c-mem": "Gamma,Gamma renewal,membership,10,,,per_year,,,,,,provider=Gamma,0",  # no discount
    "c-1": "Gamma,Gamma course,course,40,,,,,,,,,,",
    "d-mem": "Delta,Delta club,membership,100,,,per_year,,,,,,provider=Delta,50",  # saves only $10
    "d-1": "Delta,Delta course,course,20,,,,,,,,,,",
    "e-1": "Epsilon,NHA module,course,12,,,,,3,nha_credit,clinical,NHA,,",  # 3 NHA credits = 6 h: $2/h
}


def write_csv(directory: Path, rows: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "offerings.csv").write_text(HEADER + "".join(f"{k},{v},{URL}\n" for k, v in rows.items()))
    return directory


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("analytics")
    build([write_csv(tmp / "src", ROWS)], tmp / "home", enrich=False).close()
    s = open_snapshot(tmp / "home")
    yield s
    s.close()


def by_id(rel, key: str = "id") -> dict:
    df = rel.df()
    return {row[key]: row for row in df.to_dict("records")}


def test_credit_prices_keep_only_priced_rows_with_credits_and_convert_hours(snap):
    rows = by_id(ca.credit_prices(snap))
    assert sorted(rows) == ["a-1", "a-2", "a-3", "b-1", "e-1"]
    assert rows["a-1"]["price_per_credit"] == 15 and rows["a-1"]["price_per_hour"] == 15
    assert rows["e-1"]["contact_hours"] == 6 and rows["e-1"]["price_per_hour"] == 2
    assert math.isnan(rows["a-2"]["price_per_hour"])  # an AAMA CEU has no published hour conversion


def test_split_offering_counts_in_each_of_its_areas(snap):
    df = ca.credit_prices_by_area(snap).df()
    split = df[df.id == "a-3"].set_index("area")
    assert split.area_credits.to_dict() == {"clinical": 1.0, "general": 1.0}
    assert set(split.price_per_credit) == {5.0}


def test_cheapest_aama_credit_per_area_skips_cheaper_unapproved_and_leaves_gaps_empty(snap):
    best = ca.cheapest_approved_credit(snap, "AAMA").df().set_index("area")
    assert list(best.index) == ["general", "clinical", "administrative", "unknown"]
    assert best.loc["clinical", "id"] == "a-3"  # $5 beats a-1's $15; b-1's $4 is not AAMA-approved
    assert best.loc["general", "id"] == "a-3"
    assert best.loc["administrative", "id"] == "a-2" and best.loc["administrative", "price_per_credit"] == 20
    assert best.loc["unknown"].isna()["id"]


def test_membership_break_even_cases(snap):
    rows = by_id(ca.membership_break_even(snap))
    alpha = rows["a-mem"]
    assert (alpha["covered"], alpha["covered_priced"], alpha["priced_from_range"]) == (4, 4, 1)
    assert (alpha["break_even_best"], alpha["break_even_median"], alpha["break_even_worst"]) == (2, 3, 3)
    assert alpha["note"] == "pays for itself after 2 to 3 courses"
    assert rows["b-mem"]["note"] == "membership price not published"
    assert rows["c-mem"]["note"].startswith("gives no discount")
    assert (
        rows["d-mem"]["note"]
        == "never pays for itself: buying every priced covered offering saves only $10.00"
    )
    assert all(
        rows[m]["break_even_best"] is None or math.isnan(rows[m]["break_even_best"])
        for m in ("b-mem", "c-mem", "d-mem")
    )


def test_coverage_gaps_list_every_body_and_area_with_zeros(snap):
    gaps = ca.coverage_gaps(snap).df().set_index(["body", "area"])
    assert len(gaps) == len(ca.CREDENTIAL_BODIES) * 3
    assert gaps.loc[("AAMA", "general"), ["tagged", "plannable"]].tolist() == [2, 1]  # a-4 has no credits
    assert gaps.loc[("AAMA", "clinical"), "plannable"] == 2
    assert gaps.loc[("NHA", "clinical"), "plannable"] == 1
    assert gaps.loc[("AMT", "clinical"), "tagged"] == 0


def test_counts_by_area_and_body(snap):
    areas = ca.counts_by(snap, "area", credit_kinds_only=True).df().set_index("area").offerings.to_dict()
    assert areas == {"clinical": 4, "general": 2, "administrative": 1, "unknown": 2}
    bodies = ca.counts_by(snap, "approved_by").df().set_index("approved_by").offerings.to_dict()
    assert bodies == {"AAMA": 4, "none": 6, "IACET": 1, "NHA": 1}
    with pytest.raises(ValueError, match="key must be one of"):
        ca.counts_by(snap, "colour")


def test_price_per_credit_summary_groups_by_unit(snap):
    df = ca.price_per_credit_summary(snap, "provider").df()
    alpha = df[df.provider == "Alpha"].set_index("credit_unit")
    assert alpha.loc["contact_hour", ["n", "median_usd"]].tolist() == [2, 10.0]
    assert alpha.loc["aama_ceu", "median_usd"] == 20.0


@pytest.fixture(scope="module")
def two_snapshots(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("history")
    home = tmp / "home"
    build([write_csv(tmp / "v1", ROWS)], home, enrich=False).close()
    v2 = dict(ROWS)
    v2["a-1"] = v2["a-1"].replace("course,30,", "course,33,")  # repriced 30 -> 33
    v2["a-4"] = v2["a-4"].replace(",10,30,", ",10,40,")  # range middle 20 -> 25
    del v2["a-2"]  # removed
    v2["a-5"] = "Alpha,New course,course,8,,,,,2,contact_hour,clinical,AAMA,,"  # added, $4 per credit
    time.sleep(1.0)  # snapshot ids carry the build second
    build([write_csv(tmp / "v2", v2)], home, enrich=False).close()
    return ca.history_snapshots(home)


def test_history_reads_every_snapshot_oldest_first(two_snapshots):
    assert len(two_snapshots) == 2 and two_snapshots[0].id < two_snapshots[1].id
    sizes = ca.history(two_snapshots).aggregate("seq, count(*) AS n", "seq").order("seq").df()
    assert sizes.n.tolist() == [len(ROWS), len(ROWS)]


def test_history_changes_added_removed_repriced(two_snapshots):
    df = ca.history_changes(two_snapshots).df()
    got = {(r.change, r.id): (r.old_price, r.new_price) for r in df.itertuples()}
    assert set(got) == {("added", "a-5"), ("removed", "a-2"), ("repriced", "a-1"), ("repriced", "a-4")}
    assert got[("repriced", "a-1")] == (30.0, 33.0)
    assert got[("repriced", "a-4")] == (20.0, 25.0)
    assert set(df.previous_id) == {two_snapshots[0].id}


def test_price_per_credit_history_medians(two_snapshots):
    df = ca.price_per_credit_history(two_snapshots).df()
    alpha = df[(df.provider == "Alpha") & (df.credit_unit == "contact_hour")].set_index("seq").median_usd
    assert alpha.to_dict() == {0: 10.0, 1: 5.0}  # (15, 5) -> 10; (16.5, 5, 4) -> 5


def test_history_of_an_empty_home_is_the_shipped_snapshot_alone(tmp_path):
    snaps = ca.history_snapshots(tmp_path / "empty-home")
    assert [s.id for s in snaps] == ["embedded"]
    assert len(ca.history_changes(snaps).df()) == 0
