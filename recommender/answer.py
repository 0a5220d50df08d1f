"""`recommender.plan(...)`: the whole answer — proven plan, else an estimate under named assumptions, with
fees, what you already have, deadlines.

Layers on `recommender.api.plan` (the exact optimizer over one table and set of credentials):
  1. the proven plan: stated facts only (`estimate.proven_table`, verified unit conversions);
  2. if none exists, the cheapest plan under the assumptions of `recommender.estimate`, each listed
     with its basis and the cost of the cheapest plan without it;
  3. both minimize the whole amount: offerings plus fees. A membership that lowers a fee is bought
     exactly when it pays for itself (every granting membership is tried as bought; exact).
`have` (offering ids you hold) are free; `member_of` bodies pay member fees.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from recommender import fees as feemod
from recommender.api import PlanInputError, load_table
from recommender.api import plan as core_plan
from recommender.assumptions import find_assumptions
from recommender.estimate import CredentialUnder, Settings, estimate_inputs, merge_terms, proven_table
from recommender.member_prices import (
    member_priced_bodies,
    note_member_prices,
    priced_zero,
    rows_of,
    with_member_prices,
)
from recommender.plans import Plan, dollars
from recommender.table import OfferingTable


def plan(
    gaps: Any = None,
    credentials: Sequence[Any] | str = (),
    catalog: Any = None,
    *,
    offerings_files: Sequence[Any] = (),
    transcript: Any = None,
    cycle_start: date | None = None,
    allow_estimates: bool = False,
    have: Sequence[str] = (),
    member_of: Sequence[str] = (),
    employer: Sequence[str] = (),
    state: str | None = None,
    finish_by: date | None = None,
    as_of: date | None = None,
    home: Any = None,
    **options: Any,
) -> Plan:
    """The provably cheapest plan (then fewest hours), else the cheapest estimated plan; see module doc.

    `options` pass through to `recommender.api.plan` (budget, max_hours, delivery, exclude_provider,
    stated_only, frontier, time_limit...). With `allow_estimates`, an estimate is the answer (status
    "estimated"); otherwise it is attached to the infeasible plan as `plan.estimate`.
    """
    from recommender.credentials import load_credential

    if isinstance(credentials, str):
        credentials = [credentials]
    as_of = as_of or date.today()
    creds = [c if hasattr(c, "view") else load_credential(c) for c in credentials]
    with ExitStack() as stack:
        if not offerings_files and (catalog is None or _is_home(catalog)):
            # one read-only snapshot for the table and the estimate's notes (one connection, one warning)
            from catalog.snapshot import open_snapshot

            catalog = stack.enter_context(open_snapshot(catalog if catalog is not None else home))
        table = load_table(catalog, offerings_files=offerings_files, home=home)
        member_bodies = {_body(b) for b in member_of}
        owned = _owned(table, have, creds, member_bodies)
        end = feemod.cycle_end(creds, as_of, cycle_start, options.get("certified_on"))
        finish = finish_by or end
        if finish is not None and finish < as_of:
            raise PlanInputError(f"--finish-by {finish.isoformat()} is before today ({as_of.isoformat()})")
        table = _in_time(table, as_of, finish)
        table = _can_take(table, creds, member_of, employer, state, as_of)
        window = feemod.months_between(as_of, finish) if finish else 12

        def run(settings: Settings) -> tuple[Plan, OfferingTable]:
            base = estimate_inputs(table, settings) if settings.estimate else None
            t = base.table if base else proven_table(table)
            under = [CredentialUnder(c, settings, base.pools if base else None) for c in creds]
            return _with_fees(
                lambda t2: core_plan(
                    gaps, under, t2, transcript=transcript, cycle_start=cycle_start, as_of=as_of, **options
                ),
                t,
                creds,
                owned,
                member_bodies,
                as_of,
            ), t

        proven, _ = run(Settings())
        result = proven
        if not proven.ok and (creds or table.price_is_estimate.any()):
            est_settings = Settings(estimate=True, window_months=window)
            est, t_est = run(est_settings)
            if est.ok:
                est.status = "estimated"
                est.proof = dict(est.proof, status="optimal under the listed assumptions")
                notes = _descriptions(catalog, offerings_files, home)
                est.assumptions = find_assumptions(est, t_est, creds, notes)
                merge_terms(est, t_est, as_of)
                for a in est.assumptions:
                    alt, _ = run(_without(est_settings, a))
                    a["without_it_cost"] = alt.total_cost if alt.ok else None
                    a["without_it_total_with_fees"] = alt.total_with_fees if alt.ok else None
                    a["without_it"] = (
                        f"${alt.total_with_fees:.2f} with fees" if alt.ok else "no plan without it"
                    )
                # what matters most first: no plan without it, then the dearest plan without it
                est.assumptions.sort(key=lambda a: -(a["without_it_total_with_fees"] or float("inf")))
                est.cost_range = _cost_range(est, t_est)
                _deadlines(est, creds, as_of, end, finish, t_est)
                if allow_estimates:
                    est.reason, est.shortfalls, est.why = proven.reason, proven.shortfalls, proven.why
                    result = est
                else:
                    proven.estimate = est
        if result is proven:
            if proven.ok:
                proven.cost_range = [proven.total_cost, proven.total_cost]
            _deadlines(proven, creds, as_of, end, finish, table)
        return result


def _is_home(catalog: Any) -> bool:
    """A catalog given as a home directory (what `load_table` opens as a snapshot), not a CSV file."""
    return isinstance(catalog, str | Path) and not str(catalog).endswith(".csv")


def _descriptions(catalog: Any, offerings_files: Sequence[Any], home: Any) -> Callable[[list[str]], dict]:
    """id -> the catalog's note (description), looked up only for the offerings an estimate relies on."""

    def lookup(ids: list[str]) -> dict[str, str]:
        if not ids or isinstance(catalog, OfferingTable):
            return {}
        if offerings_files or (isinstance(catalog, str) and catalog.endswith(".csv")):
            from recommender.api import descriptions_from_csv

            return descriptions_from_csv(offerings_files or [catalog], ids)
        from catalog.snapshot import open_snapshot

        if catalog is not None and hasattr(catalog, "con"):
            con = catalog.con
            return dict(
                con.execute(
                    "SELECT id, description FROM offerings WHERE list_contains(?, id)", [ids]
                ).fetchall()
            )
        with open_snapshot(catalog if catalog is not None else home) as snap:
            return dict(
                snap.con.execute(
                    "SELECT id, description FROM offerings WHERE list_contains(?, id)", [ids]
                ).fetchall()
            )

    return lookup


def _body(name: str) -> str:
    from catalog.vocab import BODIES, suggest

    if name.upper() not in BODIES:
        raise PlanInputError(
            f"--member-of {name}: unknown body{suggest(name.upper(), BODIES)}; known: {', '.join(BODIES)}"
        )
    return name.upper()


def _owned(table: OfferingTable, have: Sequence[str], creds: list[Any], member_bodies: set[str]) -> set[str]:
    wanted = [*have, *(i for c in creds if c.body in member_bodies for i in c.member_offerings)]
    ids = rows_of(table, wanted)
    unknown = [h for h in have if h not in ids]
    if unknown:
        raise PlanInputError(
            f"--have {unknown[0]}: no offering with this id in the catalog (see catalog search)"
        )
    owned = set(have)
    for c in creds:
        if c.body in member_bodies:
            owned |= {i for i in c.member_offerings if i in ids}
    return owned


def _can_take(
    table: OfferingTable,
    creds: list[Any],
    member_of: Sequence[str],
    employer: Sequence[str],
    state: str | None,
    as_of: date,
) -> OfferingTable:
    """Drop what the person cannot take: events in the past, offerings limited to members, one
    employer's staff, one state or certificate holders she is not (recommender/audience.py)."""
    from recommender.audience import can_take_mask, person_facts

    ok = can_take_mask(table, person_facts(creds, member_of, employer, state), as_of)
    return table if ok.all() else table.subset(ok)


def _in_time(table: OfferingTable, as_of: date, finish: date | None) -> OfferingTable:
    """Drop events that start after the finish-by date (approvals ended before today are never planned)."""
    if finish is None:
        return table
    dated = np.flatnonzero(table.valid_from != None)  # noqa: E711 (elementwise)
    late = np.zeros(len(table), dtype=bool)
    late[dated] = [table.valid_from[k] > finish for k in dated]
    late &= ~table.is_covering()
    return table if not late.any() else table.subset(~late)


def _with_fees(
    solve: Callable[[OfferingTable], Plan],
    table: OfferingTable,
    creds: list[Any],
    owned: set[str],
    member_bodies: set[str],
    as_of: date,
) -> Plan:
    """The plan minimizing offerings + fees: try each membership that lowers a fee or a price as bought (exact).

    Being a member of a body means its member fees and the member prices (`member_price_usd`) of the
    offerings it provides; plans with a membership that makes one a member are those of the forced runs.
    """
    granting = feemod.fee_bodies(creds, member_priced=member_priced_bodies(table))
    bodies = {b: ids for b, ids in granting.items() if b not in member_bodies}
    index = rows_of(table, [i for ids in bodies.values() for i in ids])
    held = set(member_bodies) | {b for b, ids in granting.items() if owned & set(ids)}
    choices = []
    for b, ids in bodies.items():
        rows = [index[i] for i in ids if i in index and i not in owned and table.price_cents[index[i]] >= 0]
        choices.append([(b, None)] + [(b, r) for r in rows])
    best, best_total = None, None
    n_choices = int(np.prod([len(c) for c in choices])) if choices else 1
    for combo in itertools.product(*choices) if choices else [()]:
        forced = {r for _, r in combo if r is not None}
        free = owned | {str(table.id[r]) for r in forced}
        as_member = held | {b for b, r in combo if r is not None}
        p = solve(priced_zero(with_member_prices(table, as_member), free))
        if not p.ok:
            best = best or p
            continue
        for r in forced:
            _add_forced_membership(p, table, r, as_of)
        bought = {m["id"] for m in p.memberships} | owned
        members = as_member | {b for b, ids in granting.items() if bought & set(ids)}
        note_member_prices(p, table, as_member)
        p.fees = feemod.plan_fees(creds, members)
        p.total_with_fees = round((p.total_cost or 0.0) + sum(f["amount"] for f in p.fees), 2)
        _mark_owned(p, owned)
        for b in members - set(member_bodies):
            saved = sum(feemod.member_saving(c) for c in creds if c.body == b)
            if saved > 0:
                p.notes.append(f"{b} membership in this plan lowers the recertification fee by ${saved:.2f}")
        p.proof["fees"] = {
            "choices": n_choices,
            "bought_for_lower_fees": [str(table.id[r]) for r in forced],
            "note": "offerings + fees minimized: each choice of fee-lowering membership solved exactly",
        }
        if best_total is None or p.total_with_fees < best_total - 1e-9:
            best, best_total = p, p.total_with_fees
        if getattr(p, "complete", False):  # nothing left to earn: "you are done", no membership pushed
            break
    assert best is not None
    return best


def _add_forced_membership(p: Plan, table: OfferingTable, r: int, as_of: date) -> None:
    """A membership tried as bought (to lower a fee) costs its price, whether or not its coverage is used."""
    from datetime import timedelta

    from recommender.plans import add_months, term_months

    price = dollars(table.price_cents[r])
    entry = next((m for m in p.memberships if m["id"] == table.id[r]), None)
    if entry is None:
        months = term_months(table, r)
        entry = {
            "id": table.id[r],
            "title": table.title[r],
            "provider": table.provider[r],
            "price_basis": table.price_basis[r],
            "term_months": months,
            "renews": table.price_basis[r] in ("per_year", "per_month"),
            "cancel_renewal_by": (add_months(as_of, months) - timedelta(days=1)).isoformat()
            if months and table.price_basis[r] in ("per_year", "per_month")
            else None,
            "covers_in_plan": [],
            "savings_vs_single_purchases": None,
            "savings_note": None,
            "url": table.url[r],
        }
        p.memberships.append(entry)
    entry["price_paid"] = price
    entry["lowers_fees"] = True
    if entry.get("savings_vs_single_purchases") is None:
        entry["savings_note"] = "bought because member fees are lower (see fees)"
    p.total_cost = round((p.total_cost or 0.0) + price, 2)


def _mark_owned(p: Plan, owned: set[str]) -> None:
    for s in p.selected:
        s["already_have"] = s["id"] in owned
    for m in p.memberships:
        m["already_have"] = m["id"] in owned
        if m["already_have"]:
            m["cancel_renewal_by"] = None
    p.memberships = [m for m in p.memberships if not (m["already_have"] and not m["covers_in_plan"])]


def _without(s: Settings, a: dict[str, Any]) -> Settings:
    import dataclasses

    kind, key = a["kind"], a["key"]
    if kind == "pool":
        return dataclasses.replace(s, no_pool=s.no_pool | {key})
    if kind == "price":
        return dataclasses.replace(s, no_range=s.no_range | {key})
    if kind == "area":
        return dataclasses.replace(s, no_area=s.no_area | {key})
    return dataclasses.replace(s, no_unit=s.no_unit | {tuple(key)})


def _cost_range(p: Plan, t: OfferingTable) -> list[float]:
    """[low, high]: ranged prices at the bottom, then at the top, of their published ranges."""
    index = rows_of(t, [s["id"] for s in p.selected])
    low = p.total_cost or 0.0
    for s in p.selected:
        k = index.get(s["id"])
        if k is not None and s.get("price_is_estimate") and not s.get("via_membership"):
            low -= (t.price_cents[k] - t.price_min_cents[k]) / 100.0
    return [round(low, 2), p.total_cost]


def _deadlines(p: Plan, creds, as_of: date, end: date | None, finish: date | None, t: OfferingTable) -> None:
    if finish is None:
        return
    from recommender.estimate import POOL_TAG

    ids = [s["id"] for s in p.selected]
    index = rows_of(t, [f"{i}1" if i.endswith(POOL_TAG) else i for i in ids])

    def row(i: str) -> int | None:
        return index.get(f"{i}1" if i.endswith(POOL_TAG) else i)

    approved = {i: tuple(t.approved_by[row(i)]) for i in ids if row(i) is not None}
    p.deadlines = {
        "cycle_end": end.isoformat() if end else None,
        "finish_by": finish.isoformat(),
        "submit_by": feemod.submit_by(creds, finish, approved, ids) if p.ok else [],
        "days_left": (finish - as_of).days,
        "as_of": as_of.isoformat(),
    }
