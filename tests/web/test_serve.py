"""`recommend serve` as a user starts it: a real uvicorn process on 127.0.0.1, light CLI start-up."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

from tests.helpers import recommend
from tests.web.server import serving


def test_serve_answers_on_localhost_and_logs_paths_only(tmp_path):
    with serving(tmp_path) as (url, proc):
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "/plan?credential=CCMA&gaps=total%3D10") as r:
            html = r.read().decode()
        assert r.status == 200 and "Your cheapest plan" in html and "NHA CE library" in html
        assert r.headers["x-content-type-options"] == "nosniff"
        proc.terminate()
        log = proc.communicate(timeout=10)[0]
    assert "GET /plan 200" in log
    assert "gaps=" not in log and "total%3D10" not in log and "CCMA" not in log


def test_serve_help_has_an_example():
    proc = recommend("serve", "--help")
    assert proc.returncode == 0 and "Example:" in proc.stdout and "127.0.0.1" in proc.stdout


def test_the_recommend_start_up_path_does_not_import_the_web_stack():
    code = (
        "import sys, recommender.cli; "
        "print(','.join(m for m in ('fastapi', 'uvicorn', 'starlette', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_readme_shows_the_plan_page_and_the_command_to_start_it():
    from tests.helpers import REPO

    readme = (REPO / "README.md").read_text()
    assert "](docs/img/plan.png)" in readme and "```bash\nrecommend serve\n```" in readme
    assert (REPO / "docs" / "img" / "plan.png").stat().st_size < 150_000
