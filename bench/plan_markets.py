"""The optimizer benchmark's synthetic markets (bench/optimizer.py) as manual-format CSV files.

`recommend --offerings FILE` and the plain anchor (bench/plan_anchor.py) read the same file.

    python bench/plan_markets.py --n 10000 --market realistic --out /tmp/realistic-1e4.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from optimizer import offerings  # noqa: E402

from catalog.records import MANUAL_COLUMNS, format_areas  # noqa: E402


def write_csv(n: int, market: str, seed: int, path: Path) -> Path:
    """Write the market's offerings (same generator and seed as the snapshot benchmark) to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(MANUAL_COLUMNS)
        for o in offerings(n, market, seed):
            row = o.to_row()
            row["areas"] = format_areas(o.areas)
            for key in ("topics", "approved_by", "accepted_by"):
                row[key] = ";".join(row[key])
            w.writerow(["" if row.get(c) is None else row[c] for c in MANUAL_COLUMNS])
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--market", choices=["realistic", "hard"], default="realistic")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    print(write_csv(a.n, a.market, a.seed, a.out))


if __name__ == "__main__":
    main()
