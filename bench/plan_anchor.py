"""Anchor for planning benchmarks: the CMA full-cycle plan written plainly with numpy + scipy.optimize.milp.

What a competent engineer would write from the manual CSV without our planner: read the file with
the csv module into numpy arrays, one binary per purchase option (full price, member price per
covering membership) and per membership, continuous allocations for the two CMA caps, then two
`milp` calls (cost, then minutes at that cost) with HiGHS' own presolve and no presolve of ours.

CMA rules as in data/credentials/aama-cma.toml: 10 points per content area, 60 in total, 30
AAMA-approved; non-AAMA credit counts at most 30 and only for activities of 50 minutes or more;
a CPR card is 4 clinical AAMA points, at most 12. Handles what bench/plan_markets.py writes
(exact prices, ranges planned at their maximum, unpriced courses, split areas, memberships that
cover a provider at a percentage off).

    python bench/plan_anchor.py FILE.csv      # prints JSON: cents, minutes, per-stage seconds
"""

from __future__ import annotations

import csv
import json
import sys
import time

import numpy as np

AREAS = ("general", "clinical", "administrative")
NEED = {"general": 10.0, "clinical": 10.0, "administrative": 10.0}
TOTAL, APPROVED, NON_AAMA_CAP, CPR_POINTS, CPR_CAP, MIN_NON_AAMA_MINUTES = 60.0, 30.0, 30.0, 4.0, 12.0, 50


def read(path: str) -> dict[str, np.ndarray]:
    """The CSV as numpy columns (prices in cents, -1 unknown; areas as an (n, 3) array)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    n = len(rows)

    def num(key: str) -> np.ndarray:
        return np.array([float(r[key]) if r[key] else np.nan for r in rows])

    price = num("price_usd")
    price = np.where(np.isnan(price), num("price_max_usd"), price)
    area = np.zeros((n, 3))
    for i, r in enumerate(rows):
        if r["areas"] and ":" not in r["areas"]:
            area[i, AREAS.index(r["areas"])] = float(r["credits"])
        elif r["areas"]:
            for part in r["areas"].split(";"):
                name, amount = part.split(":")
                area[i, AREAS.index(name)] = float(amount)
    return {
        "provider": np.array([r["provider"] for r in rows]),
        "kind": np.array([r["kind"] for r in rows]),
        "cents": np.where(np.isnan(price), -1, np.round(price * 100)).astype(np.int64),
        "credits": np.nan_to_num(num("credits")),
        "minutes": np.round(np.nan_to_num(num("hours")) * 60).astype(np.int64),
        "area": area,
        "aama": np.array(["AAMA" in r["approved_by"].split(";") for r in rows]),
        "covers": np.array([r["covers"].partition("=")[2] for r in rows]),
        "discount": np.nan_to_num(num("discount_pct")),
    }


def solve(d: dict[str, np.ndarray]) -> dict:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

    member = np.isin(d["kind"], ["membership", "bundle"])
    cpr = d["kind"] == "cpr"
    course = ~member
    credits = np.where(cpr, CPR_POINTS, d["credits"])
    area = np.where(cpr[:, None], np.array([0.0, CPR_POINTS, 0.0]), d["area"])
    non_aama = course & ~d["aama"] & ~cpr
    counts = course & ~(non_aama & (d["minutes"] < MIN_NON_AAMA_MINUTES))
    credits, area = credits * counts, area * counts[:, None]
    # purchase options: (offering, membership or -1, cents)
    offs = np.flatnonzero(course & counts & (credits > 0))
    full = offs[d["cents"][offs] >= 0]
    opt_o, opt_m, opt_c = [full], [np.full(len(full), -1)], [d["cents"][full]]
    mems = np.flatnonzero(member & (d["cents"] >= 0))
    for k, m in enumerate(mems):
        cov = offs[d["provider"][offs] == d["covers"][m]]
        list_price = d["cents"][cov]
        pay = np.where(
            d["discount"][m] >= 100, 0, np.floor(list_price * (100 - d["discount"][m]) / 100 + 0.5)
        ).astype(np.int64)
        ok = (d["discount"][m] >= 100) | ((list_price >= 0) & (pay < list_price))
        opt_o.append(cov[ok])
        opt_m.append(np.full(int(ok.sum()), k))
        opt_c.append(pay[ok])
    o, m, c = np.concatenate(opt_o), np.concatenate(opt_m), np.concatenate(opt_c)
    nx, ny = len(o), len(mems)
    # columns: options, memberships, u_non_aama[3 areas], u_cpr
    nu = 4
    ncol = nx + ny + nu
    cap_class = np.where(non_aama[o], 0, np.where(cpr[o], 1, -1))
    direct = cap_class < 0
    rows_a = [area[o, a] * direct for a in range(3)]
    row_total = credits[o] * direct
    row_appr = credits[o] * (direct & d["aama"][o])
    X = csr_matrix(np.vstack([*rows_a, row_total, row_appr]))
    U = np.zeros((5, nu))
    U[0:3, 0:3] = np.eye(3)  # non-AAMA allocation per area
    U[1, 3] = 1  # CPR counts as clinical
    U[3, :] = 1  # everything counts toward the total
    U[4, 3] = 1  # CPR cards count as AAMA-approved
    cover = hstack([X, csr_matrix((5, ny)), csr_matrix(U)])
    cover_lo = np.array([NEED[a] for a in AREAS] + [TOTAL, APPROVED])
    # allocations: u_non_aama[a] <= non-AAMA credits bought in area a; u_cpr <= 4 x cards; caps
    avail = np.vstack([area[o, a] * (cap_class == 0) for a in range(3)] + [credits[o] * (cap_class == 1)])
    alloc = hstack([-csr_matrix(avail), csr_matrix((4, ny)), csr_matrix(np.eye(4))])
    caps = csr_matrix(np.array([[0.0] * (nx + ny) + [1, 1, 1, 0], [0.0] * (nx + ny) + [0, 0, 0, 1]]))
    once = coo_matrix((np.ones(nx), (o, np.arange(nx))), shape=(len(d["kind"]), ncol)).tocsr()
    once = once[np.flatnonzero(np.bincount(o, minlength=len(d["kind"])) > 1)]
    via = np.flatnonzero(m >= 0)
    k = np.arange(len(via))
    link = coo_matrix(  # z_om - y_m <= 0
        (np.r_[np.ones(len(via)), -np.ones(len(via))], (np.r_[k, k], np.r_[via, nx + m[via]])),
        shape=(len(via), ncol),
    )
    A = vstack([cover, alloc, caps, once, link]).tocsr()
    lo = np.r_[cover_lo, np.full(4, -np.inf), -np.inf, -np.inf, np.full(once.shape[0] + len(via), -np.inf)]
    hi = np.r_[
        np.full(5, np.inf), np.zeros(4), NON_AAMA_CAP, CPR_CAP, np.ones(once.shape[0]), np.zeros(len(via))
    ]
    cost = np.r_[c, d["cents"][mems], np.zeros(nu)].astype(float)
    minutes = np.r_[d["minutes"][o], np.zeros(ny + nu)].astype(float)
    integrality = np.r_[np.ones(nx + ny), np.zeros(nu)]
    bounds = Bounds(np.zeros(ncol), np.r_[np.ones(nx + ny), np.full(nu, np.inf)])
    opts = {"mip_rel_gap": 0.0}
    t0 = time.perf_counter()
    r1 = milp(
        cost, constraints=LinearConstraint(A, lo, hi), integrality=integrality, bounds=bounds, options=opts
    )
    t1 = time.perf_counter()
    if r1.status != 0:
        return {"status": r1.message, "seconds": {"cost": t1 - t0}}
    cents = int(round(r1.fun))
    at_cost = LinearConstraint(csr_matrix(cost), -np.inf, cents + 0.5)
    r2 = milp(
        minutes,
        constraints=[LinearConstraint(A, lo, hi), at_cost],
        integrality=integrality,
        bounds=bounds,
        options=opts,
    )
    t2 = time.perf_counter()
    return {
        "status": "optimal" if r2.status == 0 else r2.message,
        "cents": cents,
        "minutes": int(round(r2.fun)) if r2.status == 0 else None,
        "columns": ncol,
        "rows": A.shape[0],
        "seconds": {"cost": t1 - t0, "hours": t2 - t1},
    }


def main() -> None:
    t0 = time.perf_counter()
    d = read(sys.argv[1])
    t1 = time.perf_counter()
    out = solve(d)
    out["seconds"] = {"read": t1 - t0, **out["seconds"], "total": time.perf_counter() - t0}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
