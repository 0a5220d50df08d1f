"""Writing snapshots: build into a temporary directory, verify, publish atomically.

See catalog/snapshot.py for the layout of a catalog home and the reading side. A build writes
`<home>/snapshots/.tmp-*`, checks it, renames it into place and only then replaces `latest`
(write + fsync + os.replace), so a build killed at any moment leaves the previous snapshot
published and readable. The lock around that last step, the `latest` pointer and the clean-up of
killed builds' files live in catalog/publish_lock.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from catalog.filters import COVERABLE_SQL, decode_filter, to_sql
from catalog.home import catalog_home
from catalog.progress import report
from catalog.publish_lock import clean_stale_tmp, place_and_publish, tmp_prefix
from catalog.records import Offering, arrow_offerings, schema_sql
from catalog.snapshot import (
    SCHEMA_VERSION,
    TABLES,
    CatalogError,
    EmptyBuildError,
    Snapshot,
    file_sha256,
    snapshots_dir,
    verify,
)
from catalog.sql import literal, scalar
from catalog.write_errors import disk_errors, raise_write_fault


def _fill_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The `providers` completeness counts and the `coverage` table (each membership's filter compiled
    by catalog.filters; a membership or bundle never covers another one)."""
    credit = COVERABLE_SQL
    con.execute(f"""
        INSERT INTO providers
        SELECT provider, count(*),
               count(*) FILTER (WHERE price_usd IS NOT NULL OR price_max_usd IS NOT NULL),
               count(*) FILTER (WHERE credits IS NOT NULL AND {credit}),
               count(*) FILTER (WHERE areas <> '' AND {credit}),
               count(*) FILTER (WHERE area_source = 'inferred' AND {credit}),
               count(*) FILTER (WHERE {credit}),
               list_sort(list_distinct(list(source)))
        FROM offerings GROUP BY provider ORDER BY provider""")
    for mid, covers, discount in con.execute(
        "SELECT id, covers, coalesce(discount_pct, 100) FROM offerings WHERE covers <> '' ORDER BY id"
    ).fetchall():
        where, params = to_sql(decode_filter(covers))
        con.execute(
            f"INSERT INTO coverage SELECT ?, id, ? FROM offerings WHERE {COVERABLE_SQL} AND {where}",
            [mid, discount, *params],
        )


def _check_covered_ids(con: duckdb.DuckDBPyConnection) -> None:
    """CatalogError for a `covers` filter naming (by id) a membership or bundle, which nothing covers."""
    covering = {r[0] for r in con.execute(f"SELECT id FROM offerings WHERE NOT ({COVERABLE_SQL})").fetchall()}
    rows = con.execute(
        "SELECT id, covers, source, source_line FROM offerings WHERE covers <> '' ORDER BY source, source_line"
    ).fetchall()
    for mid, covers, source, line in rows:
        for cond in decode_filter(covers):
            if cond.field == "id" and cond.value in covering:
                raise CatalogError(
                    f"{source}:{line}:covers: {mid} covers id={cond.value}, a membership or bundle, "
                    "which nothing covers; nothing was published"
                )


def _release_arrow_memory() -> None:
    """Hand the memory Arrow's allocator keeps cached after the insert back to the system (it would
    otherwise stay in the build's peak while DuckDB sorts and writes)."""
    import sys

    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


def _check_unique_ids(con: duckdb.DuckDBPyConnection) -> None:
    """CatalogError naming an id that two offerings share (the loaders refuse them; this guards the rest)."""
    row = con.execute("""
        SELECT id, list(source || ':' || coalesce(source_line::VARCHAR, '-') ORDER BY source, source_line)
        FROM offerings GROUP BY id HAVING count(*) > 1 ORDER BY id LIMIT 1""").fetchone()
    if row:
        first, *again = row[1]
        raise CatalogError(
            f"{again[0]}:id: duplicate id {row[0]!r} (first defined at {first}); nothing was published"
        )


def build_and_publish(
    offerings: Iterable[Offering],
    home: str | Path | None = None,
    *,
    sources: dict[str, dict[str, Any]] | Callable[[], dict[str, dict[str, Any]]] | None = None,
    inputs: dict[str, Any] | None = None,
    publish: bool = True,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    chunk_size: int = 50_000,
    finalize: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    allow_empty: bool = False,
    wait: bool = True,
    say: Callable[[str], None] | None = None,
) -> Snapshot:
    """Write a new immutable snapshot of `offerings` into the home and (by default) publish it.

    Offerings (or ParquetParts from the parallel loader) are streamed in chunks through Arrow
    into DuckDB, so memory stays bounded. `finalize` may rewrite the tables once all rows are in
    (the learning step: merge duplicates, infer areas). `sources` (source name -> counts, or a
    callable evaluated after the stream is consumed) and `inputs` go into the manifest for
    refresh guards and staleness checks. If the stream raises (e.g. a validation error after the
    last file, or no offering at all without `allow_empty`), nothing is published. Moving the
    snapshot into place and publishing it happen under the home's publish lock (see
    catalog.publish_lock: `wait`, messages to `say`). Leftovers of killed builds are removed first.
    """
    step = progress or (lambda _msg: None)
    home_path = catalog_home(home)
    snaps = snapshots_dir(home_path)
    with disk_errors(snaps):
        snaps.mkdir(parents=True, exist_ok=True)
        clean_stale_tmp(home_path)
        tmp = Path(tempfile.mkdtemp(prefix=tmp_prefix(), dir=snaps))
    started_ns = time.time_ns()
    built = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    try:
        db = tmp / "catalog.duckdb"
        con = duckdb.connect(str(db))
        try:
            # bounded memory for the whole build: inserts write row groups out, sorts spill (into tmp)
            con.execute(f"SET temp_directory = {literal(tmp / SPILL_DIR)}")
            con.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")
            con.execute(schema_sql())
            n = 0
            for chunk in _chunks(offerings, chunk_size):
                if isinstance(chunk, list) or hasattr(chunk, "num_rows"):  # Offerings, or an Arrow table
                    batch = arrow_offerings([o.to_row() for o in chunk]) if isinstance(chunk, list) else chunk
                    con.register("arrow_batch", batch)
                    con.execute("INSERT INTO offerings SELECT * FROM arrow_batch")
                    con.unregister("arrow_batch")
                elif hasattr(chunk, "raise_pending"):  # an ArrowStream: every table in one statement
                    con.register("arrow_stream", chunk.reader())
                    try:
                        con.execute("INSERT INTO offerings SELECT * FROM arrow_stream")
                    finally:
                        con.unregister("arrow_stream")
                    chunk.raise_pending()
                elif chunk.paths:  # Parquet parts already validated and converted (the parallel loader)
                    files = ", ".join(literal(p) for p in chunk.paths)
                    con.execute(f"INSERT INTO offerings SELECT * FROM read_parquet([{files}])")
                n = scalar(con, "SELECT count(*) FROM offerings")
                step(f"{n:,} offerings written")
                report("offerings validated and written", n)
            _check_unique_ids(con)
            _release_arrow_memory()
            con.execute("""INSERT INTO offering_sources
                           SELECT id, source, source_line, url, price_usd, retrieved_at FROM offerings""")
            if finalize is not None:
                step("finalizing")
                finalize(con)
            step("derived tables and content hash")
            _check_covered_ids(con)
            _fill_derived_tables(con)
            counts = {t: scalar(con, f"SELECT count(*) FROM {t}") for t in TABLES}
            if not counts["offerings"] and not allow_empty:
                raise EmptyBuildError("the sources hold no offerings; nothing was published")
            digest = scalar(con, _HASH_SQL) or hashlib.sha256(b"").hexdigest()
            step("writing Parquet")
            for k, t in enumerate(TABLES):
                report("writing Parquet", k, len(TABLES))
                order = "id" if t == "offerings" else "ALL"
                con.execute(
                    f"COPY (SELECT * FROM {t} ORDER BY {order}) TO {literal(tmp / (t + '.parquet'))} "
                    "(FORMAT parquet, COMPRESSION zstd)"
                )
            report("writing Parquet", len(TABLES), len(TABLES))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        shutil.rmtree(tmp / SPILL_DIR, ignore_errors=True)
        step("checksums and manifest")
        files = {}
        for f in sorted(tmp.iterdir()):
            _fsync(f)
            files[f.name] = {"bytes": f.stat().st_size, "sha256": file_sha256(f)}
        sid = f"{built.strftime('%Y%m%dT%H%M%SZ')}-{digest[:8]}"
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "id": sid,
            "built_at": built.isoformat().replace("+00:00", "Z"),
            "content_sha256": digest,
            "tables": {t: {"rows": counts[t], "file": f"{t}.parquet"} for t in TABLES},
            "files": files,
            "sources": (sources() if callable(sources) else sources) or {},
            "inputs": inputs or {},
            "build_started_ns": started_ns,
            "duckdb_version": duckdb.__version__,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        _fsync(tmp / "manifest.json")
        step("verifying")
        _verify_counts(tmp, manifest)
        step("publishing" if publish else "moving into place")
        final, published = place_and_publish(
            home_path, tmp, sid, started_ns, publish=publish, wait=wait, say=say or step
        )
        return Snapshot(sid, final, verify(final), published=published)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise_write_fault(e, tmp)
        raise


#: sha256 of the offerings in id order, each row as DuckDB's 64-bit hash of its values. Same input,
#: same hash, with one DuckDB version (the manifest records it; DuckDB's hash may change between
#: releases). md5 of each row's text rendering was 5x the CPU (the rendering of 10^6 rows is ~1 GB of text).
_HASH_SQL = "SELECT sha256(string_agg(hash(o)::VARCHAR, ',' ORDER BY o.id)) FROM offerings o"

#: DuckDB's memory limit for a build: the insert writes row groups out as it goes, and the sorts of the
#: content hash and the Parquet files spill to the snapshot's temporary directory instead of holding a
#: 10^6-row catalog twice in memory (bench/results/catalog_build.md: the time this costs).
BUILD_MEMORY_LIMIT = "512MB"
SPILL_DIR = "spill.tmp"


def _chunks(items: Iterable[Any], size: int) -> Iterator[Any]:
    """Lists of up to `size` Offerings; Arrow tables and Parquet parts in the stream pass through as they are."""
    buf: list[Offering] = []
    for item in items:
        if isinstance(item, Offering):
            buf.append(item)
            if len(buf) >= size:
                yield buf
                buf = []
        else:
            if buf:
                yield buf
                buf = []
            yield item
    if buf:
        yield buf


def _verify_counts(path: Path, manifest: dict[str, Any]) -> None:
    con = duckdb.connect(str(path / "catalog.duckdb"), read_only=True)
    try:
        for t, meta in manifest["tables"].items():
            n = scalar(con, f"SELECT count(*) FROM {t}")
            p = scalar(con, "SELECT count(*) FROM read_parquet(?)", [str(path / meta["file"])])
            if n != meta["rows"] or p != meta["rows"]:
                raise CatalogError(
                    f"verification failed for {t}: {n} rows in DuckDB, {p} in Parquet, "
                    f"{meta['rows']} expected"
                )
    finally:
        con.close()


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())
