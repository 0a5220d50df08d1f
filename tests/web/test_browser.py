"""Real-browser tests: Playwright drives Debian's headless Chromium against `recommend serve`.

`playwright install` cannot download a browser here, so Playwright is pointed at /usr/bin/chromium
(`.ci/run` installs it with apt-get when missing). axe-core (bundled by axe-playwright-python)
checks every page: zero serious or critical violations.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.web.conftest import CMA_START, DONE, START, TRANSCRIPTS, current
from tests.web.server import serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(web_home):
    with serving(web_home) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh page that fails the test on any CSP violation or script error."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.set_default_timeout(30_000)
    yield pg
    context.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def _submit(page, name: str):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_ccma_flow_by_form(page):
    page.goto("/")
    page.get_by_label(re.compile(r"^CCMA Certified Clinical Medical Assistant")).check()
    page.get_by_label("First day of your current cycle").fill(START.isoformat())
    page.locator("#a1-date").fill(DONE.isoformat())
    page.locator("#a1-title").fill("Phlebotomy Review")
    page.locator("#a1-provider").fill("NHA")
    page.locator("#a1-credits").fill("4")
    page.locator("#a1-unit").select_option(label="NHA CE credits")
    page.locator("#a1-area").select_option("clinical")
    page.locator("#a1-approved").select_option("NHA")
    _submit(page, "Find my cheapest plan")
    assert page.locator("h1").inner_text() == "Your cheapest plan"
    needed = page.locator("section.evaluation tbody tr").first.locator("td").last
    assert needed.inner_text() == "6"
    assert page.locator("table.plan tbody tr").count() >= 1
    assert page.locator(".totals dd").first.inner_text().startswith("$")


def test_cma_flow_with_an_uploaded_transcript_and_csv_download(page):
    page.goto("/")
    page.get_by_label(re.compile(r"^CMA Certified Medical Assistant")).check()
    page.get_by_label("First day of your current cycle").fill(CMA_START.isoformat())
    page.get_by_label("Or upload your transcript").set_input_files(
        {"name": "cma.csv", "mimeType": "text/csv", "buffer": current("cma.csv")}
    )
    _submit(page, "Find my cheapest plan")
    assert page.get_by_role("heading", name="CMA: what counts so far").is_visible()
    assert "before the cycle starts" in page.locator(".not-counted").inner_text()
    assert (
        page.get_by_role("link", name="Electronic Health Records")
        .get_attribute("href")
        .startswith("https://")
    )
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download the plan (CSV)").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("nw-records,Electronic Health Records")


def test_joint_plan(page):
    page.goto("/plan?credential=CMA&credential=CCMA")
    intro = page.locator("p.for").inner_text()
    assert "CMA" in intro and "CCMA" in intro
    assert (
        "cancel by"
        in page.locator("section", has=page.get_by_role("heading", name="Memberships")).inner_text()
    )
    assert page.get_by_role("cell", name=re.compile("CCMA: Total")).count() >= 1


def test_infeasible_answer(page):
    page.goto("/")
    page.get_by_label(re.compile(r"^CCMA ")).check()
    page.get_by_label("Most you will spend (USD)").fill("5")
    _submit(page, "Find my cheapest plan")
    assert page.locator("h1").inner_text() == "No plan closes your gaps yet"
    assert (
        "Remove a filter"
        in page.get_by_role("heading", name="What you can do next").locator("xpath=..").inner_text()
    )


def test_bad_upload_shows_every_file_line_field_error(page):
    page.goto("/")
    page.get_by_label(re.compile(r"^CMA Certified Medical Assistant")).check()
    page.get_by_label("First day of your current cycle").fill("2024-01-01")
    page.get_by_label("Or upload your transcript").set_input_files(str(TRANSCRIPTS / "bad.csv"))
    _submit(page, "Find my cheapest plan")
    alert = page.get_by_role("alert")
    assert "bad.csv:2:completed_on: not an ISO date" in alert.inner_text()
    assert "bad.csv:4:credits: not a number" in alert.inner_text()
    assert page.get_by_label(re.compile(r"^CMA Certified Medical Assistant")).is_checked()  # the form is kept


def test_phone_width_375(browser, base_url, tmp_path):
    ctx = browser.new_context(
        base_url=base_url, viewport={"width": 375, "height": 812}, device_scale_factor=2
    )
    pg = ctx.new_page()
    for path in ("/", "/plan?credential=CMA", "/catalog?text=course", "/catalog/nw-all-access"):
        pg.goto(path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375 px"
    pg.goto("/plan?credential=CMA")
    # the plan is a list of cards on a phone: the header row is hidden, each row is a block
    assert pg.evaluate("getComputedStyle(document.querySelector('table.plan tbody tr')).display") == "block"
    shot = tmp_path / "plan-375.png"
    pg.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    pg.set_viewport_size({"width": 1200, "height": 900})
    assert (
        pg.evaluate("getComputedStyle(document.querySelector('table.plan tbody tr')).display") == "table-row"
    )
    ctx.close()


PAGES = [
    "/",
    "/plan?credential=CMA",
    "/plan?credential=CCMA&budget=5",
    "/plan?credential=CMX",
    "/gaps?credential=CMA&cycle_start=2024-01-01",
    "/catalog",
    "/catalog?category=clinical",
    "/catalog/nw-all-access",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
def test_accessibility(page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(path)
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.lang") == "en"
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
           .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)"""
    )
    assert unlabelled == []


def test_accessibility_of_a_page_built_from_a_transcript(page):
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/")
    page.get_by_label(re.compile(r"^CMA Certified Medical Assistant")).check()
    page.get_by_label("First day of your current cycle").fill(CMA_START.isoformat())
    page.get_by_label("Or upload your transcript").set_input_files(
        {"name": "cma.csv", "mimeType": "text/csv", "buffer": current("cma.csv")}
    )
    _submit(page, "Find my cheapest plan")
    violations = Axe().run(page).response["violations"]
    assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def test_keyboard_only_flow(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cred-CCMA":
            break
    else:
        pytest.fail("the CCMA checkbox cannot be reached with Tab")
    page.keyboard.press("Space")
    assert page.locator("#cred-CCMA").is_checked()
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Find my cheapest plan":
            break
    else:
        pytest.fail("the submit button cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Your cheapest plan"


def test_api_docs_load_offline(page):
    """Swagger UI from local files, started by a static script: no CSP violation (checked by `page`)."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/docs")
    page.get_by_text("/api/plan").first.wait_for()
    assert page.locator("h1:visible").count() == 1
    # Swagger UI's own widgets (a third-party bundle) fail axe's nested-interactive and colour-contrast
    # rules; our part of the page is checked, the widget is excluded (the same API is in docs/web.md).
    violations = Axe().run(page, context={"exclude": [["#swagger-ui"]]}).response["violations"]
    assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
