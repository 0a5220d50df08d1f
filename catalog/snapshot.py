"""Immutable catalog snapshots: build into a temporary directory, verify, publish atomically.

Layout of a catalog home::

    <home>/snapshots/<YYYYMMDDTHHMMSSZ>-<sha8>/   catalog.duckdb, <table>.parquet, manifest.json
    <home>/latest                                  the published snapshot's directory name

A build writes `<home>/snapshots/.tmp-*`, checks it, renames it into place and only then
replaces `latest` (write + fsync + os.replace). A build killed at any moment therefore
leaves the previous snapshot published and readable. Readers open DuckDB read-only and
verify the manifest checksums; a corrupt snapshot is skipped for the newest valid one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from catalog.home import catalog_home, embedded_snapshot_dir
from catalog.records import Offering, offering_from_row

SCHEMA_VERSION = 1
TABLES = ("offerings", "providers", "offering_sources", "coverage")
EMBEDDED_ID = "embedded"


class CatalogError(Exception):
    """A catalog problem with a one-line, user-facing message."""


class SnapshotWarning(UserWarning):
    """A corrupt snapshot was skipped."""


# --------------------------------------------------------------------------- reading


@dataclass
class Snapshot:
    """An open, read-only snapshot."""

    id: str
    path: Path
    manifest: dict[str, Any] = field(repr=False)
    _con: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """Read-only connection: the snapshot's DuckDB file, or views over its Parquet files
        (the embedded snapshot ships Parquet only, to keep the package small)."""
        if self._con is None:
            db = self.path / "catalog.duckdb"
            if db.is_file():
                self._con = duckdb.connect(str(db), read_only=True)
            else:
                con = duckdb.connect()
                for t, meta in self.manifest["tables"].items():
                    con.execute(
                        f"CREATE VIEW {t} AS SELECT * FROM read_parquet({_sql_str(self.path / meta['file'])})"
                    )
                self._con = con
        return self._con

    def table(self, name: str = "offerings") -> duckdb.DuckDBPyRelation:
        """A DuckDB relation over one table (lazy; chain .filter(), .aggregate(), .df())."""
        if name not in TABLES:
            raise CatalogError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
        return self.con.table(name)

    def df(self, name: str = "offerings"):
        """The table as a pandas DataFrame (imports pandas)."""
        return self.table(name).df()

    def offerings(self) -> list[Offering]:
        cur = self.con.execute("SELECT * FROM offerings ORDER BY id")
        names = [d[0] for d in cur.description]
        return [offering_from_row(dict(zip(names, r, strict=True))) for r in cur.fetchall()]

    def get(self, offering_id: str) -> Offering | None:
        cur = self.con.execute("SELECT * FROM offerings WHERE id = ?", [offering_id])
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
        return offering_from_row(dict(zip(names, rows[0], strict=True))) if rows else None

    def parquet(self, name: str = "offerings") -> Path:
        return self.path / self.manifest["tables"][name]["file"]

    @property
    def built_at(self) -> str:
        return self.manifest.get("built_at", "")

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Any:
    """First value of a query, with the result fully consumed (DuckDB refuses other work on a
    connection whose last result is still open)."""
    return con.execute(sql, params or []).fetchall()[0][0]


def _sql_str(value: object) -> str:
    """A SQL string literal (for DDL, which cannot take bound parameters)."""
    return "'" + str(value).replace("'", "''") + "'"


def snapshots_dir(home: Path) -> Path:
    return home / "snapshots"


def list_snapshot_ids(home: Path | None = None) -> list[str]:
    """Published snapshot ids in the home, oldest first (ids sort by build time)."""
    d = snapshots_dir(catalog_home(home))
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.is_dir() and not p.name.startswith("."))


def latest_id(home: Path | None = None) -> str | None:
    pointer = catalog_home(home) / "latest"
    try:
        value = pointer.read_text().strip()
    except FileNotFoundError:
        return None
    return value or None


def verify(path: Path) -> dict[str, Any]:
    """Load and check a snapshot's manifest and checksums; raise CatalogError if anything is off."""
    try:
        manifest = json.loads((path / "manifest.json").read_text())
    except FileNotFoundError:
        raise CatalogError(f"snapshot {path.name}: manifest.json is missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CatalogError(f"snapshot {path.name}: manifest.json is not valid JSON") from None
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise CatalogError(
            f"snapshot {path.name}: schema version {manifest.get('schema_version')!r}, "
            f"this program reads {SCHEMA_VERSION}"
        )
    for name, meta in manifest.get("files", {}).items():
        f = path / name
        if not f.is_file():
            raise CatalogError(f"snapshot {path.name}: {name} is missing")
        if f.stat().st_size != meta["bytes"] or _sha256(f) != meta["sha256"]:
            raise CatalogError(
                f"snapshot {path.name}: {name} does not match its manifest checksum (corrupt or truncated)"
            )
    return manifest


def open_snapshot(
    home: str | Path | None = None,
    snapshot_id: str | None = None,
    *,
    warn: Callable[[str], None] | None = None,
) -> Snapshot:
    """Open a snapshot read-only: the given id, else the published one, else the embedded default.

    If the published snapshot fails verification, the newest valid one is opened instead and
    `warn` (default: a SnapshotWarning) is told why.
    """
    home_path = catalog_home(home)
    say = warn or (lambda msg: warnings.warn(msg, SnapshotWarning, stacklevel=3))
    if snapshot_id in (EMBEDDED_ID,):
        return _open_embedded()
    ids = list_snapshot_ids(home_path)
    if snapshot_id:
        matches = [i for i in ids if i == snapshot_id] or [i for i in ids if i.startswith(snapshot_id)]
        if len(matches) != 1:
            known = ", ".join(ids[-5:]) or "none"
            what = "is ambiguous" if matches else "not found"
            raise CatalogError(
                f"snapshot {snapshot_id!r} {what} in {home_path} (latest ids: {known}; or 'embedded')"
            )
        path = snapshots_dir(home_path) / matches[0]
        return Snapshot(matches[0], path, verify(path))
    current = latest_id(home_path)
    candidates = ([current] if current in ids else []) + [i for i in reversed(ids) if i != current]
    problems = []
    for sid in candidates:
        path = snapshots_dir(home_path) / sid
        try:
            manifest = verify(path)
        except CatalogError as e:
            problems.append(str(e))
            continue
        if problems:
            say(f"{problems[0]}; using the newest valid snapshot {sid} instead")
        return Snapshot(sid, path, manifest)
    if problems:
        say(f"{problems[0]}; no valid snapshot in {home_path}, using the embedded catalog")
    return _open_embedded()


def _open_embedded() -> Snapshot:
    path = embedded_snapshot_dir()
    if not (path / "manifest.json").is_file():
        raise CatalogError(f"no catalog: {path} has no snapshot; run `catalog build`")
    return Snapshot(EMBEDDED_ID, path, verify(path))


# --------------------------------------------------------------------------- writing


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _schema_sql() -> str:
    return (Path(__file__).parent / "schema.sql").read_text()


def _arrow_offerings(rows: list[dict[str, Any]]):
    import pyarrow as pa

    dec = lambda s: pa.decimal128(12, s)  # noqa: E731
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("provider", pa.string()),
            ("title", pa.string()),
            ("kind", pa.string()),
            ("price_usd", dec(2)),
            ("price_min_usd", dec(2)),
            ("price_max_usd", dec(2)),
            ("price_basis", pa.string()),
            ("hours", dec(4)),
            ("credits", dec(4)),
            ("credit_unit", pa.string()),
            ("areas", pa.string()),
            ("credits_general", dec(4)),
            ("credits_clinical", dec(4)),
            ("credits_administrative", dec(4)),
            ("area_source", pa.string()),
            ("area_confidence", pa.float64()),
            ("topics", pa.list_(pa.string())),
            ("approved_by", pa.list_(pa.string())),
            ("accepted_by", pa.list_(pa.string())),
            ("delivery", pa.string()),
            ("covers", pa.string()),
            ("discount_pct", pa.decimal128(6, 2)),
            ("term_months", pa.int32()),
            ("valid_from", pa.date32()),
            ("valid_until", pa.date32()),
            ("url", pa.string()),
            ("description", pa.string()),
            ("source", pa.string()),
            ("source_line", pa.int32()),
            ("retrieved_at", pa.timestamp("us")),
        ]
    )
    columns = {name: [r[name] for r in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


_COVER_SQL = {
    "provider": "provider = ?",
    "kind": "kind = ?",
    "delivery": "delivery = ?",
    "id": "id = ?",
    "approved_by": "list_contains(approved_by, ?)",
    "topic": "list_contains(topics, ?)",
}


def _fill_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        INSERT INTO providers
        SELECT provider, count(*),
               count(*) FILTER (WHERE price_usd IS NOT NULL OR price_max_usd IS NOT NULL),
               count(*) FILTER (WHERE credits IS NOT NULL AND kind NOT IN ('membership', 'bundle')),
               count(*) FILTER (WHERE areas <> '' AND kind NOT IN ('membership', 'bundle')),
               count(*) FILTER (WHERE area_source = 'inferred' AND kind NOT IN ('membership', 'bundle')),
               count(*) FILTER (WHERE kind NOT IN ('membership', 'bundle')),
               list_sort(list_distinct(list(source)))
        FROM offerings GROUP BY provider ORDER BY provider""")
    for mid, covers, discount in con.execute(
        "SELECT id, covers, coalesce(discount_pct, 100) FROM offerings WHERE covers <> '' ORDER BY id"
    ).fetchall():
        conds, params = ["kind NOT IN ('membership', 'bundle')"], []
        for part in covers.split(";"):
            key, _, value = part.partition("=")
            conds.append(_COVER_SQL[key])
            params.append(value)
        con.execute(
            f"INSERT INTO coverage SELECT ?, id, ? FROM offerings WHERE {' AND '.join(conds)}",
            [mid, discount, *params],
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
) -> Snapshot:
    """Write a new immutable snapshot of `offerings` into the home and (by default) publish it.

    Offerings (or ParquetParts from the parallel loader) are streamed in chunks through Arrow
    into DuckDB, so memory stays bounded. `finalize` may rewrite the tables once all rows are in
    (the learning step: merge duplicates, infer areas). `sources` (source name -> counts, or a
    callable evaluated after the stream is consumed) and `inputs` go into the manifest for
    refresh guards and staleness checks. If the stream raises (e.g. a validation error after the
    last file), nothing is published. Leftovers of builds killed hours ago are removed first.
    """
    step = progress or (lambda _msg: None)
    home_path = catalog_home(home)
    snaps = snapshots_dir(home_path)
    snaps.mkdir(parents=True, exist_ok=True)
    clean_stale_tmp(home_path)
    built = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=snaps))
    try:
        db = tmp / "catalog.duckdb"
        con = duckdb.connect(str(db))
        try:
            con.execute(_schema_sql())
            n = 0
            for chunk in _chunks(offerings, chunk_size):
                if isinstance(chunk, list):
                    con.register("arrow_batch", _arrow_offerings([o.to_row() for o in chunk]))
                    con.execute("INSERT INTO offerings SELECT * FROM arrow_batch")
                    con.unregister("arrow_batch")
                elif chunk.paths:  # Parquet parts already validated and converted (the parallel loader)
                    files = ", ".join(_sql_str(p) for p in chunk.paths)
                    con.execute(f"INSERT INTO offerings SELECT * FROM read_parquet([{files}])")
                n = _scalar(con, "SELECT count(*) FROM offerings")
                step(f"{n:,} offerings written")
            con.execute("""INSERT INTO offering_sources
                           SELECT id, source, source_line, url, price_usd, retrieved_at FROM offerings""")
            if finalize is not None:
                step("finalizing")
                finalize(con)
            _fill_derived_tables(con)
            counts = {t: _scalar(con, f"SELECT count(*) FROM {t}") for t in TABLES}
            digest = _scalar(con, _HASH_SQL) or hashlib.sha256(b"").hexdigest()
            step("writing Parquet")
            for t in TABLES:
                order = "id" if t == "offerings" else "ALL"
                con.execute(
                    f"COPY (SELECT * FROM {t} ORDER BY {order}) TO {_sql_str(tmp / (t + '.parquet'))} "
                    "(FORMAT parquet, COMPRESSION zstd)"
                )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        step("checksums and manifest")
        files = {}
        for f in sorted(tmp.iterdir()):
            _fsync(f)
            files[f.name] = {"bytes": f.stat().st_size, "sha256": _sha256(f)}
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
            "duckdb_version": duckdb.__version__,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        _fsync(tmp / "manifest.json")
        step("verifying")
        _verify_counts(tmp, manifest)
        final = snaps / sid
        if final.exists():  # same content built within the same second: keep the existing one
            shutil.rmtree(tmp)
        else:
            os.rename(tmp, final)
            _fsync_dir(snaps)
        if publish:
            step("publishing")
            publish_pointer(home_path, sid)
        return Snapshot(sid, final, verify(final))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


#: sha256 of the offerings in id order (each row rendered by DuckDB as text).
_HASH_SQL = "SELECT sha256(string_agg(md5(o::VARCHAR), '' ORDER BY o.id)) FROM offerings o"


def _chunks(items: Iterable[Any], size: int) -> Iterator[Any]:
    """Lists of up to `size` Offerings; Arrow tables in the stream pass through as they are."""
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
            n = _scalar(con, f"SELECT count(*) FROM {t}")
            p = _scalar(con, "SELECT count(*) FROM read_parquet(?)", [str(path / meta["file"])])
            if n != meta["rows"] or p != meta["rows"]:
                raise CatalogError(
                    f"verification failed for {t}: {n} rows in DuckDB, {p} in Parquet, "
                    f"{meta['rows']} expected"
                )
    finally:
        con.close()


def publish_pointer(home: Path, snapshot_id: str) -> None:
    """Atomically point `latest` at a complete snapshot."""
    tmp = home / f".latest.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(snapshot_id + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, home / "latest")
    _fsync_dir(home)


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    if sys.platform.startswith("win"):
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean_stale_tmp(home: str | Path | None = None, older_than: float = 6 * 3600) -> int:
    """Remove temporary directories of builds killed long ago (never a running build's, never a
    published snapshot): those not modified for `older_than` seconds."""
    import time

    d = snapshots_dir(catalog_home(home))
    n = 0
    for p in d.glob(".tmp-*") if d.is_dir() else ():
        if time.time() - p.stat().st_mtime > older_than:
            shutil.rmtree(p, ignore_errors=True)
            n += 1
    return n


def list_snapshots(home: str | Path | None = None) -> list[Snapshot]:
    """Every valid snapshot in the home, oldest first (corrupt ones are skipped)."""
    home_path = catalog_home(home)
    out = []
    for sid in list_snapshot_ids(home_path):
        path = snapshots_dir(home_path) / sid
        try:
            out.append(Snapshot(sid, path, verify(path)))
        except CatalogError:
            continue
    return out
