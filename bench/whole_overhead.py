"""CPU cost of the whole answer (`recommender.plan`: fees, deadlines, owned offerings, estimates) over the
exact optimizer alone (`recommender.api.plan`), CMA full cycle on bench/optimizer.py's realistic market.

    python bench/whole_overhead.py --sizes 10000 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    from optimizer import GAPS, build_home

    from catalog.snapshot import open_snapshot
    from recommender import plan as whole
    from recommender.api import load_table
    from recommender.api import plan as core

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", type=int, default=[10000, 100000])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    for n in a.sizes:
        with tempfile.TemporaryDirectory() as t:
            build_home(n, "realistic", 7, Path(t))
            with open_snapshot(t) as snap:
                table = load_table(snap)
            runs: dict[str, list[float]] = {"core": [], "whole": []}
            for _ in range(a.repeat):
                for name, fn in (("core", core), ("whole", whole)):
                    t0 = time.process_time()
                    p = fn(GAPS, ["CMA"], table, as_of=date(2026, 1, 15))
                    runs[name].append(time.process_time() - t0)
                    assert p.status == "optimal"
            c, w = (statistics.median(runs[k]) for k in ("core", "whole"))
            print(
                f"{n:,} offerings: CPU s median core {c:.3f}, whole {w:.3f} ({w / c - 1:+.0%}); fees ${p.total_with_fees - p.total_cost:.2f}"
            )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
