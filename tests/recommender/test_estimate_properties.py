"""Hypothesis: on small random catalogs with pools, ranged prices, unverified conversions, fees, owned
memberships and finish-by dates, `recommender.plan` equals a brute-force oracle: the proven plan is the
cheapest using stated facts only (offerings + fees) and relies on no assumption; when none exists, the
estimate is the cheapest plan allowed to use the assumptions, and is feasible under them."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from recommender import plan
from recommender.rules import load_credential_file
from tests.recommender.test_estimates import CRED, HEAD, row

AS_OF, FINISH = date(2026, 1, 1), date(2028, 1, 1)  # 24 months: two membership years fit


@st.composite
def cases(draw):
    courses = []
    for i in range(draw(st.integers(1, 5))):
        price = draw(st.sampled_from(["exact", "exact", "range", "unknown"]))
        courses.append(
            {
                "id": f"c{i}",
                "provider": draw(st.sampled_from(["P", "Q", "R"])),
                "credits": draw(st.integers(1, 3)),
                "unit": draw(st.sampled_from(["aama_ceu", "aama_ceu", "contact_hour"])),
                "area": draw(st.sampled_from(["general", "clinical", ""])),
                "lo": draw(st.sampled_from([5, 10, 20])),
                "hi": draw(st.sampled_from([25, 40])),
                "price": price,
                "late": draw(st.booleans()) and draw(st.booleans()),  # an event after the finish-by date
            }
        )
    return {
        "courses": courses,
        "lib": draw(st.sampled_from([None, 15, 40])),  # covers provider P at 100%
        "club": draw(st.sampled_from([None, 60, 150])),  # makes you a member: fee 100 instead of 200
        "pool": draw(st.sampled_from([None, (20, 2, "general"), (30, 3, "general;clinical")])),  # covers Q
        "have_lib": draw(st.booleans()),
        "member": draw(st.booleans()),
        "gaps": {"general": draw(st.integers(0, 2)), "total": draw(st.integers(1, 6))},
    }


def catalog_rows(case) -> str:
    out = []
    for c in case["courses"]:
        price = {
            "exact": {"price": str(c["hi"])},
            "range": {"price_min_usd": str(c["lo"]), "price_max_usd": str(c["hi"])},
        }
        out.append(
            row(
                c["id"],
                credits=str(c["credits"]),
                unit=c["unit"],
                area=c["area"],
                provider=c["provider"],
                valid_from="2028-06-01" if c["late"] else "",
                kind="conference" if c["late"] else "course",
                **price.get(c["price"], {}),
            )
        )
    for oid, covers in (("lib", "provider=P"), ("club", "provider=Z")):  # club covers nothing: fees only
        if case[oid] is not None:
            out.append(
                row(
                    oid,
                    kind="membership",
                    price=str(case[oid]),
                    covers=covers,
                    discount_pct="100",
                    approved="",
                )
            )
    if case["pool"] is not None:
        price, amount, areas = case["pool"]
        out.append(
            row(
                "pool-club",
                kind="membership",
                price=str(price),
                covers="provider=Q",
                discount_pct="100",
                price_basis="per_year",
                term_months="12",
                approved="",
                pool_credits=str(amount),
                pool_unit="aama_ceu",
                pool_per="year",
                pool_areas=areas,
            )
        )
    return HEAD + "".join(out)


def oracle(case, estimate: bool) -> float | None:
    """Cheapest offerings + fees, enumerating memberships, pool years and course subsets."""
    courses = [c for c in case["courses"] if not c["late"]]
    best = None
    pool = case["pool"]
    for lib, club, years in itertools.product(
        [0, 1] if case["lib"] is not None else [0],
        [0, 1] if case["club"] is not None else [0],
        range((3 if estimate else 2) if pool else 1),  # proven plans may buy it for its coverage only
    ):
        base = (lib * case["lib"] if lib and not case["have_lib"] else 0) + (
            club * case["club"] if club else 0
        )
        base += years * pool[0] if years else 0
        lib_on = lib or (case["have_lib"] and case["lib"] is not None)
        for k in range(len(courses) + 1):
            for chosen in itertools.combinations(courses, k):
                cost, gen, tot, ok = base, 0, 0, True
                for c in chosen:
                    if c["unit"] == "contact_hour" and not estimate:
                        ok = False
                    if lib_on and c["provider"] == "P" or (years and c["provider"] == "Q"):
                        pass
                    elif c["price"] == "exact" or (c["price"] == "range" and estimate):
                        cost += c["hi"]
                    else:
                        ok = False
                    gen += c["credits"] if c["area"] == "general" else 0
                    tot += c["credits"]
                if not ok:
                    continue
                amount = years * pool[1] if years and estimate else 0
                in_general = amount if years and "general" in pool[2] else 0
                if gen + in_general < case["gaps"]["general"] or tot + amount < case["gaps"]["total"]:
                    continue
                fee = 100 if (club or case["member"]) else 200
                if best is None or cost + fee < best:
                    best = cost + fee
    return best


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=cases())
def test_proven_and_estimated_plans_equal_brute_force(case, tmp_path_factory):
    d = tmp_path_factory.mktemp("case")
    (d / "tst.toml").write_text(CRED)
    (d / "offers.csv").write_text(catalog_rows(case))
    cred = load_credential_file(d / "tst.toml")
    gaps = ",".join(f"{k}={v}" for k, v in case["gaps"].items())
    p = plan(
        gaps,
        [cred],
        offerings_files=[d / "offers.csv"],
        as_of=AS_OF,
        finish_by=FINISH,
        have=["lib"] if case["have_lib"] and case["lib"] is not None else [],
        member_of=["AAMA"] if case["member"] else [],
    )
    proven, estimated = oracle(case, False), oracle(case, True)
    event("proven" if proven is not None else ("estimated" if estimated is not None else "no plan"))
    if proven is not None:
        assert p.status == "optimal" and p.total_with_fees == proven
        assert not p.assumptions and not any(s["price_is_estimate"] or "~pool" in s["id"] for s in p.selected)
        return
    assert p.status == "infeasible"
    if estimated is None:
        assert p.estimate is None
        return
    e = p.estimate
    event("estimate kinds: " + ",".join(sorted({a["kind"] for a in e.assumptions})) if e else "none")
    assert e is not None and e.status == "estimated" and e.total_with_fees == estimated
    assert e.assumptions and {a["kind"] for a in e.assumptions} <= {"pool", "price", "unit", "area"}
    assert e.cost_range[0] <= e.cost_range[1] == e.total_cost
