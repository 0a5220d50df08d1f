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
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from catalog.home import catalog_home, embedded_snapshot_dir
from catalog.records import Offering, offering_from_row
from catalog.sql import dicts, literal

SCHEMA_VERSION = 1
TABLES = ("offerings", "providers", "offering_sources", "coverage")
EMBEDDED_ID = "embedded"


class CatalogError(Exception):
    """A catalog problem with a one-line, user-facing message."""


class SnapshotWarning(UserWarning):
    """A corrupt snapshot was skipped."""


class EmptyBuildError(CatalogError):
    """A build found no offerings; nothing is published unless allow_empty."""


# --------------------------------------------------------------------------- reading


@dataclass
class Snapshot:
    """An open, read-only snapshot."""

    id: str
    path: Path
    manifest: dict[str, Any] = field(repr=False)
    _con: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)
    #: Set by a build: whether `latest` now points here (False: kept unpublished; None: not a build).
    published: bool | None = field(default=None, compare=False)

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
                        f"CREATE VIEW {t} AS SELECT * FROM read_parquet({literal(self.path / meta['file'])})"
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
        return [offering_from_row(r) for r in dicts(self.con.execute("SELECT * FROM offerings ORDER BY id"))]

    def get(self, offering_id: str) -> Offering | None:
        rows = dicts(self.con.execute("SELECT * FROM offerings WHERE id = ?", [offering_id]))
        return offering_from_row(rows[0]) if rows else None

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


def snapshots_dir(home: Path) -> Path:
    return home / "snapshots"


def list_snapshot_ids(home: Path | None = None) -> list[str]:
    """Published snapshot ids in the home, oldest first (ids sort by build time)."""
    d = snapshots_dir(catalog_home(home))
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.is_dir() and not p.name.startswith("."))


def latest_id(home: Path | None = None) -> str | None:
    """The id `latest` names (None when it is missing, empty or unreadable; see pointer_problem)."""
    return _read_pointer(catalog_home(home))[0]


def pointer_problem(home: Path | None = None) -> str | None:
    """Why `latest` names no usable snapshot, in plain words (None when it is fine or absent)."""
    home_path = catalog_home(home)
    value, problem = _read_pointer(home_path)
    if problem or value is None:
        return problem
    if value not in list_snapshot_ids(home_path):
        return f"{home_path / 'latest'} names snapshot {value!r}, which is not in {snapshots_dir(home_path)}"
    return None


def _read_pointer(home: Path) -> tuple[str | None, str | None]:
    pointer = home / "latest"
    try:
        value = pointer.read_text().strip()
    except FileNotFoundError:
        return None, None
    except IsADirectoryError:
        return (
            None,
            f"{pointer} is a directory, not the pointer file (remove it; `catalog publish ID` rewrites it)",
        )
    except (OSError, UnicodeDecodeError) as e:
        why = getattr(e, "strerror", None) or "not text"
        return None, f"{pointer} cannot be read ({why})"
    return (value, None) if value else (None, f"{pointer} is empty")


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
        if f.stat().st_size != meta["bytes"] or file_sha256(f) != meta["sha256"]:
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
    if (home is not None or os.environ.get("CEU_HOME")) and not home_path.is_dir():
        if snapshot_id:
            raise CatalogError(
                f"catalog home {home_path} does not exist (so has no snapshot {snapshot_id!r})"
            )
        say(f"catalog home {home_path} does not exist; using the embedded catalog")
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
    problems = [p for p in [pointer_problem(home_path)] if p]
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


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _open_embedded() -> Snapshot:
    path = embedded_snapshot_dir()
    if not (path / "manifest.json").is_file():
        raise CatalogError(f"no catalog: {path} has no snapshot; run `catalog build`")
    return Snapshot(EMBEDDED_ID, path, verify(path))


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
