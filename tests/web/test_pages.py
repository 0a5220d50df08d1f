"""Every HTML page and its errors, through FastAPI's TestClient over a real catalog home."""

from __future__ import annotations

import csv
import io
from datetime import date

from tests.web.conftest import CCMA_START, CMA_START, DONE, START, TRANSCRIPTS, current


def test_form_offers_every_credential_by_full_name_and_labelled_choices(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="en">' in html and html.count("<h1>") == 1
    assert (
        "Certified Medical Assistant (AAMA)" in html and "Certified Clinical Medical Assistant (NHA)" in html
    )
    assert (
        '<label for="a1-unit">Unit</label>' in html
        and '<option value="nha_credit">NHA CE credits</option>' in html
    )
    assert 'value="Northwind CE"' in html  # providers from the catalog for "never buy from"


def test_form_prefills_from_the_query(client):
    html = client.get("/?credential=CMA&budget=40&delivery=online").text
    assert 'id="cred-CMA"\n               aria-describedby="cred-hint" checked' in html
    assert 'name="budget" min="0" step="0.01" inputmode="decimal" value="40"' in html


def test_shareable_plan_page_shows_offerings_membership_cancel_date_and_proof(client):
    r = client.get("/plan", params={"credential": "CMA"})
    assert r.status_code == 200
    html = r.text
    assert "Your cheapest plan" in html and "$49.95" in html
    assert 'href="https://northwind-ce.example/pharm"' in html
    assert "Northwind All-Access (one year)" in html and "cancel by" in html
    assert "proved that no plan costs less than $49.95" in html


def test_plan_without_a_question_goes_back_to_the_form(client):
    r = client.get("/plan", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_joint_plan_names_both_credentials(client):
    html = client.get("/plan?credential=CMA&credential=CCMA").text
    assert "<strong>CMA</strong>" in html and "<strong>CCMA</strong>" in html
    assert "CCMA: Total" in html and "CMA: Clinical" in html


def test_infeasible_answer_says_what_the_catalog_lacks_and_what_to_do(client):
    r = client.get("/plan?credential=CCMA&budget=5")
    assert r.status_code == 200
    assert "No plan closes your gaps yet" in r.text and "more than your budget" in r.text
    assert "Remove a filter" in r.text


def test_infeasible_shortfalls_table(shipped_client):
    r = shipped_client.get("/plan?credential=CMA")
    assert r.status_code == 200
    assert "What the catalog cannot cover" in r.text and "AAMA-approved" in r.text


def test_bad_gaps_and_unknown_credential_show_the_cli_message_on_the_form(client):
    r = client.get("/plan?credential=CMA&gaps=clinicl%3D5")
    assert r.status_code == 400
    assert "unknown key &#39;clinicl&#39; (did you mean &#39;clinical&#39;?)" in r.text
    r = client.get("/plan?credential=CMX")
    assert r.status_code == 400 and "unknown credential &#39;CMX&#39;" in r.text
    r = client.get("/plan?credential=CMA&budget=lots")
    assert r.status_code == 400 and "budget: &#39;lots&#39; is not a number" in r.text


def test_transcript_upload_shows_counted_not_counted_and_plan(client):
    data = current("cma.csv")
    r = client.post(
        "/plan",
        data={"credential": "CMA", "cycle_start": CMA_START.isoformat()},
        files={"transcript": ("cma.csv", data, "text/csv")},
    )
    assert r.status_code == 200, r.text
    html = r.text
    assert "CMA: what counts so far" in html
    assert "before the cycle starts" in html  # the not-counted reason
    assert "Medical Law and Ethics" in html and "Electronic Health Records" in html  # counted; planned
    assert "<svg" in html and "credits counted per requirement" in html
    # the CSV download re-posts the same question, transcript included, as hidden fields
    assert 'name="transcript_text"' in html


def test_bad_upload_lists_every_file_line_field_error(client):
    data = (TRANSCRIPTS / "bad.csv").read_bytes()
    r = client.post(
        "/plan",
        data={"credential": "CMA", "cycle_start": "2024-01-01"},
        files={"transcript": ("bad.csv", data, "text/csv")},
    )
    assert r.status_code == 400
    assert "bad.csv:2:completed_on: not an ISO date" in r.text
    assert "bad.csv:4:credits: not a number" in r.text
    assert "bad.csv:5:credit_unit" in r.text and "did you mean &#39;aama_ceu&#39;?" in r.text


def test_not_utf8_upload(client):
    r = client.post(
        "/plan",
        data={"credential": "CMA", "cycle_start": "2024-01-01"},
        files={
            "transcript": ("t.csv", "completed_on,title,credits\n2024-01-02,Caf\xe9,1\n".encode("latin-1"))
        },
    )
    assert r.status_code == 400 and "t.csv:1:-: not valid UTF-8" in r.text


def test_activities_typed_into_the_form_are_counted(client):
    fields = {
        "credential": "CCMA",
        "cycle_start": START.isoformat(),
        "a_completed_on": [DONE.isoformat(), ""],
        "a_title": ["Phlebotomy Review", ""],
        "a_provider": ["NHA", ""],
        "a_kind": ["course", "course"],
        "a_credits": ["4", ""],
        "a_credit_unit": ["nha_credit", "contact_hour"],
        "a_areas": ["clinical", ""],
        "a_approved_by": ["NHA", ""],
    }
    r = client.post("/plan", data=fields)
    assert r.status_code == 200, r.text
    assert "Phlebotomy Review" in r.text and "CCMA: what counts so far" in r.text
    assert '<td data-label="Still needed"><strong>6</strong></td>' in r.text


def test_activity_errors_name_the_row_and_field(client):
    fields = {
        "credential": "CCMA",
        "cycle_start": START.isoformat(),
        "a_completed_on": [DONE.isoformat()],
        "a_title": ["Phlebotomy Review"],
        "a_credits": ["four"],
        "a_credit_unit": ["nha_credit"],
    }
    r = client.post("/plan", data=fields)
    assert r.status_code == 400 and "Activity 1, credits: not a number (got &#39;four&#39;)" in r.text
    assert 'value="Phlebotomy Review"' in r.text  # what was typed is kept


def test_activities_need_a_cycle(client):
    r = client.post(
        "/plan",
        data={"credential": "CCMA", "a_completed_on": DONE.isoformat(), "a_title": "X", "a_credits": "1"},
    )
    assert r.status_code == 400 and "needs the first day of your cycle or your certification date" in r.text


def test_add_rows_keeps_what_was_typed(client):
    r = client.post("/", data={"credential": "CMA", "a_title": "Vaccines", "a_credits": "2"})
    assert r.status_code == 200
    assert 'value="Vaccines"' in r.text and 'id="a4-title"' in r.text


def test_plan_csv_is_formula_safe(client):
    r = client.get("/plan.csv?credential=CCMA&gaps=total%3D0.5")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["id", "title", "provider"]
    titles = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example")' in titles
    assert [r[0] for r in rows[-2:]] == ["TOTAL", "TOTAL WITH FEES"]


def test_plan_csv_by_post_repeats_the_transcript_answer(client):
    data = current("cma.csv").decode()
    r = client.post(
        "/plan.csv",
        data={
            "credential": "CMA",
            "cycle_start": CMA_START.isoformat(),
            "transcript_text": data,
            "transcript_name": "cma.csv",
        },
    )
    assert r.status_code == 200
    assert [row[0] for row in csv.reader(io.StringIO(r.text))][1:][:2] == ["nw-records", "TOTAL"]


def test_gaps_page_without_transcript(client):
    r = client.get("/gaps?credential=CMA&cycle_start=2024-01-01")
    assert r.status_code == 200
    assert "cycle 2024-01-01 to 2028-12-31" in r.text and "AAMA-approved" in r.text
    r = client.get("/gaps?credential=CMA&gaps=clinical%3D4%2Ctotal%3D9")
    assert '<td data-label="Still needed"><strong>9</strong></td>' in r.text
    assert client.get("/gaps", follow_redirects=False).status_code == 303


def test_gaps_page_with_transcript_offers_to_plan_the_rest(client):
    r = client.post(
        "/gaps",
        data={"credential": "CMA", "cycle_start": "2021-03-01"},
        files={"transcript": ("cma.csv", (TRANSCRIPTS / "cma.csv").read_bytes())},
    )
    assert r.status_code == 200
    assert "at most 12 points from CPR cards" in r.text and "Plan the rest, cheapest first" in r.text
    # a certification date picks the cycle that contains today (AAMA: to the end of the month)
    from recommender.rules import load_credential

    start, end = load_credential("CMA").cycle_from_certification(date(2021, 3, 1), date.today())
    r = client.get("/gaps?credential=CMA&certified_on=2021-03-01")
    assert f"cycle {start} to {end}" in r.text


def test_catalog_search_and_offering_page(client):
    r = client.get("/catalog?category=clinical&max_price=10")
    assert r.status_code == 200
    assert "EKG Lead Placement" in r.text and "Vital Signs Review" not in r.text
    r = client.get("/catalog/nw-all-access")
    assert r.status_code == 200
    assert "northwind.csv" in r.text and "Gives access to 9 offerings" in r.text
    r = client.get("/catalog/nw-pharm")
    assert 'href="/catalog/nw-all-access"' in r.text


def test_catalog_errors(client):
    assert client.get("/catalog?category=cooking").status_code == 400
    r = client.get("/catalog?accepted_by=AAAM")
    assert r.status_code == 400 and "unknown body" in r.text
    r = client.get("/catalog/nw-pharn")
    assert r.status_code == 404 and "did you mean &#39;nw-pharm&#39;?" in r.text
    assert client.get("/no-such-page").status_code == 404


def test_docs_are_served_offline(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in r.text and "<script>" not in r.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/docs-init.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/plan", "/api/gaps"} <= set(spec["paths"])


def test_healthz(client):
    assert client.get("/healthz").json()["status"] == "ok"


def test_fees_deadlines_and_calendar(client):
    html = client.get("/plan?credential=CMA").text
    assert "<dt>With fees</dt><dd>$299.95</dd>" in html
    assert "ce recertification nonmember: $250.00" in html and "Dates to keep" in html
    r = client.get("/plan.ics?credential=CMA")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Recertification cycle ends" in r.text
    assert "SUMMARY:Cancel the auto-renewal of Northwind All-Access (one year)" in r.text
    r = client.post("/plan.ics", data={"credential": "CMA"})
    assert r.status_code == 200 and "BEGIN:VCALENDAR" in r.text


def test_memberships_held_and_member_fees(client):
    form = client.get("/").text
    assert 'name="have" value="nw-all-access"' in form and 'name="member_of" value="AAMA"' in form
    html = client.get("/plan?credential=CMA&have=nw-all-access&member_of=AAMA").text
    assert '<span class="badge">you have it</span>' in html
    assert "<dt>Total cost</dt><dd>$0.00</dd>" in html and "ce recertification member: $125.00" in html


def test_estimated_plan_with_its_assumptions(shipped_client):
    html = shipped_client.get("/plan?credential=CMA").text
    assert "No plan closes your gaps yet" in html and "An estimated plan (not proven)" in html
    assert "ACE annual membership" in html and "Check: how many credits the membership gives" in html


def test_plan_page_says_hours_unknown_and_names_unverified_rules_in_words(shipped_client):
    """The NHA library states no hours (so '0' would mislead) and the CCMA fee is unverified (fees[0])."""
    r = shipped_client.post(
        "/plan",
        data={"credential": "CCMA", "cycle_start": CCMA_START.isoformat()},
        files={"transcript": ("ccma.csv", current("ccma.csv"), "text/csv")},
    )
    assert r.status_code == 200, r.text
    assert "hours unknown" in r.text
    assert "Not confirmed by the NHA" in r.text and "renewal fee" in r.text
    assert "fees[0]" not in r.text
