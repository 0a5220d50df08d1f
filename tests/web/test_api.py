"""The JSON API: the CLI's shapes and messages, HTTP 200 for infeasible, 400/413/422 never 500."""

from __future__ import annotations

import json
import logging

from tests.helpers import recommend
from tests.web.conftest import CMA_START, DONE, START, TRANSCRIPTS, current


def test_get_plan_has_the_cli_json_shape(client):
    r = client.get("/api/plan", params={"credential": "CMA"})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "optimal" and body["total_cost"] == 49.95
    assert {"selected", "memberships", "requirements", "proof", "notes"} <= set(body)
    assert body["memberships"][0]["id"] == "nw-all-access" and body["memberships"][0]["cancel_renewal_by"]


def test_infeasible_is_a_normal_answer(client):
    r = client.get("/api/plan", params={"credential": "CCMA", "budget": "5"})
    assert r.status_code == 200
    assert r.json()["status"] == "infeasible" and "over --budget $5.00" in r.json()["reason"]


def test_bad_input_gets_the_cli_message(client, web_home):
    cli = recommend("--credential", "CMA", "--gaps", "clinicl=5", "--format", "json", home=web_home)
    r = client.get("/api/plan", params={"credential": "CMA", "gaps": "clinicl=5"})
    assert r.status_code == 400
    assert r.json()["status"] == "error" and r.json()["error"] in cli.stderr
    r = client.get("/api/plan")
    assert r.status_code == 400 and "give --gaps and/or --credential" in r.json()["error"]
    r = client.get("/api/plan", params={"credential": "CMA", "cycle_start": "2024-13-01"})
    assert r.status_code == 400 and "is not an ISO date" in r.json()["error"]
    r = client.get("/api/plan", params={"credential": "CMA", "delivery": "carrier_pigeon"})
    assert r.status_code == 400 and "delivery" in r.json()["error"]


def test_post_plan_with_transcript(client):
    r = client.post(
        "/api/plan",
        data={"credential": "CMA", "cycle_start": CMA_START.isoformat()},
        files={"transcript": ("cma.csv", current("cma.csv"), "text/csv")},
    )
    assert r.status_code == 200, r.text
    assert [s["id"] for s in r.json()["selected"]] == ["nw-records"]


def test_post_gaps_equals_recommend_gaps_json(client, web_home):
    path = TRANSCRIPTS / "cma.csv"
    cli = recommend(
        "gaps", "--credential", "CMA", "--transcript", path, "--cycle-start", "2021-03-01", "--format", "json"
    )
    assert cli.returncode == 0, cli.stderr
    r = client.post(
        "/api/gaps",
        data={"credential": "CMA", "cycle_start": "2021-03-01"},
        files={"transcript": ("cma.csv", path.read_bytes(), "text/csv")},
    )
    assert r.status_code == 200
    assert r.json() == json.loads(cli.stdout)
    joint = client.post(
        "/api/gaps",
        data={"credential": ["CMA", "RMA"], "cycle_start": "2021-03-01"},
        files={"transcript": ("cma.csv", path.read_bytes(), "text/csv")},
    ).json()
    assert [g["credential"] for g in joint] == ["CMA", "RMA"]


def test_post_gaps_errors(client):
    r = client.post("/api/gaps", data={"credential": "CMA", "cycle_start": "2021-03-01"})
    assert r.status_code == 400 and "transcript" in r.json()["error"]
    r = client.post(
        "/api/gaps",
        data={"credential": "CMA"},
        files={"transcript": ("cma.csv", (TRANSCRIPTS / "cma.csv").read_bytes())},
    )
    assert r.status_code == 400 and "exactly one of --cycle-start" in r.json()["error"]
    r = client.post(
        "/api/gaps",
        data={"credential": "CMA", "cycle_start": "2024-01-01"},
        files={"transcript": ("bad.csv", (TRANSCRIPTS / "bad.csv").read_bytes())},
    )
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert errors[0].startswith("bad.csv:2:completed_on:") and len(errors) >= 4


def test_upload_over_one_megabyte_is_refused(client):
    big = b"completed_on,title,credits\n" + b"2024-01-01,x,1\n" * 80_000
    r = client.post(
        "/api/gaps",
        data={"credential": "CMA", "cycle_start": "2024-01-01"},
        files={"transcript": ("t.csv", big)},
    )
    assert r.status_code == 413 and "larger than 1024 KB" in r.json()["error"]
    r = client.post("/plan", data={"credential": "CMA"}, files={"transcript": ("t.csv", big)})
    assert r.status_code == 413 and "<h1>Upload too large</h1>" in r.text


def test_unreadable_request_is_422_json(client):
    r = client.get("/api/catalog/search", params={"max_price": "cheap"})
    assert r.status_code == 422 and r.json()["error"].startswith("max_price:")


def test_catalog_api(client):
    rows = client.get("/api/catalog/search", params={"provider": "Northwind CE", "kind": "membership"}).json()
    assert [r["id"] for r in rows] == ["nw-all-access"]
    info = client.get("/api/catalog/offerings/nw-all-access").json()
    assert info["sources"][0]["source"].endswith("northwind.csv") and len(info["covers"]) == 9
    r = client.get("/api/catalog/offerings/nope")
    assert r.status_code == 404 and "no offering 'nope'" in r.json()["error"]


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/plan?credential=CCMA", "/static/style.css"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert h["x-content-type-options"] == "nosniff"
    assert client.get("/plan?credential=CCMA").headers["cache-control"] == "no-store"


def test_everything_a_person_sends_is_escaped(client):
    evil = "<script>alert(1)</script>"
    csv_text = f"completed_on,title,provider,credits,credit_unit\n{DONE},{evil},Acme,2,nha_credit\n"
    r = client.post(
        "/plan",
        data={"credential": "CCMA", "cycle_start": START.isoformat()},
        files={"transcript": ("x.csv", csv_text.encode())},
    )
    assert r.status_code == 200
    assert evil not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_nothing_entered_reaches_the_logs(client, caplog):
    import warnings

    secret = "Zanzibar Phlebotomy Secret"
    with caplog.at_level(logging.DEBUG), warnings.catch_warnings(record=True) as warned:
        client.post(
            "/plan",
            data={"credential": "CCMA", "cycle_start": START.isoformat()},
            files={"transcript": ("mine.csv", f"completed_on,title,credits\n{DONE},{secret},1\n".encode())},
        )
        client.get("/plan", params={"credential": "CCMA", "gaps": "total=7.25"})
    # every server-side record (httpx is the test's own client, logging its own requests)
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert "POST /plan 200" in text and "GET /plan 200" in text
    assert secret not in text and "7.25" not in text and "mine.csv" not in text
    assert not [w for w in warned if "mine.csv" in str(w.message)]  # a warning would print to stderr


def test_a_crash_is_a_500_that_quotes_nothing(client, caplog, monkeypatch):
    from web import service

    def boom(*a, **k):
        raise RuntimeError("Zanzibar secret title")

    monkeypatch.setattr(service, "run_plan", boom)
    with caplog.at_level(logging.DEBUG):
        r = client.get("/api/plan", params={"credential": "CCMA"})
    assert r.status_code == 500 and "Zanzibar" not in r.text
    assert "internal error RuntimeError" in caplog.text and "Zanzibar" not in caplog.text
