"""recommender.explain: when HiGHS finds no plan although every gap alone can be met, the reason
names the constraint family that blocks (found by relaxing one family at a time)."""

from recommender.explain import bound_check
from recommender.families import FAMILIES
from tests.recommender.test_plan import course, run


def test_caps_that_block_every_plan_are_named():
    """40 non-AAMA points exist and 40 are needed, but at most 30 non-AAMA points count (CMA cap):
    each gap alone passes the bound check (the caps' sum is 42), the caps together block."""
    p = run([course("n1", 10, 20, approved=()), course("n2", 10, 20, approved=())], "total=40")
    assert p.status == "infeasible" and p.proof["by"] == "HiGHS: infeasible"
    assert p.proof["families"] == ["caps"]
    assert "under the caps (CMA:cap:non_aama<=30" in p.reason


def test_an_hours_limit_that_blocks_every_plan_is_named():
    p = run([course("a", 50, 10, hours=10)], "clinical=10,total=10", max_hours=5)
    assert p.status == "infeasible" and p.proof["families"] == ["minutes"]
    assert "minutes<=300" in p.reason and "--max-hours 5" in p.reason


def test_every_family_is_registered_once_with_a_builder():
    names = [f.name for f in FAMILIES]
    assert len(names) == len(set(names)) and all(callable(f.build) for f in FAMILIES)
    assert bound_check.__module__ == "recommender.explain"
