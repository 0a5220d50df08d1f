"""Our planning path for the side-by-side benchmark: `recommender.api.plan` (what `recommend` calls)
over a manual-format CSV, CMA full cycle; prints JSON with the optimum and per-stage seconds.

    python bench/plan_ours.py FILE.csv
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date

GAPS = "general=10,clinical=10,administrative=10,total=60,approved:AAMA=30"


def main() -> None:
    t0 = time.perf_counter()
    from recommender.api import plan

    t1 = time.perf_counter()
    p = plan(GAPS, ["CMA"], offerings_files=[sys.argv[1]], as_of=date(2026, 1, 15))
    seconds = {"import": t1 - t0, **p.stats.get("seconds", {})}
    for ph in p.proof.get("phases", []):
        name = ph["phase"].split(" ")[0]
        seconds[name] = seconds.get(name, 0.0) + ph["seconds"]
    seconds["total"] = time.perf_counter() - t0
    proof = p.proof
    print(
        json.dumps(
            {
                "status": p.status,
                "cents": proof.get("cost_cents"),
                "minutes": proof.get("minutes"),
                "seconds": seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
