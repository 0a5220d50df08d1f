"""The `recommend` start-up path never imports scrapy, scikit-learn or pandas, and planning never
imports scipy (the model is a numpy-built compressed matrix, recommender.sparse)."""

import json
import os
import subprocess
import sys

#: Planning over the shipped snapshot reads it with DuckDB alone, and small `--offerings` CSVs with the row
#: reader; only CSVs of several MB go through Arrow (recommender.api.COLUMNAR_MIN_BYTES).
HEAVY = "('scrapy', 'sklearn', 'pandas', 'scipy', 'pyarrow')"


def test_recommend_import_is_light():
    code = (
        "import sys, recommender.cli, recommender.api, recommender.solve, recommender.presolve, recommender.plans; "
        f"print(','.join(m for m in {HEAVY} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_recommend_command_stays_light(tmp_path):
    """`recommend` on the shipped catalog (an infeasible CMA answer with its estimate, and a solved
    plan) ends without having imported scipy, pandas, pyarrow, scikit-learn or scrapy."""
    code = (
        "import sys, atexit; "
        f"atexit.register(lambda: print('HEAVY:' + ','.join(m for m in {HEAVY} if m in sys.modules))); "
        "from recommender.cli import main; main(sys.argv[1:])"
    )
    env = {**os.environ, "CEU_HOME": str(tmp_path)}
    cma = [
        "--credential",
        "CMA",
        "--gaps",
        "general=10,clinical=10,administrative=10,total=60,approved:AAMA=30",
    ]
    for args, status, rc in ((cma, "infeasible", 3), (["--gaps", "total=2"], "optimal", 0)):
        out = subprocess.run(
            [sys.executable, "-c", code, *args, "--format", "json"], capture_output=True, text=True, env=env
        )
        answer, _, heavy = out.stdout.rpartition("HEAVY:")
        assert out.returncode == rc, out.stderr
        assert json.loads(answer)["status"] == status
        assert status == "optimal" or json.loads(answer)["estimate"]["status"] == "estimated"
        assert heavy.strip() == ""


def test_a_whole_plan_stays_light(tmp_path):
    """Even after planning from a CSV, none of the heavy modules was loaded."""
    from tests.helpers import FIXTURES

    code = (
        "import sys; from recommender import plan; "
        f"p = plan('clinical=5', catalog={str(FIXTURES / 'offerings' / 'employer.csv')!r}); "
        f"assert p.ok; print(','.join(m for m in {HEAVY} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_recommender_plan_stays_the_function_after_importing_the_api():
    """A submodule named like the API function would shadow it once imported."""
    import recommender
    import recommender.api  # noqa: F401

    assert callable(recommender.plan) and not isinstance(recommender.plan, type(recommender))
