"""`recommender.plan(...)`: the library function behind `recommend` (notebooks use it too).

plan("general=10,clinical=10,administrative=10,total=60,approved:AAMA=30", credentials=["CMA"])
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from recommender.counting import Requirement, complete_gaps
from recommender.filters import Filters, available_mask
from recommender.model import build, candidates
from recommender.plans import Plan, build_plan
from recommender.table import OfferingTable


class PlanInputError(ValueError):
    """Bad input to the planner (one line, user-facing)."""


def load_table(
    catalog: Any = None, *, offerings_files: Sequence[str | Path] = (), home: Any = None
) -> OfferingTable:
    """An OfferingTable from CSV files, an OfferingTable, a Snapshot, a snapshot home, or the default catalog."""
    if offerings_files:
        return table_from_csv(offerings_files)
    if isinstance(catalog, OfferingTable):
        return catalog
    if catalog is not None and hasattr(catalog, "con"):
        return OfferingTable.from_duckdb(catalog.con)
    if isinstance(catalog, str | Path) and str(catalog).endswith(".csv"):
        return load_table(offerings_files=[catalog])
    from catalog.snapshot import open_snapshot

    with open_snapshot(catalog if catalog is not None else home) as snap:
        return OfferingTable.from_duckdb(snap.con)


#: From this many bytes of CSV on, `--offerings` files are read column-wise (catalog.loaders.manual_table);
#: smaller ones row by row, which takes less time than importing Arrow's compute kernels and pandas
#: (pyarrow imports it on its first conversion). Both readers give the same table and the same errors.
COLUMNAR_MIN_BYTES = 4 * 1024 * 1024


def table_from_csv(files: Sequence[str | Path]) -> OfferingTable:
    """The planner's table of manual-format CSV files (ManualCSVError lists every error)."""
    data = _read(files)
    if isinstance(data, list):
        return OfferingTable.from_offerings(data)
    return OfferingTable.from_arrow(data)


def descriptions_from_csv(files: Sequence[str | Path], ids: list[str]) -> dict[str, str]:
    """id -> description of the offerings `ids` in manual-format CSV files (the read `table_from_csv` did)."""
    data = _read(files)
    if isinstance(data, list):
        return {o.id: o.description for o in data if o.id in ids}
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = data.select(["id", "description"]).filter(
        pc.is_in(data["id"], value_set=pa.array(ids, pa.string()))
    )
    return dict(zip(rows["id"].to_pylist(), rows["description"].to_pylist(), strict=True))


def _read(files: Sequence[str | Path]) -> Any:
    """The files' offerings: `Offering`s (row reader) below COLUMNAR_MIN_BYTES, else an Arrow table;
    the same files, unchanged, are read once per process (the plan's table, then an estimate's notes)."""
    keys = []
    for f in files:
        st = Path(f).stat() if Path(f).is_file() else None
        keys.append((str(f), st.st_size if st else 0, st.st_mtime_ns if st else 0))
    return _read_csvs(tuple(keys), sum(k[1] for k in keys) >= COLUMNAR_MIN_BYTES)


@functools.lru_cache(maxsize=1)
def _read_csvs(keys: tuple[tuple[str, int, int], ...], columnar: bool) -> Any:
    files = [k[0] for k in keys]
    if not columnar:
        from catalog.loaders.manual_csv import load_manual_files

        return load_manual_files(files)
    from catalog.loaders.manual_table import load_manual_table

    return load_manual_table(files)


def check_providers(table: OfferingTable, names: Iterable[str]) -> None:
    """PlanInputError for a provider name that matches no offering (with the closest name)."""
    import difflib

    known = {str(p).casefold(): str(p) for p in table.provider}
    for name in names:
        if name.casefold() in known:
            continue
        low = name.casefold().strip()
        close = (
            difflib.get_close_matches(low, list(known), n=1, cutoff=0.6)
            or [k for k in sorted(known) if low and (low in k or k in low or k.startswith(low[:4]))][:1]
        )
        hint = f" (did you mean {known[close[0]]!r}?)" if close else ""
        listed = ", ".join(sorted(known.values())[:8]) + (", ..." if len(known) > 8 else "")
        raise PlanInputError(
            f"--exclude-provider {name!r}: no provider of that name in the catalog{hint}; providers: {listed}"
        )


def requirements(
    credentials: Sequence[Any],
    gaps: Any,
    table: OfferingTable,
    *,
    stated_only: bool,
    transcript: Any = None,
    cycle_start: date | None = None,
    certified_on: date | None = None,
    first_renewal: bool = False,
    as_of: date | None = None,
) -> tuple[list[Requirement], Filters]:
    """One Requirement per credential (or one contact-hours requirement without a credential)."""
    from recommender.credentials import load_credential
    from recommender.gaps import Gaps, parse_gaps
    from recommender.rules import hours_view

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
            if cycle_start is None and certified_on is None:
                raise PlanInputError("--transcript needs --cycle-start DATE or --certified-on DATE")
            from recommender.evaluate import evaluate

            rules = getattr(cred, "rules", cred)  # what is done: the full rules
            cycle = (
                rules.cycle_from_start(cycle_start)
                if cycle_start
                else rules.cycle_from_certification(certified_on, as_of or date.today())
            )
            ev = evaluate(
                rules, entries, cycle[0], cycle=cycle, first_renewal=first_renewal, as_of=date.today()
            )
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
    certified_on: date | None = None,
    first_renewal: bool = False,
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
    from recommender.explain import blocked_plan, bound_check, infeasible_plan, shortfall_plan
    from recommender.presolve import prune
    from recommender.solve import Solver, plan_cost_cents, recheck

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
        certified_on=certified_on,
        first_renewal=first_renewal,
        as_of=as_of,
    )
    f.budget, f.max_hours, f.stated_only = budget, max_hours, stated_only
    f.delivery, f.exclude_provider = tuple(delivery), tuple(exclude_provider)
    check_providers(table, f.exclude_provider)
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
        return _warned(shortfall_plan(table, reqs, shortfalls, avail, f, stats), f)
    if not model.cover_rows:
        from recommender.done import complete_plan

        return _warned(complete_plan(reqs, f.evaluations, stats), f)
    solver = Solver(model, time_limit=time_limit)
    sol = solver.lexicographic(fixing=max_minutes is None)
    stats["seconds"].update({ph.name.split(" ")[0]: ph.seconds for ph in sol.phases})
    if sol.status != "optimal":
        if sol.status == "infeasible":
            return _warned(blocked_plan(model, reqs, f, stats, time_limit), f)
        raise RuntimeError(f"solver stopped without a proven optimum: {sol.status}")
    result = _finish(table, model, sol, reqs, as_of, stats, plan_cost_cents, recheck)
    if budget is not None and result.total_cost is not None and result.total_cost > budget + 1e-9:
        over = infeasible_plan(
            f"the cheapest plan costs ${result.total_cost:.2f}, over --budget ${budget:.2f}",
            reqs,
            stats,
            "optimal cost exceeds the budget",
            cost=result.total_cost,
        )
        from recommender.why import why_budget

        over.why = why_budget(result.total_cost, budget)
        return _warned(over, f)
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
    return _warned(result, f)


def _warned(p: Plan, f: Filters) -> Plan:
    """The plan with the transcript evaluations' warnings (a cycle in the wrong year)."""
    p.warnings = [f"{ev.credential.code}: {w}" for ev in f.evaluations for w in ev.warnings]
    return p


def _finish(table, model, sol, reqs, as_of, stats, plan_cost_cents, recheck) -> Plan:
    problems = recheck(model, sol.x, reqs)
    cents = plan_cost_cents(model, sol.x, table)
    if cents != sol.cents:
        problems.append(f"cost recomputed from prices is {cents} cents, solver says {sol.cents}")
    if problems:
        raise RuntimeError("the solver's plan fails the independent re-check: " + "; ".join(problems))
    p = build_plan(table, model, sol.x, reqs, as_of=as_of)
    p.notes.extend(plan_notices(table, reqs, [s["id"] for s in p.selected]))
    add_cautions(table, reqs, p.selected)
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


def add_cautions(table: OfferingTable, reqs: list[Requirement], selected: list[dict]) -> None:
    """Each selected offering's `cautions`: the credentials' notices that apply to it, next to it."""
    index = {i: k for k, i in enumerate(table.id)}
    for row in selected:
        k = index.get(row["id"])
        row["cautions"] = [
            f"{r.name}: {text}" if r.name else text
            for r in reqs
            for text, mask in getattr(r.view, "notices", [])
            if k is not None and mask[k]
        ]


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
