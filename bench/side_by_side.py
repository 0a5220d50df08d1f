"""Side-by-side benchmarks: our path, the code before a change, and a plain anchor, interleaved on the same inputs.

Every contender runs as a child process of this one (wall time and its own peak RSS via wait4),
in rotating order, `--repeat` times; the table shows medians, the spread, each contender's ratio to
ours (> 1: ours is faster) and, per stage, the medians each contender reports. The load average
before and after is printed with the machine, because the machine is shared.

  plan      planning from CSV, CMA full cycle: ours (bench/plan_ours.py = recommender.api.plan),
            before, and the plain scipy.optimize.milp anchor (bench/plan_anchor.py); optima compared
  snapshot  planning from a published snapshot (bench/optimizer.py --one): ours and before
  build     `catalog build` of generated CSVs (bench/catalog_build.py): ours, before, and DuckDB's
            read_csv + COPY TO parquet of the same files (bench/build_floor.py)

"before" is a git revision (`--before REV`, default main) extracted with `git archive` and put first
on PYTHONPATH, so the same driver runs the old library.

    python bench/side_by_side.py plan --sizes 10000 100000 --repeat 3 --before main
    python bench/side_by_side.py build --sizes 100000 --titles templated --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable


def run(cmd: list[str], env: dict | None = None, timeout: float | None = None) -> dict:
    """Run one child; wall seconds, peak RSS (MB) and its stdout's last JSON line (if any)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                return {"wall": None, "timeout": timeout, "peak_mb": None}
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace")
        if p.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err.read().decode()[-3000:]}")
    lines = [ln for ln in text.splitlines() if ln.startswith("{")]
    info = json.loads(lines[-1]) if lines else {}
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024, "info": info}


def before_tree(rev: str, into: Path) -> Path:
    """The repository at `rev`, extracted (no git metadata) into `into`."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    (into / "ceu_data").symlink_to("data")  # the installed package name of data/ (pyproject package-dir)
    return into


def contenders(mode: str, inp: Path, before: Path | None, tmp: Path, anchor_timeout: float) -> dict:
    """name -> (command, env, timeout) for one input."""
    old = {"PYTHONPATH": str(before)} if before else None
    if mode == "plan":
        c = {"ours": ([PY, str(BENCH / "plan_ours.py"), str(inp)], None, None)}
        if before:
            c["before"] = ([PY, str(BENCH / "plan_ours.py"), str(inp)], old, None)
        c["anchor"] = ([PY, str(BENCH / "plan_anchor.py"), str(inp)], None, anchor_timeout)
        return c
    if mode == "snapshot":
        c = {"ours": ([PY, str(BENCH / "optimizer.py"), "--one", str(inp)], None, None)}
        if before:
            c["before"] = ([PY, str(before / "bench" / "optimizer.py"), "--one", str(inp)], old, None)
        return c
    build = [PY, str(BENCH / "build_ours.py"), str(inp)]
    c = {"ours": ([*build, str(tmp / "home-ours")], None, None)}
    if before:
        c["before"] = ([*build, str(tmp / "home-before")], old, None)
    c["duckdb"] = ([PY, str(BENCH / "build_floor.py"), str(inp), str(tmp / "floor.parquet")], None, None)
    return c


def make_input(mode: str, n: int, market: str, titles: str, tmp: Path) -> Path:
    sys.path.insert(0, str(BENCH))
    if mode == "plan":
        from plan_markets import write_csv

        return write_csv(n, market, 7, tmp / f"{market}-{n}.csv")
    if mode == "snapshot":
        from optimizer import build_home

        build_home(n, market, 7, tmp / "snap")
        return tmp / "snap"
    from catalog_build import generate

    generate(tmp / "src", n, titles=titles)
    return tmp / "src"


def stages(runs: list[dict]) -> dict[str, float]:
    """Median seconds per stage, in the order the first run reported them."""

    def secs(r: dict) -> dict:
        return r.get("info", {}).get("seconds") or r.get("info", {}).get("t") or {}

    out = {}
    for k in secs(runs[0]):
        vals = [v for v in (secs(r).get(k) for r in runs) if isinstance(v, int | float)]
        if vals:
            out[k] = statistics.median(vals)
    return out


def measure(mode: str, n: int, market: str, a: argparse.Namespace, before: Path | None) -> list[str]:
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        inp = a.input or make_input(mode, n, market, a.titles, tmp)
        cs = contenders(mode, inp, before, tmp, a.anchor_timeout)
        names = list(cs)
        runs: dict[str, list[dict]] = {k: [] for k in names}
        for rep in range(a.repeat):
            order = names[rep % len(names) :] + names[: rep % len(names)]
            for name in order:
                cmd, env, timeout = cs[name]
                if runs[name] and runs[name][-1].get("timeout"):
                    continue  # it timed out once: do not wait again
                r = run(cmd, env, timeout)
                runs[name].append(r)
                print(f"  {mode} {market} {n:,} {name}: {r['wall'] or 'timeout'}", file=sys.stderr)
    ours = statistics.median(r["wall"] for r in runs["ours"])
    label = f"{market} " if mode != "build" else f"{a.titles} titles "
    rows = []
    for name in names:
        rs = [r for r in runs[name] if r["wall"] is not None]
        if not rs:
            t_out = runs[name][0]["timeout"]
            rows.append(
                f"| {label}{n:,} | {name} | > {t_out:.0f} (timed out) | | > {t_out / ours:.1f}x | | | | |"
            )
            continue
        walls = [r["wall"] for r in rs]
        med = statistics.median(walls)
        info = rs[0].get("info", {})
        answer = info.get("cents", "")
        if mode == "snapshot":
            answer = info.get("cents", "")
        mins = info.get("minutes", "")
        st = ", ".join(f"{k} {v:.2f}" for k, v in stages(rs).items() if k not in ("total", "end_to_end"))
        rows.append(
            f"| {label}{n:,} | {name} | {med:.2f} | {min(walls):.2f}-{max(walls):.2f} ({len(walls)}) | "
            f"{med / ours:.2f}x | {statistics.median(r['cpu'] for r in rs):.2f} | {max(r['peak_mb'] for r in rs):.0f} | "
            f"{answer} / {mins} | {st} |"
        )
    return rows


def loadavg() -> list[str]:
    p = Path("/proc/loadavg")
    return p.read_text().split()[:3] if p.exists() else ["?"] * 3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["plan", "snapshot", "build"])
    ap.add_argument("--sizes", nargs="+", type=int, default=[10000])
    ap.add_argument("--markets", nargs="+", default=["realistic", "hard"])
    ap.add_argument("--titles", choices=["synthetic", "templated"], default="synthetic")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--before", default="main", help="git revision to compare with ('' for none)")
    ap.add_argument("--anchor-timeout", type=float, default=900.0)
    ap.add_argument("--input", type=Path, help="reuse this CSV / snapshot home / source directory (one size)")
    ap.add_argument("--out", type=Path, default=BENCH / "results" / "side_by_side.md")
    a = ap.parse_args()
    load0 = loadavg()
    with tempfile.TemporaryDirectory() as t:
        before = before_tree(a.before, Path(t) / "before") if a.before else None
        rows = []
        for n in a.sizes:
            for market in a.markets if a.mode != "build" else ["-"]:
                rows += measure(a.mode, n, market, a, before)
    load1 = loadavg()
    head = [
        f"## {a.mode}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, before = {a.before or '-'}",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{' '.join(load0)} at the start, {' '.join(load1)} at the end (shared machine). Seconds are wall "
        "time of the child process; ratio = contender / ours (above 1: ours is faster); CPU s = the child's "
        "user + system time (less sensitive to the load); peak = the child's max RSS.",
        "",
        "| input | contender | median s | range (runs) | ratio | CPU s | peak MB | cents / minutes | stage medians (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    text = "\n".join(head + rows) + "\n"
    print(text)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with open(a.out, "a") as f:
        f.write("\n" + text)


if __name__ == "__main__":
    main()
