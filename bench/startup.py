"""`recommend` start-up and answer time on the shipped catalog versus a bare
`python -c "import duckdb, scipy.optimize"` (the goal: at most the baseline).

Every command runs as a child process with an empty catalog home (so the embedded shipped snapshot
is used), in rotating order, `--repeat` times; the table gives the median wall seconds, the median
CPU seconds (user + sys of the child) and each one's ratio to the baseline's. With `--before REV`
the same commands also run on the code at git revision REV (extracted with `git archive` and put
first on PYTHONPATH, as bench/side_by_side.py does), interleaved with ours. Both trees are
byte-compiled first, as an installed package is. The load average is printed, because the
machine may be shared.

    python bench/startup.py [--repeat 7] [--before main] [--out bench/results/startup-latest.md]
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAPS = "general=10,clinical=10,administrative=10,total=60,approved:AAMA=30"
PACKAGES = ("catalog", "recommender", "web", "data")
COMMANDS = {
    "python -c 'import duckdb, scipy.optimize' (baseline)": ["-c", "import duckdb, scipy.optimize"],
    "recommend --credential CMA --gaps ... --format json": [
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
        "-m",
        "recommender",
        "--gaps",
        "total=2",
        "--format",
        "json",
    ],
}


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one child, run in the empty catalog home: `python -m`
    puts the working directory first on sys.path, which must not be a checkout."""
    t0 = time.perf_counter()
    p = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=env["CEU_HOME"]
    )
    _, _, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime


def before_tree(rev: str, into: Path) -> Path:
    """The repository at `rev`, extracted (no git metadata) into `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    (into / "ceu_data").symlink_to("data")  # the installed package name of data/ (pyproject package-dir)
    return into


def byte_compile(tree: Path) -> None:
    for name in PACKAGES:
        compileall.compile_dir(tree / name, quiet=1)


def loadavg() -> str:
    p = Path("/proc/loadavg")
    return " ".join(p.read_text().split()[:3]) if p.exists() else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--before", metavar="REV", help="Also time the code at this git revision (e.g. main).")
    ap.add_argument("--out", type=Path, help="Also write the table to this file.")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as old:
        env = {**os.environ, "CEU_HOME": home}  # empty home: the embedded shipped snapshot is used
        trees = {"": env}
        byte_compile(ROOT)
        if a.before:
            byte_compile(before_tree(a.before, Path(old)))
            trees[f" [{a.before}]"] = {**env, "PYTHONPATH": old}
        cases = {
            label + tag: ([sys.executable, *args], tenv)
            for label, args in COMMANDS.items()
            for tag, tenv in trees.items()
            if tag == "" or "recommend" in label
        }
        load0 = loadavg()
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
        names = list(cases)
        for i in range(a.repeat):
            for k in names[i % len(names) :] + names[: i % len(names)]:  # rotate the order
                runs[k].append(timed(*cases[k]))
        load1 = loadavg()
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()
    }
    base_wall, base_cpu = next(iter(med.values()))
    lines = [
        f"# recommend start-up on the shipped catalog ({platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; median of {a.repeat}, interleaved; load average {load0} before, "
        f"{load1} after)",
        "",
        "| command | wall s | x baseline | CPU s | x baseline |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{k}` | {w:.2f} | {w / base_wall:.2f} | {c:.2f} | {c / base_cpu:.2f} |"
        for k, (w, c) in med.items()
    ]
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
