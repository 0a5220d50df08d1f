"""The `recommend` start-up path never imports scrapy, scikit-learn or pandas."""

import subprocess
import sys


def test_recommend_import_is_light():
    code = (
        "import sys, recommender.cli, recommender.api, recommender.solve, recommender.presolve, recommender.plans; "
        "print(','.join(m for m in ('scrapy', 'sklearn', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_whole_plan_stays_light(tmp_path):
    """Even after planning from a CSV, none of the heavy modules was loaded."""
    from tests.helpers import FIXTURES

    code = (
        "import sys; from recommender import plan; "
        f"p = plan('clinical=5', catalog={str(FIXTURES / 'offerings' / 'employer.csv')!r}); "
        "assert p.ok; print(','.join(m for m in ('scrapy', 'sklearn', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_recommender_plan_stays_the_function_after_importing_the_api():
    """A submodule named like the API function would shadow it once imported."""
    import recommender
    import recommender.api  # noqa: F401

    assert callable(recommender.plan) and not isinstance(recommender.plan, type(recommender))
