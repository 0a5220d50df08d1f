"""Our build path for the side-by-side benchmark: `catalog.builder.build` (what `catalog build` calls)
over a source directory into a fresh home; prints JSON with seconds per reported build step.

    python bench/build_ours.py SOURCE_DIR HOME
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    t0 = time.perf_counter()
    from catalog.builder import build

    marks: list[tuple[str, float]] = [("import", time.perf_counter())]  # (step message, when it came)
    snap = build([sys.argv[1]], sys.argv[2], progress=lambda msg: marks.append((msg, time.perf_counter())))
    end = time.perf_counter()
    seconds = {"import": marks[0][1] - t0}
    marks.append(("end", end))
    for (name, t), (after, t_next) in zip(marks, marks[1:], strict=False):
        # "N offerings written" ends the reading stage; the other steps are announced as they start
        written = "offerings written" in after or "offerings written" in name or name == "import"
        key = "read+validate+write" if written else name.split(" ")[0]
        seconds[key] = seconds.get(key, 0.0) + t_next - t
    seconds["total"] = end - t0
    print(json.dumps({"snapshot": snap.id, "seconds": seconds}))
    getattr(snap, "close", lambda: None)()


if __name__ == "__main__":
    main()
