"""`/api/plan` and `recommend --format json` give the same answer for the same input."""

from __future__ import annotations

import json

import pytest

from tests.helpers import recommend
from tests.web.conftest import CCMA_START, CMA_START, current

CASES = [
    ("CCMA", ["--credential", "CCMA", "--gaps", "total=10"]),
    ("CMA full cycle", ["--credential", "CMA"]),
    (
        "CMA from a transcript",
        ["--credential", "CMA", "--transcript", "cma.csv", "--cycle-start", CMA_START.isoformat()],
    ),
    (
        "CCMA from a transcript",
        ["--credential", "CCMA", "--transcript", "ccma.csv", "--cycle-start", CCMA_START.isoformat()],
    ),
    ("joint CMA + CCMA", ["--credential", "CMA", "--credential", "CCMA"]),
    (
        "joint, one gaps each",
        ["--credential", "CCMA", "--credential", "RMA", "--gaps", "total=4", "--gaps", "total=9"],
    ),
    (
        "online, excluding a provider",
        ["--credential", "CCMA", "--gaps", "total=5", "--delivery", "online", "--delivery", "live_webinar"]
        + ["--exclude-provider", "Northwind CE"],
    ),
    ("infeasible: over budget", ["--credential", "CCMA", "--budget", "5"]),
    ("infeasible: not enough", ["--credential", "CMA", "--exclude-provider", "Northwind CE"]),
]


def _api_fields(args: list[str]) -> tuple[dict[str, list[str]], str | None]:
    names = {
        "--credential": "credential",
        "--gaps": "gaps",
        "--cycle-start": "cycle_start",
        "--budget": "budget",
        "--delivery": "delivery",
        "--exclude-provider": "exclude_provider",
    }
    fields: dict[str, list[str]] = {}
    transcript = None
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag == "--transcript":
            transcript = value
        else:
            fields.setdefault(names[flag], []).append(value)
    return fields, transcript


def _essence(plan: dict) -> tuple:
    return (
        plan["status"],
        plan["total_cost"],
        sorted(s["id"] for s in plan["selected"]),
        sorted(m["id"] for m in plan["memberships"]),
    )


@pytest.mark.parametrize("args", [a for _, a in CASES], ids=[n for n, _ in CASES])
def test_api_and_cli_agree(client, web_home, args, tmp_path):
    fields, transcript = _api_fields(args)
    for name in ("cma.csv", "ccma.csv"):
        (tmp_path / name).write_bytes(current(name))
    cli_args = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    proc = recommend(*cli_args, "--format", "json", home=web_home)
    assert proc.returncode in (0, 3), proc.stderr
    cli = json.loads(proc.stdout)
    if transcript:
        r = client.post(
            "/api/plan",
            data=fields,
            files={"transcript": (transcript, current(transcript))},
        )
    else:
        r = client.get("/api/plan", params=fields)
    assert r.status_code == 200, r.text
    assert _essence(r.json()) == _essence(cli)
    assert (proc.returncode == 3) == (cli["status"] == "infeasible")


@pytest.mark.parametrize("args", [["--credential", "CCMA", "--gaps", "total=10"], ["--credential", "CMA"]])
def test_api_and_cli_agree_on_the_shipped_catalog(shipped_client, tmp_path, args):
    proc = recommend(*args, "--format", "json", home=tmp_path)
    fields, _ = _api_fields(args)
    r = shipped_client.get("/api/plan", params=fields)
    assert r.status_code == 200
    assert _essence(r.json()) == _essence(json.loads(proc.stdout))


def test_have_and_member_of_agree(client, web_home):
    args = ["--credential", "CMA", "--have", "nw-all-access", "--member-of", "AAMA"]
    cli = json.loads(recommend(*args, "--format", "json", home=web_home).stdout)
    api = client.get(
        "/api/plan", params={"credential": "CMA", "have": "nw-all-access", "member_of": "AAMA"}
    ).json()
    assert _essence(api) == _essence(cli) and api["total_with_fees"] == cli["total_with_fees"] == 125.0
