"""Hand-checked tiny catalogs where the optimum is obvious (explained in each docstring)."""

from datetime import date

import pytest

from recommender.api import plan
from recommender.table import OfferingTable


def course(id, price, credits, area="clinical", approved=("AAMA",), provider="X", hours="credits", **kw):
    row = {
        "id": id,
        "title": id,
        "provider": provider,
        "kind": kw.pop("kind", "course"),
        "price_usd": price,
        "credits": credits,
        "credit_unit": kw.pop("unit", "aama_ceu"),
        "hours": credits if hours == "credits" else hours,
        "approved_by": list(approved),
        "url": f"https://example.test/{id}",
        "delivery": kw.pop("delivery", "online"),
    }
    for a in ("general", "clinical", "administrative"):
        row[f"credits_{a}"] = (
            None
            if area is None
            else (area.get(a, 0) if isinstance(area, dict) else (credits if a == area else 0))
        )
    row.update(kw)
    return row


def membership(id, price, covers, discount=100, provider="X", basis="per_year", term=12):
    return {
        "id": id,
        "title": id,
        "provider": provider,
        "kind": "membership",
        "price_usd": price,
        "covers": covers,
        "discount_pct": discount,
        "price_basis": basis,
        "term_months": term,
        "url": f"https://example.test/{id}",
    }


def run(rows, gaps, creds=("CMA",), **kw):
    return plan(gaps, list(creds), OfferingTable.from_records(rows), as_of=date(2026, 1, 15), **kw)


def ids(p):
    return sorted(s["id"] for s in p.selected)


def test_membership_bought_when_its_courses_beat_single_purchases():
    """Three 5-point ACE courses at $20 each ($60) versus the $29.95 membership covering all: buy it."""
    rows = [course(f"ace{i}", 20, 5, provider="ACE") for i in range(3)] + [
        membership("ace-m", 29.95, "provider=ACE")
    ]
    p = run(rows, "clinical=15,total=15")
    assert p.total_cost == 29.95
    assert [m["id"] for m in p.memberships] == ["ace-m"]
    assert all(s["price_paid"] == 0 and s["via_membership"] == "ace-m" for s in p.selected)
    assert p.memberships[0]["savings_vs_single_purchases"] == 30.05
    assert p.memberships[0]["cancel_renewal_by"] == "2027-01-14"


def test_membership_not_bought_when_one_cheap_course_suffices():
    """One 5-point course at $9 closes the gap; the $29.95 membership would cost more."""
    rows = [course(f"ace{i}", 20, 5, provider="ACE") for i in range(3)] + [
        membership("ace-m", 29.95, "provider=ACE"),
        course("cheap", 9, 5, provider="Other"),
    ]
    p = run(rows, "clinical=5,total=5")
    assert p.total_cost == 9.0 and ids(p) == ["cheap"] and p.memberships == []


def test_half_price_self_study_pays_only_with_the_membership():
    """Self-study at $50 each, 50% off for $37 members. Two courses: 100 alone vs 37+50=87 -> member.
    One course: 50 alone vs 37+25=62 -> no membership."""
    rows = [course(f"ss{i}", 50, 10, provider="AAMA", delivery="self_study") for i in range(2)] + [
        membership("aama-m", 37, "provider=AAMA;delivery=self_study", discount=50, provider="AAMA")
    ]
    two = run(rows, "clinical=20,total=20")
    assert two.total_cost == 87.0 and [m["id"] for m in two.memberships] == ["aama-m"]
    assert sorted(s["price_paid"] for s in two.selected) == [25.0, 25.0]
    one = run(rows, "clinical=10,total=10")
    assert one.total_cost == 50.0 and one.memberships == []


def test_a_fourth_cpr_card_never_helps():
    """CPR cards count 4 clinical points each, at most 3 cards (12 points). With 16 clinical points
    needed, four $1 cards would reach 16 but only 12 count: the plan buys 3 cards and one $30 course."""
    rows = [course(f"cpr{i}", 1, 1, area=None, kind="cpr", unit="cpr_card", approved=()) for i in range(4)]
    rows.append(course("clin", 30, 4))
    p = run(rows, "clinical=16,total=16")
    assert p.total_cost == 33.0
    assert sum(1 for s in p.selected if s["kind"] == "cpr") == 3


def test_split_course_counts_in_both_areas():
    """A $10 course worth 1 clinical + 1 general closes both 1-point gaps alone (two singles cost $16)."""
    rows = [
        course("split", 10, 2, area={"clinical": 1, "general": 1}),
        course("c", 8, 1),
        course("g", 8, 1, area="general"),
    ]
    p = run(rows, "clinical=1,general=1,total=2")
    assert ids(p) == ["split"] and p.total_cost == 10.0
    assert p.selected[0]["credits_by_area"] == {"general": 1, "clinical": 1}


def test_fewest_hours_among_equally_cheap_plans():
    """Two $10 courses give the same 3 points; the 3-hour one beats the 6-hour one."""
    rows = [course("long", 10, 3, hours=6), course("short", 10, 3, hours=3)]
    p = run(rows, "clinical=3,total=3")
    assert ids(p) == ["short"] and p.total_hours == 3


def test_unknown_price_is_never_planned_as_free():
    """The only course has no published price: no plan, and the reason says so."""
    p = run([course("mystery", None, 10)], "clinical=10,total=10")
    assert p.status == "infeasible"
    assert "CMA:clinical" in p.reason and "10 needed" in p.reason and "no published price" in p.reason


def test_unknown_credits_are_never_counted():
    """Covered by a $29.95 membership but with unknown credits: the reason names them and the membership."""
    rows = [
        course("ace-x", None, None, provider="ACE", area=None),
        membership("ace-m", 29.95, "provider=ACE"),
    ]
    p = run(rows, "total=5")
    assert p.status == "infeasible"
    assert "credit values unknown for 1 offering(s) (ACE: ace-x)" in p.reason and "$29.95" in p.reason


def test_infeasible_reason_names_requirement_and_shortfall_under_filters():
    """Only 12 AAMA-approved points exist online; 18 are needed -> short by 6 with --delivery online."""
    rows = [course(f"on{i}", 10, 4, area="administrative", delivery="online") for i in range(3)]
    rows.append(course("inperson", 10, 10, area="administrative", delivery="in_person"))
    p = run(rows, "administrative=18,total=18,approved:AAMA=18", delivery=["online"])
    assert p.status == "infeasible"
    assert p.reason.startswith("CMA:administrative: at most 12 administrative credits")
    assert "--delivery online; 18 needed (short by 6)" in p.reason


def test_non_aama_cap_counts_capped_credits_in_the_users_favour():
    """non-AAMA credits count at most 30. Need 40 total: a free 40-point non-AAMA course gives only 30,
    so 10 AAMA-approved points must be bought too ($5)."""
    rows = [course("free-non", 0, 40, area="general", approved=()), course("aama", 5, 10)]
    p = run(rows, "total=40")
    assert p.total_cost == 5.0 and ids(p) == ["aama", "free-non"]


def test_joint_plan_counts_each_credit_for_each_credential():
    """CMA needs 10 AAMA points, CCMA 10 NHA credits (= 20 contact hours). One 20-hour contact-hour course
    ($40) approved by AAMA serves CMA (20 points) and CCMA (10 credits); cheaper than two separate buys ($60).
    The NHA-credit course (hours not stated) does not count for CMA."""
    rows = [
        course("both", 40, 20, unit="contact_hour"),
        course("cma-only", 30, 10),
        course("nha-only", 30, 10, unit="nha_credit", approved=("NHA",), hours=None),
    ]
    p = run(rows, ["total=10", "total=10"], creds=("CMA", "CCMA"))
    assert ids(p) == ["both"] and p.total_cost == 40.0
    assert p.selected[0]["credits"] == {"CMA": 20, "CCMA": 10}


def test_budget_and_max_hours_make_plans_infeasible_with_a_reason():
    rows = [course("a", 50, 10, hours=10)]
    assert "over --budget $20.00" in run(rows, "clinical=10,total=10", budget=20).reason
    assert run(rows, "clinical=10,total=10", max_hours=5).status == "infeasible"
    assert run(rows, "clinical=10,total=10", budget=50).status == "optimal"


def test_frontier_lists_pareto_plans_cheapest_first():
    """$10 for 10 h or $30 for 2 h: both are Pareto-optimal, the frontier lists them in that order."""
    rows = [course("slow", 10, 5, hours=10), course("fast", 30, 5, hours=2), course("bad", 40, 5, hours=10)]
    p = run(rows, "clinical=5,total=5", frontier=True)
    assert [(q.total_cost, q.total_hours) for q in p.frontier] == [(10.0, 10), (30.0, 2)]


@pytest.mark.parametrize("flt", [{"exclude_provider": ["x"]}, {"delivery": ["in_person"]}])
def test_filters_remove_offerings(flt):
    p = run([course("a", 5, 5)], "clinical=5,total=5", **flt)
    assert p.status == "infeasible"


def test_plan_to_frame_for_notebooks():
    """The DataFrame view has one row per selected offering with its price and area credits."""
    p = run([course("a", 5, 5), course("b", 7, 5)], "clinical=10,total=10")
    df = p.to_frame()
    assert (
        sorted(df["id"]) == ["a", "b"]
        and df["price_paid"].sum() == 12.0
        and df["credits_clinical"].sum() == 10
    )
