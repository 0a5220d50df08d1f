"""OR-Library weighted set cover as CEU Planner problems (../shared/benchmarks/orlib/README.md).

Each element i is a topic requirement `topic:rI=1`; each set j an offering worth 1 contact hour
tagged with the topics it covers, priced at the set cost. `recommend --offerings` must return
exactly the published optimum. Usage:

    python bench/orlib.py [--dir ../shared/benchmarks/orlib] [--out bench/results/orlib.md]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KNOWN = {"scp41": 429, "scp51": 253, "scp54": 242, "scpa2": 252, "scpb1": 69}
HEADER = ["id", "provider", "title", "kind", "price_usd", "hours", "credits", "credit_unit", "topics", "url"]


def read_scp(path: Path) -> tuple[int, list[int], list[list[int]]]:
    """(rows, column costs, for each column the rows it covers, 1-based)."""
    nums = list(map(int, path.read_text().split()))
    m, n = nums[0], nums[1]
    costs = nums[2 : 2 + n]
    pos = 2 + n
    cols: list[list[int]] = [[] for _ in range(n)]
    for i in range(1, m + 1):
        k = nums[pos]
        for j in nums[pos + 1 : pos + 1 + k]:
            cols[j - 1].append(i)
        pos += 1 + k
    return m, costs, cols


def write_csv(path: Path, out: Path) -> tuple[Path, str]:
    """Write the manual-format CSV for an instance; return it and the --gaps text."""
    m, costs, cols = read_scp(path)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for j, (c, rows) in enumerate(zip(costs, cols, strict=True), 1):
            w.writerow(
                [
                    f"s{j}",
                    "OR-Library",
                    f"set {j}",
                    "course",
                    c,
                    1,
                    1,
                    "contact_hour",
                    ";".join(f"r{i}" for i in rows),
                    "http://people.brunel.ac.uk/~mastjjb/jeb/orlib/scpinfo.html",
                ]
            )
    return out, ",".join(f"topic:r{i}=1" for i in range(1, m + 1))


def run(name: str, src: Path, tmp: Path) -> dict:
    csv_path, gaps = write_csv(src / f"{name}.txt", tmp / f"{name}.csv")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "recommender",
            "--offerings",
            str(csv_path),
            "--gaps",
            gaps,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{name}: exit {proc.returncode}: {proc.stderr.strip()}")
    out = json.loads(proc.stdout)
    return {
        "name": name,
        "cost": out["total_cost"],
        "known": KNOWN[name],
        "seconds": secs,
        "solve": sum(p["seconds"] for p in out["proof"]["phases"]),
        "status": out["proof"]["status"],
        "phases": {p["phase"].split(" ")[0]: p["seconds"] for p in out["proof"]["phases"]},
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--dir",
        default=Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "orlib",
        type=Path,
    )
    ap.add_argument("--out", default=Path(__file__).parent / "results" / "orlib.md", type=Path)
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in KNOWN:
            r = run(name, a.dir, Path(tmp))
            print(r, file=sys.stderr)
            rows.append(r)
    lines = [
        f"# OR-Library set cover through `recommend --offerings` ({platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()})",
        "",
        "| instance | known optimum | recommend | status | end to end (s) | LP fixing (s) | cost phase (s) | hours phase (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['name']} | {r['known']} | {r['cost']:g} | {r['status']} | {r['seconds']:.2f} | "
        f"{r['phases'].get('lp-fixing', 0):.2f} | {r['phases'].get('cost', 0):.2f} | {r['phases'].get('hours', 0):.2f} |"
        for r in rows
    ]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    lines += [
        "",
        "The hours phase (fewest sets among the cheapest covers; every set is 1 hour) is extra work beyond "
        "the set-cover optimum, which the cost phase proves. Measured while another benchmark used the second core.",
    ]
    a.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    bad = [r for r in rows if abs(r["cost"] - r["known"]) > 1e-9]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
