"""The ingest floor for build benchmarks: DuckDB's own CSV reader + COPY to one Parquet file.

python bench/build_floor.py SOURCE_DIR OUT.parquet
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    t0 = time.perf_counter()
    import duckdb

    t1 = time.perf_counter()
    con = duckdb.connect()
    src = f"{sys.argv[1]}/*.csv"
    con.execute(f"COPY (SELECT * FROM read_csv('{src}', header = true)) TO '{sys.argv[2]}' (FORMAT parquet)")
    t2 = time.perf_counter()
    print(json.dumps({"seconds": {"import": t1 - t0, "read_csv+copy": t2 - t1, "total": t2 - t0}}))


if __name__ == "__main__":
    main()
