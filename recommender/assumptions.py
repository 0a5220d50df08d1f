"""The assumptions an estimated plan relies on, each with its basis (URL, the catalog's note) and what to check."""

from __future__ import annotations

from typing import Any

import numpy as np

from recommender.estimate import POOL_TAG, _pools_of, unverified_units
from recommender.table import AREAS, OfferingTable

MIN_AREA_CONFIDENCE = 0.8  # the planner's threshold for inferred areas (CredentialView default)


def find_assumptions(p: Any, t: OfferingTable, creds: list[Any], notes: Any) -> list[dict[str, Any]]:
    """The assumptions estimated plan `p` (over table `t`) relies on, each with its basis and what to check.

    `notes(ids)` returns the catalog's note (description) for offering ids.
    """
    from recommender.member_prices import rows_of

    ids = [s["id"] for s in p.selected]
    index = rows_of(t, ids + [i.split(POOL_TAG)[0] for i in ids if POOL_TAG in i])
    out: list[dict[str, Any]] = []
    pools: dict[str, list[dict]] = {}
    units: dict[tuple[str, str], list[str]] = {}
    for s in p.selected:
        k = index[s["id"]]
        if POOL_TAG in s["id"]:
            pools.setdefault(s["id"].split(POOL_TAG)[0], []).append(s)
            continue
        if s.get("price_is_estimate") and not s.get("via_membership"):
            lo, hi = t.price_min_cents[k] / 100.0, t.price_cents[k] / 100.0
            out.append(
                _a(
                    "price",
                    s["id"],
                    s,
                    f"costs ${hi:.2f}, the top of its published range ${lo:.2f}-${hi:.2f}",
                    "the actual price on the provider's page",
                )
            )
        conf = t.area_confidence[k]
        if t.area_inferred[k] and not (conf >= MIN_AREA_CONFIDENCE):
            areas = [a for a in AREAS if s.get("credits_by_area", {}).get(a)]
            if areas:
                out.append(
                    _a(
                        "area",
                        s["id"],
                        s,
                        f"counts toward the {' and '.join(areas)} area (inferred from its title by the classifier, "
                        f"confidence {conf:.2f}, below the {MIN_AREA_CONFIDENCE} the planner trusts)",
                        "the content area the provider states for this course",
                    )
                )
        for c in creds:
            if not s.get("credits", {}).get(c.code):
                continue
            u = str(t.credit_unit[k])
            if (
                (np.isnan(t.credits[k]) or u not in c.units)
                and "contact_hour" in c.units
                and not np.isnan(t.hours[k])
            ):
                u = "contact_hour"
            if u in unverified_units(c):
                units.setdefault((c.code, u), []).append(s["title"])
    for (code, u), titles in units.items():
        c = next(c for c in creds if c.code == code)
        src = _unit_source(c, u)
        out.append(
            {
                "kind": "unit",
                "key": [code, u],
                "offering": None,
                "title": "; ".join(titles),
                "assumed": f"{code} counts 1 {u} as {c.units[u]:g} {c.unit} (the credential file marks this "
                f"conversion unverified)",
                "basis": {"url": src[0], "note": src[1]},
                "check": f"how {c.body} counts {u} toward {code} on its own page",
            }
        )
    for mid, rows in pools.items():
        m = index[mid]
        per = t.pool_per[m]
        areas = next((pl.areas for pl in _pools_of(t, mid)), ())
        drawn = sum(sum(r.get("credits", {}).values()) for r in rows) / max(1, len(creds))
        out.append(
            {
                "kind": "pool",
                "key": mid,
                "offering": mid,
                "title": t.title[m],
                "assumed": f"{t.title[m]} gives at least {t.pool_credits[m]:g} {t.pool_unit[m]} per {per}, in the "
                f"{', '.join(areas) or 'unknown'} area(s); the plan draws on {len(rows)} term(s), up to {drawn:g} credits",
                "basis": {"url": t.url[m], "note": None},
                "check": "how many credits the membership gives, and in which content areas, on the provider's "
                "catalog before paying",
            }
        )
    found = notes([a["offering"] for a in out if a["offering"]])
    for a in out:
        if a["offering"]:
            a["basis"]["note"] = found.get(a["offering"]) or a["basis"]["note"]
    return out


def _a(kind: str, oid: str, s: dict, assumed: str, check: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "key": oid,
        "offering": oid,
        "title": s["title"],
        "assumed": assumed,
        "basis": {"url": s.get("url"), "note": None},
        "check": check,
    }


def _unit_source(c: Any, unit: str) -> tuple[str, str]:
    """The source URL and note of a credential file's unit conversion."""
    import tomllib
    from pathlib import Path

    try:
        doc = tomllib.loads(Path(c.path).read_text())
        spec = doc.get("units", {}).get(unit, {})
        return spec.get("source", c.authority_url), spec.get("note", "")
    except (OSError, tomllib.TOMLDecodeError):
        return c.authority_url, ""
