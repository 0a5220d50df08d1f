"""Issue 13 by hand: estimated plans with named assumptions, fees, what you have, deadlines, calendar.

Small catalogs written as manual CSVs and a custom credential file; every expected cost is worked
out in the test's docstring.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from recommender import plan
from recommender.rules import load_credential_file
from tests.helpers import recommend

HEAD = (
    "id,provider,title,kind,price_usd,price_min_usd,price_max_usd,price_basis,hours,credits,credit_unit,"
    "areas,approved_by,covers,discount_pct,term_months,valid_from,valid_until,url,"
    "pool_credits,pool_unit,pool_per,pool_areas\n"
)
CRED = """schema = 1
code = "TST"
body = "AAMA"
name = "Test credential"
unit = "aama_point"
[cycle]
months = 24
source = "https://body.example/cycle"
[total]
amount = 10
source = "https://body.example/total"
[units.aama_ceu]
value = 1
source = "https://body.example/units"
[units.contact_hour]
value = 1
source = "https://body.example/units"
verified = false
note = "not stated by the body"
[[fees]]
name = "renewal_member"
usd = 100
route = "ce"
members = true
source = "https://body.example/fees"
[[fees]]
name = "renewal_nonmember"
usd = 200
route = "ce"
members = false
source = "https://body.example/fees"
[membership]
offerings = ["club"]
source = "https://body.example/join"
[processing]
approved_by = "AAMA"
all_approved_days = 0
other_days = 21
source = "https://body.example/processing"
"""


def row(oid, kind="course", price="", credits="", unit="aama_ceu", area="", approved="AAMA", **kw) -> str:
    f = {
        "price_min_usd": "",
        "price_max_usd": "",
        "price_basis": "",
        "hours": "",
        "covers": "",
        "discount_pct": "",
        "term_months": "",
        "valid_from": "",
        "valid_until": "",
        "pool_credits": "",
        "pool_unit": "",
        "pool_per": "",
        "pool_areas": "",
    } | kw
    return (
        f"{oid},{kw.get('provider', 'P')},{oid} title,{kind},{price},{f['price_min_usd']},{f['price_max_usd']},"
        f"{f['price_basis']},{f['hours']},{credits},{unit},{area},{approved},{f['covers']},{f['discount_pct']},"
        f"{f['term_months']},{f['valid_from']},{f['valid_until']},https://p.example/{oid},"
        f"{f['pool_credits']},{f['pool_unit']},{f['pool_per']},{f['pool_areas']}\n"
    )


@pytest.fixture
def cred(tmp_path):
    p = tmp_path / "tst.toml"
    p.write_text(CRED)
    return load_credential_file(p)


def catalog(tmp_path: Path, *rows: str) -> Path:
    p = tmp_path / "offers.csv"
    p.write_text(HEAD + "".join(rows))
    return p


AS_OF = date(2026, 1, 1)
#: A $30/yr membership (not one that makes you a member) whose source states 10 credits a year.
POOL_CLUB = row(
    "pool-club",
    kind="membership",
    price="30",
    covers="provider=P",
    discount_pct="100",
    price_basis="per_year",
    term_months="12",
    approved="",
    pool_credits="10",
    pool_unit="aama_ceu",
    pool_per="year",
    pool_areas="clinical",
)


def test_fee_lowering_membership_is_bought_when_it_pays_for_itself(tmp_path, cred):
    """A $50 club lowers the fee from $200 to $100: 60 + 50 + 100 = 210 < 60 + 200 = 260, so it is bought;
    at $150 it would not pay (60 + 150 + 100 = 310 > 260), and the nonmember fee is paid instead."""
    course = row("c1", price="60", credits="10")
    for price, bought, fee, total in (("50", True, 100, 210.0), ("150", False, 200, 260.0)):
        club = row(
            "club",
            kind="membership",
            price=price,
            covers="provider=Z",
            discount_pct="100",
            price_basis="per_year",
            term_months="12",
            approved="",
        )
        p = plan("total=10", [cred], offerings_files=[catalog(tmp_path, course, club)], as_of=AS_OF)
        assert p.status == "optimal"
        assert ("club" in {m["id"] for m in p.memberships}) is bought
        assert [f["amount"] for f in p.fees] == [fee] and p.total_with_fees == total
        if bought:
            assert any("lowers the recertification fee by $100.00" in n for n in p.notes)


def test_member_of_pays_the_member_fee_without_buying(tmp_path, cred):
    club = row("club", kind="membership", price="50", covers="provider=Z", discount_pct="100", approved="")
    p = plan(
        "total=10",
        [cred],
        offerings_files=[catalog(tmp_path, row("c1", price="60", credits="10"), club)],
        as_of=AS_OF,
        member_of=["AAMA"],
    )
    assert [f["name"] for f in p.fees] == ["renewal_member"] and p.total_with_fees == 160.0
    assert all(m["id"] != "club" or m["price_paid"] == 0 for m in p.memberships)


def test_have_makes_covered_offerings_free_and_the_membership_unpaid(tmp_path, cred):
    """Lib ($80) covers c1 ($60, 10 credits); held already, the plan costs $0 and buys nothing."""
    lib = row("lib", kind="membership", price="80", covers="provider=P", discount_pct="100", approved="")
    cat = catalog(tmp_path, row("c1", price="60", credits="10"), lib)
    p = plan("total=10", [cred], offerings_files=[cat], as_of=AS_OF, have=["lib"])
    assert p.status == "optimal" and p.total_cost == 0.0
    assert [s["id"] for s in p.selected] == ["c1"] and p.selected[0]["price_paid"] == 0.0
    assert all(m["price_paid"] == 0 and m["already_have"] for m in p.memberships)
    with pytest.raises(ValueError, match="--have nope"):
        plan("total=10", [cred], offerings_files=[cat], as_of=AS_OF, have=["nope"])


def test_expired_approval_and_events_after_finish_by_are_never_planned(tmp_path, cred):
    """old ($5) lost its approval last year; event ($5) starts after --finish-by; only c1 ($60) is left."""
    cat = catalog(
        tmp_path,
        row("old", price="5", credits="10", valid_until="2025-06-30"),
        row("event", kind="conference", price="5", credits="10", valid_from="2026-09-01"),
        row("c1", price="60", credits="10"),
    )
    p = plan("total=10", [cred], offerings_files=[cat], as_of=AS_OF, finish_by=date(2026, 6, 30))
    assert [s["id"] for s in p.selected] == ["c1"]
    assert p.deadlines["finish_by"] == "2026-06-30"
    assert p.deadlines["submit_by"][0]["last_day"] == "2026-06-30"  # all AAMA-approved: processed at once
    later = plan("total=10", [cred], offerings_files=[cat], as_of=AS_OF, finish_by=date(2026, 12, 31))
    assert [s["id"] for s in later.selected] == ["event"]


def test_ranged_price_gives_a_cost_range_and_is_never_proven(tmp_path, cred):
    cat = catalog(tmp_path, row("r1", price_min_usd="15", price_max_usd="60", credits="10"))
    p = plan("total=10", [cred], offerings_files=[cat], as_of=AS_OF)
    assert p.status == "infeasible" and p.estimate is not None
    e = p.estimate
    assert e.status == "estimated" and e.cost_range == [15.0, 60.0] and e.total_cost == 60.0
    assert [(a["kind"], a["offering"]) for a in e.assumptions] == [("price", "r1")]
    assert plan("total=10", [cred], offerings_files=[cat], as_of=AS_OF, allow_estimates=True).ok


def test_without_it_cost_is_the_cheapest_plan_not_relying_on_the_assumption(tmp_path, cred):
    """Pool: a $30/yr club stating 10 credits a year. Without it, the next cheapest estimate is the
    ranged course at the top of its range ($80); with both gone there is no plan at all."""
    club = POOL_CLUB
    ranged = row("r1", provider="Q", price_min_usd="50", price_max_usd="80", credits="10")
    p = plan(
        "total=10",
        [cred],
        offerings_files=[catalog(tmp_path, club, ranged)],
        as_of=AS_OF,
        allow_estimates=True,
    )
    assert p.status == "estimated" and p.total_cost == 30.0 and p.total_with_fees == 230.0
    (a,) = p.assumptions
    assert (
        a["kind"] == "pool"
        and a["offering"] == "pool-club"
        and a["basis"]["url"] == "https://p.example/pool-club"
    )
    assert a["without_it_cost"] == 80.0 and a["without_it_total_with_fees"] == 280.0
    assert p.proof["status"] == "optimal under the listed assumptions"
    assert p.deadlines["submit_by"][0]["processing_days"] == 21  # nothing says the pool is AAMA-approved


def test_unverified_conversion_is_an_assumption_with_its_source(tmp_path, cred):
    cat = catalog(tmp_path, row("h1", price="10", credits="10", unit="contact_hour", approved=""))
    p = plan("total=10", [cred], offerings_files=[cat], as_of=AS_OF, allow_estimates=True)
    (a,) = p.assumptions
    assert (
        a["kind"] == "unit"
        and a["key"] == ["TST", "contact_hour"]
        and a["without_it"] == "no plan without it"
    )
    assert a["basis"] == {"url": "https://body.example/units", "note": "not stated by the body"}
    assert p.deadlines["submit_by"][0]["processing_days"] == 21  # not AAMA-approved


def test_cli_estimate_json_and_calendar(tmp_path, cred):
    """Default: exit 3, status infeasible, `estimate` holds the plan; --allow-estimates: exit 0, estimated;
    --ics writes the cycle end, the last day to submit and the membership's cancel-by date."""
    club = POOL_CLUB
    cat = catalog(tmp_path, club)
    args = (
        "--credential-file",
        tmp_path / "tst.toml",
        "--offerings",
        cat,
        "--gaps",
        "total=10",
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
    )
    proc = recommend(*args)
    out = json.loads(proc.stdout)
    assert proc.returncode == 3 and out["status"] == "infeasible"
    assert out["estimate"]["status"] == "estimated" and out["estimate"]["assumptions"][0]["kind"] == "pool"
    ics = tmp_path / "plan.ics"
    proc = recommend(*args, "--allow-estimates", "--ics", ics)
    out = json.loads(proc.stdout)
    assert proc.returncode == 0 and out["status"] == "estimated" and out["estimate"] is None
    assert out["cost_range"] == [30.0, 30.0] and out["total_with_fees"] == 230.0
    from icalendar import Calendar

    events = {
        str(e["summary"]): e.decoded("dtstart") for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    }
    assert events["Recertification cycle ends"] == date(2027, 12, 31)
    assert events["Cancel the auto-renewal of pool-club title"] == date(2026, 12, 31)


def test_shipped_cma_prints_shortfall_then_estimate(shipped_home):
    gaps = "general=10,clinical=10,administrative=10,total=60,approved:AAMA=30"
    proc = recommend("--credential", "CMA", "--gaps", gaps, "--as-of", "2026-12-02", home=shipped_home)
    text = " ".join(proc.stdout.split())
    assert proc.returncode == 3
    assert text.index("What the catalog cannot cover") < text.index("Cheapest plan (estimate)")
    assert "Assumptions this estimate relies on" in text and "no plan without it" in text
    proc = recommend(
        "--credential",
        "CMA",
        "--gaps",
        gaps,
        "--as-of",
        "2026-12-02",
        "--format",
        "json",
        "--allow-estimates",
        home=shipped_home,
    )
    out = json.loads(proc.stdout)
    assert proc.returncode == 0 and out["status"] == "estimated" and out["shortfalls"]
    pool = next(a for a in out["assumptions"] if a["kind"] == "pool")
    assert (
        pool["offering"] == "ace-annual-membership"
        and "more than 40 CEUs every year" in pool["basis"]["note"]
    )
    assert {f["name"] for f in out["fees"]} <= {"ce_recertification_member", "ce_recertification_nonmember"}
    assert out["total_with_fees"] == round(out["total_cost"] + sum(f["amount"] for f in out["fees"]), 2)


def test_low_confidence_inferred_area_is_an_assumption_with_its_confidence(cred):
    """c1's clinical area was inferred at confidence 0.55 (< 0.8): a proven plan cannot count it toward
    clinical, an estimate can and says so; without it there is no plan (c2 has no area at all)."""
    from recommender.table import OfferingTable

    def course(oid, price, area_source, conf):
        return {
            "id": oid,
            "title": oid,
            "provider": "P",
            "kind": "course",
            "price_usd": price,
            "credits": 2,
            "credit_unit": "aama_ceu",
            "credits_general": 0 if area_source else None,
            "credits_clinical": 2 if area_source else None,
            "credits_administrative": 0 if area_source else None,
            "area_source": area_source,
            "area_confidence": conf,
            "url": f"https://p.example/{oid}",
        }

    table = OfferingTable.from_records([course("c1", 10, "inferred", 0.55), course("c2", 5, None, None)])
    p = plan("clinical=2,total=2", [cred], table, as_of=AS_OF)
    assert p.status == "infeasible" and p.estimate is not None
    (a,) = p.estimate.assumptions
    assert a["kind"] == "area" and a["offering"] == "c1" and "confidence 0.55" in a["assumed"]
    assert a["without_it"] == "no plan without it" and p.estimate.total_cost == 10.0


def test_member_prices_for_members_and_a_membership_bought_for_them(cred):
    """An AAMA course: $40, members $10. A member (--member-of AAMA) pays 10 + member fee 100 = 110.
    A nonmember either pays 40 + 200 = 240 or buys the $50 club (which makes one a member):
    50 + 10 + 100 = 160, so the club is bought for its member price and member fee."""
    from recommender.table import OfferingTable

    rows = [
        {"id": "a1", "title": "a1", "provider": "AAMA", "kind": "course", "price_usd": 40, "member_price_usd": 10,
         "credits": 10, "credit_unit": "aama_ceu", "url": "https://aama.example/a1"},
        {"id": "club", "title": "club", "provider": "AAMA", "kind": "membership", "price_usd": 50,
         "covers": "provider=Z", "discount_pct": 100, "url": "https://aama.example/join"},
    ]  # fmt: skip
    table = OfferingTable.from_records(rows)
    member = plan("total=10", [cred], table, as_of=AS_OF, member_of=["AAMA"])
    assert member.total_cost == 10.0 and member.total_with_fees == 110.0
    assert any(n.startswith("AAMA member prices: a1") for n in member.notes)
    other = plan("total=10", [cred], table, as_of=AS_OF)
    assert {m["id"] for m in other.memberships} == {"club"} and other.total_with_fees == 160.0
    assert other.selected[0]["price_paid"] == 10.0
