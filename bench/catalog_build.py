"""Benchmark: build + publish a synthetic catalog of N offerings (default 1,000,000).

Generates seeded manual CSVs (several providers, exact prices and ranges, split areas,
memberships), runs the real `catalog build` in a subprocess and reports wall time and the
child's peak RSS. Results are appended to bench/results/catalog_build.md.

    python bench/catalog_build.py --n 1000000 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HEADER = (
    "id,provider,title,kind,price_usd,price_min_usd,price_max_usd,price_basis,hours,credits,credit_unit,"
    "areas,topics,approved_by,accepted_by,delivery,covers,discount_pct,term_months,valid_from,valid_until,"
    "url,description"
)
AREAS = ["clinical", "general", "administrative"]
TOPICS = ["", "", "", "hipaa", "infection_control", "coding", "pharmacology"]


def generate(directory: Path, n: int, seed: int = 7, providers: int = 20, titles: str = "synthetic") -> None:
    """Write n offerings in `providers` CSV files; titles "templated" = real catalogs' numbered
    titles ("Course 3-123 on topic 4567"), 10 providers, so that titles of one provider differ only by numbers."""
    if titles == "templated":
        providers = 10
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    per = n // providers
    for p in range(providers):
        name = f"Provider {p:02d}"
        with open(directory / f"provider{p:02d}.csv", "w") as f:
            f.write(HEADER + "\n")
            count = per if p < providers - 1 else n - per * (providers - 1)
            for i in range(count - 1):
                credits = rng.choice([0.5, 1, 1, 1.5, 2, 3])
                if rng.random() < 0.2:
                    a, b = rng.sample(AREAS, 2)
                    half = credits / 2
                    areas = f"{a}:{half:g};{b}:{credits - half:g}"
                else:
                    areas = rng.choice(AREAS)
                if rng.random() < 0.1:
                    price, pmin, pmax = "", "15", "60"
                else:
                    price, pmin, pmax = f"{rng.randint(0, 6000) / 100:.2f}", "", ""
                approved = "AAMA" if rng.random() < 0.6 else "IACET"
                title = f"Synthetic course {i} of {name}"
                if titles == "templated":
                    title = (
                        f"Course {rng.randint(1, 9)}-{rng.randint(1, 999)} on topic {rng.randint(1, 9999)}"
                    )
                f.write(
                    f"p{p}-c{i},{name},{title},course,{price},{pmin},{pmax},one_time,"
                    f"{credits:g},{credits:g},aama_ceu,{areas},{rng.choice(TOPICS)},{approved},AAMA;AMT,online,"
                    f",,,,,https://provider{p}.example/c/{i},Generated for benchmarking.\n"
                )
            f.write(
                f"p{p}-member,{name},{name} membership,membership,{rng.randint(1000, 30000) / 100:.2f},,,per_year,"
                f",,,,,,,online,provider={name},{rng.choice([50, 100])},12,,,https://provider{p}.example/m,\n"
            )


def run_build(src: Path, home: Path) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "catalog", "build", "--source", str(src), "--home", str(home)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - t
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak_kb, before)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "catalog_build.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        t = time.perf_counter()
        generate(src, args.n)
        gen = time.perf_counter() - t
        size_mb = sum(f.stat().st_size for f in src.iterdir()) / 1e6
        times, peaks = [], []
        for r in range(args.repeat):
            elapsed, peak = run_build(src, Path(tmp) / f"home{r}")
            times.append(elapsed)
            peaks.append(peak / 1024)
            print(f"run {r + 1}: {elapsed:.1f} s, peak RSS so far {peak / 1024:.0f} MB", file=sys.stderr)
    line = (
        f"| {datetime.now(UTC):%Y-%m-%d} | {args.n:,} | {size_mb:.0f} MB CSV | {statistics.median(times):.1f} s "
        f"(median of {args.repeat}) | {max(peaks):.0f} MB | {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} |"
    )
    print(line)
    if not args.out.exists():
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            "# catalog build + publish benchmark\n\n| date | offerings | input | build+publish | "
            "peak RSS | machine |\n|---|---|---|---|---|---|\n"
        )
    with open(args.out, "a") as f:
        f.write(line + "\n")
    print(f"(generation of the CSVs took {gen:.1f} s, not counted)", file=sys.stderr)


if __name__ == "__main__":
    main()
