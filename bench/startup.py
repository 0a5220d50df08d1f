"""`recommend` start-up and answer time on the shipped catalog versus a bare
`python -c "import duckdb, scipy.optimize"` (the goal: under twice the baseline).

    python bench/startup.py [--repeat 7] [--out bench/results/startup.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GAPS = "general=10,clinical=10,administrative=10,total=60,approved:AAMA=30"


def timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=env, check=False)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "startup.md")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:  # empty home: the embedded shipped snapshot is used
        env = {**os.environ, "CEU_HOME": home}
        cases = {
            "python -c 'import duckdb, scipy.optimize' (baseline)": [
                sys.executable,
                "-c",
                "import duckdb, scipy.optimize",
            ],
            "recommend --credential CMA --gaps ... --format json": [
                sys.executable,
                "-m",
                "recommender",
                "--credential",
                "CMA",
                "--gaps",
                GAPS,
                "--format",
                "json",
            ],
            "recommend --gaps total=2 --format json (solves a plan)": [
                sys.executable,
                "-m",
                "recommender",
                "--gaps",
                "total=2",
                "--format",
                "json",
            ],
        }
        res = {k: statistics.median(timed(c, env) for _ in range(a.repeat)) for k, c in cases.items()}
    base = next(iter(res.values()))
    lines = [
        f"# recommend start-up on the shipped catalog ({platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; median of {a.repeat})",
        "",
        "| command | seconds | x baseline |",
        "|---|---|---|",
    ]
    lines += [f"| `{k}` | {v:.2f} | {v / base:.2f} |" for k, v in res.items()]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
