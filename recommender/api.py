"""`recommender.plan(...)`: the library function behind `recommend` (notebooks use it too).

plan("general=10,clinical=10,administrative=10,total=60,approved:AAMA=30", credentials=["CMA"])
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from recommender.counting import GapKey, Requirement, complete_gaps
from recommender.model import build, candidates
from recommender.plans import Plan, build_plan, dollars
from recommender.table import OfferingTable


class PlanInputError(ValueError):
    """Bad input to the planner (one line, user-facing)."""


@dataclass
class Filters:
    budget: float | None = None
    max_hours: float | None = None
    delivery: tuple[str, ...] = ()
    exclude_provider: tuple[str, ...] = ()
    exclude_ids: tuple[str, ...] = ()
    exclude_titles: tuple[tuple[str, str], ...] = ()  # (title, provider) casefolded, from a transcript
    stated_only: bool = False
    #: The transcript evaluations (recommender.evaluate.Evaluation) the gaps came from, if any.
    evaluations: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.delivery:
            parts.append("--delivery " + ",".join(self.delivery))
        if self.exclude_provider:
            parts.append("--exclude-provider " + ",".join(self.exclude_provider))
        if self.max_hours is not None:
            parts.append(f"--max-hours {self.max_hours:g}")
        if self.stated_only:
            parts.append("--stated-only")
        return " with " + " ".join(parts) if parts else ""


def load_table(
    catalog: Any = None, *, offerings_files: Sequence[str | Path] = (), home: Any = None
) -> OfferingTable:
    """An OfferingTable from CSV files, an OfferingTable, a Snapshot, a snapshot home, or the default catalog."""
    if offerings_files:
        from catalog.loaders.manual_csv import load_manual_files

        return OfferingTable.from_offerings(load_manual_files(offerings_files))
    if isinstance(catalog, OfferingTable):
        return catalog
    if catalog is not None and hasattr(catalog, "con"):
        return OfferingTable.from_duckdb(catalog.con)
    if isinstance(catalog, str | Path) and str(catalog).endswith(".csv"):
        return load_table(offerings_files=[catalog])
    from catalog.snapshot import open_snapshot

    with open_snapshot(catalog if catalog is not None else home) as snap:
        return OfferingTable.from_duckdb(snap.con)


def available_mask(table: OfferingTable, f: Filters, as_of: date) -> np.ndarray:
    """Offerings the user may buy: not expired, not taken, within the filters."""
    ok = np.ones(len(table), dtype=bool)
    vu = table.valid_until
    ok &= np.fromiter((v is None or v >= as_of for v in vu), dtype=bool, count=len(table))
    covering = table.is_covering()
    if f.delivery:
        ok &= covering | np.isin(table.delivery, list(f.delivery))
    if f.exclude_provider:
        low = {p.casefold() for p in f.exclude_provider}
        ok &= np.fromiter(
            (str(p).casefold() not in low for p in table.provider), dtype=bool, count=len(table)
        )
    if f.exclude_ids:
        ok &= ~np.isin(table.id, list(f.exclude_ids))
    if f.exclude_titles:
        taken = set(f.exclude_titles)
        ok &= np.fromiter(
            (
                (str(t).casefold(), str(p).casefold()) not in taken and (str(t).casefold(), "") not in taken
                for t, p in zip(table.title, table.provider, strict=True)
            ),
            dtype=bool,
            count=len(table),
        )
    return ok


def requirements(
    credentials: Sequence[Any],
    gaps: Any,
    table: OfferingTable,
    *,
    stated_only: bool,
    transcript: Any = None,
    cycle_start: date | None = None,
) -> tuple[list[Requirement], Filters]:
    """One Requirement per credential (or one contact-hours requirement without a credential)."""
    from recommender.gaps import Gaps, parse_gaps
    from recommender.rules import hours_view, load_credential

    creds = [c if hasattr(c, "view") else load_credential(c) for c in credentials]
    entries = None
    if transcript is not None:
        from recommender.transcript import load_transcript

        entries = load_transcript(transcript) if isinstance(transcript, str | Path) else list(transcript)
    if not creds:
        if gaps is None:
            raise PlanInputError("give --gaps (contact hours) or a --credential")
        remaining = (
            gaps.remaining
            if hasattr(gaps, "remaining")
            else (parse_gaps(gaps) if isinstance(gaps, str) else dict(gaps))
        )
        view = hours_view(table, stated_only=stated_only)
        return [Requirement("", view, complete_gaps(remaining), {}, "contact_hour")], Filters()
    gap_list: list[Any]
    if gaps is None:
        gap_list = [None] * len(creds)
    elif isinstance(gaps, list | tuple):
        gap_list = list(gaps)
    else:
        gap_list = [gaps] * len(creds)
    if len(gap_list) != len(creds):
        raise PlanInputError(
            f"{len(gap_list)} --gaps for {len(creds)} credentials: give one per --credential, in order"
        )
    reqs, evaluations = [], []
    for cred, g in zip(creds, gap_list, strict=True):
        if g is None and entries is not None:
            if cycle_start is None:
                raise PlanInputError("--transcript needs --cycle-start DATE")
            from recommender.evaluate import evaluate

            ev = evaluate(cred, entries, cycle_start)
            evaluations.append(ev)
            gg = ev.gaps
        elif g is None:
            gg = Gaps.full(cred)
        elif isinstance(g, str):
            gg = Gaps.from_text(g, cred)
        elif isinstance(g, dict):
            gg = Gaps(complete_gaps(g), {}, cred)
        else:
            gg = g
        view = cred.view(table, stated_only=stated_only)
        reqs.append(Requirement(cred.code, view, dict(gg.remaining), dict(gg.caps_remaining), cred.unit))
    f = Filters(evaluations=evaluations)
    if entries:
        f.exclude_ids = tuple(e.id for e in entries if e.id)
        f.exclude_titles = tuple((e.title.casefold(), (e.provider or "").casefold()) for e in entries)
    return reqs, f


def plan(
    gaps: Any = None,
    credentials: Sequence[Any] | str = (),
    catalog: Any = None,
    *,
    offerings_files: Sequence[str | Path] = (),
    transcript: Any = None,
    cycle_start: date | None = None,
    budget: float | None = None,
    max_hours: float | None = None,
    delivery: Iterable[str] = (),
    exclude_provider: Iterable[str] = (),
    stated_only: bool = False,
    frontier: bool = False,
    frontier_limit: int = 25,
    as_of: date | None = None,
    home: Any = None,
    time_limit: float | None = None,
) -> Plan:
    """The provably cheapest plan (then fewest hours) that closes every credential's gaps."""
    from recommender.presolve import prune
    from recommender.solve import Solver, bound_check, plan_cost_cents, recheck

    t0 = time.perf_counter()
    if isinstance(credentials, str):
        credentials = [credentials]
    as_of = as_of or date.today()
    table = load_table(catalog, offerings_files=offerings_files, home=home)
    t_load = time.perf_counter()
    reqs, f = requirements(
        list(credentials),
        gaps,
        table,
        stated_only=stated_only,
        transcript=transcript,
        cycle_start=cycle_start,
    )
    f.budget, f.max_hours, f.stated_only = budget, max_hours, stated_only
    f.delivery, f.exclude_provider = tuple(delivery), tuple(exclude_provider)
    avail = available_mask(table, f, as_of)
    cands = candidates(table, reqs, avail)
    t_cand = time.perf_counter()
    max_minutes = None
    if max_hours is not None:
        max_minutes = int(np.floor(max_hours * 60 + 1e-9))
    elif frontier:
        max_minutes = 10**12
    pruned, pstats = prune(cands, reqs, bound=max_minutes is None)  # the bound filter ignores hour limits
    t_pre = time.perf_counter()
    model = build(pruned, reqs, max_minutes=max_minutes)
    t_build = time.perf_counter()
    stats = {
        "offerings": len(table),
        "candidates": len(cands.offerings),
        "after_presolve": len(pruned.offerings),
        "profiles": pstats.get("profiles", 0),
        "columns": model.n_cols,
        "rows": len(model.row_names),
        "seconds": {
            "load": t_load - t0,
            "candidates": t_cand - t_load,
            "presolve": t_pre - t_cand,
            "build": t_build - t_pre,
        },
    }
    shortfalls = bound_check(model, reqs)
    if shortfalls:
        s = shortfalls[0]
        reason = explain_shortfall(table, reqs[s.requirement], s.key, s.needed, s.at_most, avail, f)
        more = [
            f"{reqs[x.requirement].label(x.key)} (need {x.needed:g}, at most {x.at_most:g})"
            for x in shortfalls[1:]
        ]
        if more:
            reason += "; also short: " + ", ".join(more)
        p = _infeasible(reason, reqs, stats, "bound check (no solve needed)")
        p.shortfalls = [
            {
                "credential": reqs[x.requirement].name or None,
                "gap": x.key,
                "needed": _num(x.needed),
                "at_most": _num(x.at_most),
                "unit": reqs[x.requirement].unit,
            }
            for x in shortfalls
        ]
        return p
    if not model.cover_rows:
        from recommender.done import complete_plan

        return complete_plan(reqs, f.evaluations, stats)
    solver = Solver(model, time_limit=time_limit)
    sol = solver.lexicographic(fixing=max_minutes is None)
    stats["seconds"].update({ph.name.split(" ")[0]: ph.seconds for ph in sol.phases})
    if sol.status != "optimal":
        if sol.status == "infeasible":
            reason = (
                "no combination of offerings closes all gaps together under the caps"
                + (f" and --max-hours {max_hours:g}" if max_hours is not None else "")
                + f"{f.describe()}"
            )
            return _infeasible(reason, reqs, stats, "HiGHS: infeasible")
        raise RuntimeError(f"solver stopped without a proven optimum: {sol.status}")
    result = _finish(table, model, sol, reqs, as_of, stats, plan_cost_cents, recheck)
    if budget is not None and result.total_cost is not None and result.total_cost > budget + 1e-9:
        return _infeasible(
            f"the cheapest plan costs ${result.total_cost:.2f}, over --budget ${budget:.2f}",
            reqs,
            stats,
            "optimal cost exceeds the budget",
            cost=result.total_cost,
        )
    if frontier:
        result.frontier = [result]
        minutes = sol.minutes
        while len(result.frontier) < frontier_limit and minutes and minutes > 0:
            solver.set_max_minutes(minutes - 1)
            nxt = solver.lexicographic()
            if nxt.status != "optimal":
                break
            p = _finish(table, model, nxt, reqs, as_of, {}, plan_cost_cents, recheck)
            if budget is not None and p.total_cost > budget + 1e-9:
                break
            result.frontier.append(p)
            minutes = nxt.minutes
    stats["seconds"]["total"] = time.perf_counter() - t0
    from recommender.done import met_entries, met_sentence

    result.met = met_entries(reqs, f.evaluations)
    result.notes.extend(met_sentence(m) for m in result.met)
    return result


def _finish(table, model, sol, reqs, as_of, stats, plan_cost_cents, recheck) -> Plan:
    problems = recheck(model, sol.x, reqs)
    cents = plan_cost_cents(model, sol.x, table)
    if cents != sol.cents:
        problems.append(f"cost recomputed from prices is {cents} cents, solver says {sol.cents}")
    if problems:
        raise RuntimeError("the solver's plan fails the independent re-check: " + "; ".join(problems))
    p = build_plan(table, model, sol.x, reqs, as_of=as_of)
    p.notes.extend(plan_notices(table, reqs, [s["id"] for s in p.selected]))
    last = sol.phases[-1]
    p.proof = {
        "solver": "HiGHS (highspy)",
        "status": "optimal",
        "objective": "min cents, then min minutes",
        "cost_cents": sol.cents,
        "minutes": sol.minutes,
        "phases": [
            {
                "phase": ph.name,
                "status": ph.status,
                "objective": ph.objective,
                "bound": ph.bound,
                "seconds": round(ph.seconds, 4),
            }
            for ph in sol.phases
        ],
        "cost_bound_cents": next(ph.bound for ph in sol.phases if ph.name == "cost"),
        "mip_rel_gap": 0.0,
        "recheck": "passed",
        "final_gap": (None if last.objective is None or last.bound is None else last.objective - last.bound),
    }
    p.stats = stats
    return p


def plan_notices(table: OfferingTable, reqs: list[Requirement], selected_ids: list[str]) -> list[str]:
    """Each credential's cautions (its `[[notices]]`) for the offerings the plan buys."""
    wanted = set(selected_ids)
    index = {i: k for k, i in enumerate(table.id) if i in wanted}
    out = []
    for r in reqs:
        for text, mask in getattr(r.view, "notices", []):
            hits = [table.title[index[i]] for i in selected_ids if i in index and mask[index[i]]]
            if hits:
                out.append(f"{r.name}: {text}: " + "; ".join(hits))
    return out


def _infeasible(
    reason: str, reqs: list[Requirement], stats: dict, how: str, cost: float | None = None
) -> Plan:
    p = Plan("infeasible", reason=reason, stats=stats, proof={"status": "infeasible", "by": how})
    p.requirements = [
        {"credential": r.name or None, "gap": k, "needed": a, "unit": r.unit}
        for r in reqs
        for k, a in r.rows()
    ]
    if cost is not None:
        p.proof["cheapest_cost"] = cost
    return p


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(float(v), 4)


def _what(req: Requirement, key: str) -> str:
    key = GapKey(key)
    if key.kind == "area":
        return f"{key} credits"
    if key.kind == "total":
        return "credits in total"
    return f"{key.name}-approved credits" if key.kind == "approved" else f"credits on topic {key.name!r}"


def explain_shortfall(
    table: OfferingTable,
    req: Requirement,
    key: str,
    need: float,
    at_most: float,
    avail: np.ndarray,
    f: Filters,
) -> str:
    """'at most 12 AAMA-approved credits ... exist with --delivery online; 30 needed' plus what the catalog lacks."""
    who = f" for {req.name}" if req.name else ""
    msg = (
        f"{req.label(key)}: at most {at_most:g} {_what(req, key)} ({req.unit}){who} can be earned from the catalog"
        f"{f.describe()}; {need:g} needed (short by {need - at_most:g})"
    )
    v, key = req.view, GapKey(key)
    if not key.tagged:
        tagged = ~table.is_covering()
    else:
        column = "approved_by" if key.kind == "approved" else "topics"
        tagged = table.has(column, key.name) & ~table.is_covering()
    unknown = tagged & (v.reason == "credits unknown")
    extra = []
    if unknown.any():
        idx = np.flatnonzero(unknown)
        names = "; ".join(f"{table.provider[i]}: {table.title[i]}" for i in idx[:3])
        covering = [
            m for m in np.flatnonzero(table.is_covering()) if table.covered_by(table.covers[m])[idx].any()
        ]
        via = ", ".join(
            f"{table.title[m]} (${dollars(table.price_cents[m]):.2f})"
            if table.price_cents[m] >= 0
            else table.title[m]
            for m in covering[:2]
        )
        extra.append(
            f"credit values unknown for {len(idx)} offering(s) ({names}{'; ...' if len(idx) > 3 else ''})"
            + (f", covered by {via}" if via else "")
        )
    if key.kind == "area":
        no_area = ~table.is_covering() & v.counts & (v.value > 0) & (v.area_value.sum(axis=1) <= 0)
        if no_area.any():
            extra.append(
                f"{int(no_area.sum())} offering(s) that count have no known content area "
                f"(never counted toward an area minimum)"
            )
    elig = req.eligible(key) & ~table.is_covering()
    no_price = elig & avail & (table.price_cents < 0)
    for m in np.flatnonzero(table.is_covering() & avail & (table.price_cents >= 0)):
        if np.isnan(table.discount_pct[m]) or table.discount_pct[m] >= 100:  # free with a priced membership
            no_price[table.covered_rows(table.covers[m])] = False
    if no_price.any():
        extra.append(
            f"{int(no_price.sum())} counting offering(s) have no published price (and no membership "
            f"includes them), so they are never planned as free"
        )
    filtered = elig & ~avail
    if filtered.any():
        extra.append(f"{int(filtered.sum())} counting offering(s) excluded by filters, transcript or expiry")
    return msg + (". " + "; ".join(extra) if extra else "")
