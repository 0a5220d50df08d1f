"""Write faults (full disk, read-only or forbidden target) as one-line CatalogErrors naming the path.

`with disk_errors(path):` around any writing step turns OSError (errno ENOSPC, EDQUOT, EROFS,
EACCES) and DuckDB's I/O and fatal errors that say the same into "no space left on device while
writing PATH" and the like. The caller removes its temporary files; nothing partial is published.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path

from catalog.snapshot import CatalogError

_WORDS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}
_DUCKDB_WORDS = (
    "No space left on device",
    "Disk quota exceeded",
    "Read-only file system",
    "Permission denied",
)


def describe(exc: BaseException) -> str | None:
    """'no space left on device' (etc.) if `exc` is a write fault, else None."""
    if isinstance(exc, OSError) and exc.errno in _WORDS:
        return _WORDS[exc.errno]
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        return None
    if isinstance(exc, duckdb.Error):
        text = str(exc)
        for words in _DUCKDB_WORDS:
            if words.lower() in text.lower():
                return words.lower()
    return None


def raise_write_fault(exc: BaseException, path: Path | str, outcome: str = "nothing was published") -> None:
    """Raise CatalogError naming `path` (or the file in the error) if `exc` is a write fault;
    otherwise return, so the caller re-raises `exc` as it is."""
    words = None if isinstance(exc, CatalogError) else describe(exc)
    if words is not None:
        where = getattr(exc, "filename", None) or path
        raise CatalogError(f"{words} while writing {where}; {outcome}") from None


@contextlib.contextmanager
def disk_errors(path: Path | str, outcome: str = "nothing was published") -> Iterator[None]:
    """Re-raise write faults inside the block as CatalogError naming `path` (or the file in the
    error) and `outcome` (what the caller guarantees after cleaning up)."""
    try:
        yield
    except Exception as e:
        raise_write_fault(e, path, outcome)
        raise
