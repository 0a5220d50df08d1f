"""Solve a Model exactly with HiGHS (highspy), lexicographically: cost first, then minutes.

Exactness: costs are integer cents, minutes integer; `mip_rel_gap = 0` and `mip_abs_gap = 0.5`
(objectives are integers, so a bound within 0.5 of the incumbent proves optimality).
Phase 1 minimizes cents -> C*, with a plan of M1 minutes. Phase 2 minimizes
`cents * H + minutes` with H = M1 + 1: any plan costing C* + 1 or more scores at least
(C* + 1) H > C* H + M1, so the phase-2 optimum costs exactly C* and has the fewest minutes
among the cheapest plans. Phase 2 also fixes every column costing more than C* to 0 (exact,
as all costs are >= 0), which shrinks it a lot when cheap plans exist. HiGHS prints a banner to stdout: fd 1 is redirected while it runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from recommender.counting import Requirement
from recommender.highs import new_highs, quiet_stdout
from recommender.model import Model, member_cents


@dataclass
class Phase:
    name: str
    status: str
    objective: float | None
    bound: float | None
    seconds: float


@dataclass
class Solution:
    status: str  # optimal | infeasible | time_limit | error
    x: np.ndarray | None
    cents: int | None
    minutes: int | None
    phases: list[Phase] = field(default_factory=list)


class Solver:
    """One HiGHS instance holding the model; re-solved with new objectives or hour limits."""

    def __init__(self, model: Model, *, time_limit: float | None = None):
        import highspy

        self.hs = highspy
        self.model = model
        h = new_highs()
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)
        if time_limit:
            h.setOptionValue("time_limit", float(time_limit))
        A = model.A.tocsc()
        lp = highspy.HighsLp()
        lp.num_col_ = model.n_cols
        lp.num_row_ = A.shape[0]
        lp.col_cost_ = model.cost.astype(np.float64)
        lp.col_lower_ = np.zeros(model.n_cols)
        lp.col_upper_ = model.col_hi.astype(np.float64)
        lp.row_lower_ = model.row_lo
        lp.row_upper_ = model.row_hi
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_ = model.n_cols
        lp.a_matrix_.num_row_ = A.shape[0]
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(np.float64)
        kint, kcont = highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous
        lp.integrality_ = [kint if v else kcont for v in model.integrality]
        with quiet_stdout():
            h.passModel(lp)
        self.h = h

    def run(self, name: str, objective: np.ndarray) -> tuple[Phase, np.ndarray | None]:
        """One MIP solve; no starting solution (HiGHS 1.16 can return a given start with a wrong objective)."""
        h, hs = self.h, self.hs
        n = self.model.n_cols
        h.changeColsCost(n, np.arange(n, dtype=np.int32), objective.astype(np.float64))
        t0 = time.perf_counter()
        with quiet_stdout():
            h.run()
        secs = time.perf_counter() - t0
        st = h.getModelStatus()
        info = h.getInfo()
        if st == hs.HighsModelStatus.kOptimal:
            x = np.asarray(h.getSolution().col_value)
            obj, bound = info.objective_function_value, info.mip_dual_bound
            if abs(float(objective @ clean(x, self.model)) - obj) > 0.5 or obj - bound > 0.5:
                # the vector does not score what HiGHS reports, or the gap is open: not a proof
                return Phase(name, "error", obj, bound, secs), None
            return Phase(name, "optimal", obj, bound, secs), x
        status = {
            hs.HighsModelStatus.kInfeasible: "infeasible",
            hs.HighsModelStatus.kTimeLimit: "time_limit",
        }.get(st, str(st))
        return Phase(name, status, None, None, secs), None

    def set_max_minutes(self, limit: float) -> None:
        r = self.model.row_names.index(next(nm for nm in self.model.row_names if nm.startswith("minutes<=")))
        self.h.changeRowBounds(r, -np.inf, float(limit))

    def reduced_cost_fixing(self) -> Phase | None:
        """Fix to 0 every binary whose LP reduced cost exceeds (rounded-LP plan cost - LP bound).

        Any plan using such a column costs more than a known plan, so it is neither cost-optimal
        nor among the cheapest plans of phase 2: the optimum is kept exactly. The known plan comes
        from rounding the LP solution up (each offering bought once, at its cheapest option
        given the rounded-up memberships), which stays feasible because every covering
        coefficient is >= 0 and the allocation values are kept, or from the presolve's verified
        plan (`model.upper_bound`), whichever is cheaper. Not used with an hours limit.
        """
        m, h, hs = self.model, self.h, self.hs
        t0 = time.perf_counter()
        h.changeColsCost(m.n_cols, np.arange(m.n_cols, dtype=np.int32), m.cost.astype(np.float64))
        h.setOptionValue("solve_relaxation", True)
        cut = self.membership_cut()
        with quiet_stdout():
            h.run()
        h.setOptionValue("solve_relaxation", False)
        if h.getModelStatus() != hs.HighsModelStatus.kOptimal:
            return None
        sol = h.getSolution()
        x, d = np.asarray(sol.col_value), np.asarray(sol.col_dual)
        lb = float(m.cost @ x)
        ub = self._round_up_cost(x)
        if m.upper_bound is not None:
            ub = float(m.upper_bound) if ub is None else min(ub, float(m.upper_bound))
        if ub is None:
            return None
        fix = np.flatnonzero((m.integrality == 1) & (x < 1e-9) & (d > ub - lb + 0.5)).astype(np.int32)
        if len(fix):
            h.changeColsBounds(len(fix), fix, np.zeros(len(fix)), np.zeros(len(fix)))
        h.clearSolver()
        return Phase(
            f"lp-fixing ({len(fix)} of {m.n_cols} columns fixed{', membership cut' if cut else ''})",
            "optimal",
            ub,
            lb,
            time.perf_counter() - t0,
        )

    def membership_cut(self) -> bool:
        """Add `sum(memberships) >= 1` when every plan without a membership costs more than the known plan.

        The LP relaxation with every membership fixed to 0 bounds the cost of all plans without
        one; if it exceeds the known plan's cost (or is infeasible), the row removes only plans
        costing more than the known plan: none is cheapest or of the cheapest cost. Exact.
        """
        m, h, hs = self.model, self.h, self.hs
        y = np.flatnonzero(m.col_kind == 2).astype(np.int32)
        if m.upper_bound is None or not len(y):
            return False
        h.changeColsBounds(len(y), y, np.zeros(len(y)), np.zeros(len(y)))
        with quiet_stdout():
            h.run()
        st = h.getModelStatus()
        value = h.getInfo().objective_function_value if st == hs.HighsModelStatus.kOptimal else None
        h.changeColsBounds(len(y), y, np.zeros(len(y)), m.col_hi[y].astype(np.float64))
        h.clearSolver()
        if st == hs.HighsModelStatus.kInfeasible or (value is not None and value > m.upper_bound + 0.5):
            h.addRow(1.0, np.inf, len(y), y, np.ones(len(y)))
            return True
        return False

    def _round_up_cost(self, x: np.ndarray) -> float | None:
        m = self.model
        y = (m.col_kind == 2) & (x > 1e-9)
        members = set(m.col_offering[y].tolist())
        opt = np.flatnonzero((m.col_kind < 2) & (x > 1e-9))
        offs = np.unique(m.col_offering[opt])
        usable = (m.col_kind == 0) | ((m.col_kind == 1) & np.isin(m.col_via, list(members)))
        cols = np.flatnonzero(usable & np.isin(m.col_offering, offs) & (m.col_kind < 2))
        best: dict[int, int] = {}
        for c in cols:
            o = int(m.col_offering[c])
            best[o] = min(best.get(o, 1 << 62), int(m.cost[c]))
        if len(best) != len(offs):
            return None
        return float(sum(best.values()) + m.cost[y].sum())

    def lexicographic(self, fixing: bool = False) -> Solution:
        m = self.model
        pre = self.reduced_cost_fixing() if fixing else None
        ph1, x1 = self.run("cost", m.cost)
        first = [pre] if pre is not None else []
        if x1 is None:
            return Solution(ph1.status, None, None, None, [*first, ph1])
        x1 = clean(x1, m)
        cents = int(round(float(m.cost @ x1)))
        mins = int(round(float(m.minutes @ x1)))
        phases = [*first, ph1]
        if mins > 0 and m.minutes.any():
            H = mins + 1
            # exact fixing: costs are >= 0, so no column costing more than C* is in a C*-cost plan
            over = np.flatnonzero(m.cost > cents).astype(np.int32)
            if len(over):
                self.h.changeColsBounds(len(over), over, np.zeros(len(over)), np.zeros(len(over)))
            ph2, x2 = self.run("hours", m.cost * H + m.minutes)
            if len(over):
                self.h.changeColsBounds(
                    len(over), over, np.zeros(len(over)), m.col_hi[over].astype(np.float64)
                )
            phases.append(ph2)
            if x2 is None:
                return Solution(ph2.status, None, None, None, phases)
            x2 = clean(x2, m)
            if int(round(float(m.cost @ x2))) != cents:  # HiGHS contradicts phase 1: no proof, no plan
                return Solution("error", None, None, None, phases)
            x1, mins = x2, int(round(float(m.minutes @ x2)))
        return Solution("optimal", x1, cents, mins, phases)


def clean(x: np.ndarray, m: Model) -> np.ndarray:
    """Round binaries to 0/1 and tiny continuous values to 0."""
    x = x.copy()
    b = m.integrality == 1
    x[b] = np.rint(x[b])
    x[(~b) & (np.abs(x) < 1e-9)] = 0.0
    return x


# --------------------------------------------------------------------------- re-check


def recheck(model: Model, x: np.ndarray, reqs: list[Requirement]) -> list[str]:
    """Check a plan against the rules without the solver (scipy#22812); return the violations.

    Reads only which offerings and memberships the plan buys; how their credits count is
    re-derived from the rules by `counting.allocate`, never from the model's allocation columns.
    """
    t_cols = np.flatnonzero((model.col_kind < 3) & (x > 0.5))
    problems = []
    chosen = model.col_offering[t_cols]
    kinds = model.col_kind[t_cols]
    bought = chosen[kinds < 2]
    members = set(chosen[kinds == 2].tolist())
    if len(np.unique(bought)) != len(bought):
        problems.append("an offering is bought twice")
    via = model.col_via[t_cols][kinds == 1]
    if not set(via.tolist()) <= members:
        problems.append("a member price is used without its membership")
    for r in reqs:
        sel = np.zeros(len(r.view.value), dtype=bool)
        sel[bought] = True
        for row, got in r.allocate(sel).short():
            problems.append(f"{r.label(row.key)}: plan counts {got:g}, needs {row.need:g}")
    return problems


def plan_cost_cents(model: Model, x: np.ndarray, table) -> int:
    """Cost recomputed from the table's prices (not the model's objective)."""
    cols = np.flatnonzero((model.col_kind < 3) & (x > 0.5))
    total = 0
    for col in cols:
        o, kind = model.col_offering[col], model.col_kind[col]
        if kind == 1:
            m = model.col_via[col]
            total += int(member_cents(np.array([table.price_cents[o]]), table.discount_pct[m])[0])
        else:
            total += int(table.price_cents[o])
    return total
