"""One publisher at a time: the publish lock, the `latest` pointer, and the litter of killed builds.

Publishing a snapshot (moving its finished directory into `snapshots/` and re-pointing `latest`)
happens under an exclusive lock on `<home>/.publish.lock` (the `filelock` library: flock on
POSIX, LockFileEx on Windows, released by the OS when the holder dies). A second builder waits
with a message, or fails at once with `no_wait`. Under the lock a build publishes only if it
started after whatever is published now (`<home>/.publish.json` records the sequence number:
the build's start in nanoseconds, or the moment of an explicit `catalog publish`), so a slow,
older build never replaces a newer snapshot. Readers never take the lock: they read `latest`,
which is replaced atomically.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from catalog.home import catalog_home
from catalog.snapshot import CatalogError, snapshots_dir, verify

LOCK_NAME = ".publish.lock"
OWNER_NAME = ".publish.owner"
STATE_NAME = ".publish.json"
#: Longest wait for another publisher (its publish step takes milliseconds; a stopped process may not).
LOCK_WAIT_SECONDS = 600.0


def _no_say(_msg: str) -> None:
    pass


@contextlib.contextmanager
def publish_lock(
    home: Path, *, wait: bool = True, say: Callable[[str], None] | None = None, timeout: float | None = None
) -> Iterator[None]:
    """Hold the home's publish lock; wait for it (saying so once) unless `wait` is False."""
    from filelock import FileLock, Timeout

    say = say or _no_say
    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(home / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        owner = _owner(home)
        if not wait:
            raise CatalogError(
                f"another build{owner} is publishing into {home}; try again, or drop --no-wait to wait for it"
            ) from None
        limit = LOCK_WAIT_SECONDS if timeout is None else timeout
        say(f"waiting for another build{owner} to finish publishing into {home}")
        try:
            lock.acquire(timeout=limit)
        except Timeout:
            raise CatalogError(
                f"gave up after {limit:g} s waiting for the publish lock {home / LOCK_NAME}{owner}"
            ) from None
    try:
        with contextlib.suppress(OSError):
            (home / OWNER_NAME).write_text(f"{os.getpid()}\n")
        yield
    finally:
        lock.release()


def _owner(home: Path) -> str:
    try:
        pid = int((home / OWNER_NAME).read_text().strip())
    except (OSError, ValueError):
        return ""
    return f" (pid {pid})"


def published_sequence(home: Path) -> int:
    """Sequence number of what `latest` points at now (-1 if nothing is published)."""
    current = read_pointer(home)
    if current is None:
        return -1
    try:
        state = json.loads((home / STATE_NAME).read_text())
        if state.get("snapshot") == current:
            return int(state["sequence"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        manifest = verify(snapshots_dir(home) / current)
    except CatalogError:
        return -1  # a broken pointer never blocks a good build
    if "build_started_ns" in manifest:
        return int(manifest["build_started_ns"])
    built = datetime.fromisoformat(manifest.get("built_at", "1970-01-01T00:00:00Z").replace("Z", "+00:00"))
    return int(built.timestamp() * 1e9)


def read_pointer(home: Path) -> str | None:
    """The id `latest` names, or None when it is missing, empty or not a readable file."""
    try:
        return (home / "latest").read_text().strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def place_and_publish(
    home: Path,
    tmp: Path,
    snapshot_id: str,
    sequence: int,
    *,
    publish: bool = True,
    wait: bool = True,
    say: Callable[[str], None] | None = None,
) -> tuple[Path, bool]:
    """Under the lock: move the finished `tmp` to snapshots/<id>, then re-point `latest` if this
    build is newer than what is published. Returns (snapshot path, published?)."""
    say = say or _no_say
    final = snapshots_dir(home) / snapshot_id
    with publish_lock(home, wait=wait, say=say):
        if final.exists():  # same content built within the same second: keep the existing one
            shutil.rmtree(tmp)
        else:
            os.rename(tmp, final)
            fsync_dir(final.parent)
        if not publish:
            return final, False
        current = read_pointer(home)
        if published_sequence(home) > sequence:
            say(
                f"snapshot {snapshot_id} is complete but not published: the published snapshot "
                f"{current} comes from a build that started later (use `catalog publish {snapshot_id}` "
                "to publish it anyway)"
            )
            return final, False
        write_pointer(home, snapshot_id, sequence)
    return final, True


def publish_existing(
    home: str | Path | None, snapshot_id: str, *, wait: bool = True, say: Callable[[str], None] | None = None
) -> str:
    """`catalog publish ID`: re-point `latest` at an existing valid snapshot (an id or unique prefix)."""
    from catalog.snapshot import list_snapshot_ids

    home_path = catalog_home(home)
    ids = list_snapshot_ids(home_path)
    matches = [i for i in ids if i == snapshot_id] or [i for i in ids if i.startswith(snapshot_id)]
    if len(matches) != 1:
        known = ", ".join(ids[-5:]) or "none"
        what = "is ambiguous" if matches else "not found"
        raise CatalogError(f"snapshot {snapshot_id!r} {what} in {home_path} (latest ids: {known})")
    sid = matches[0]
    verify(snapshots_dir(home_path) / sid)
    with publish_lock(home_path, wait=wait, say=say):
        write_pointer(home_path, sid, time.time_ns())
    return sid


def write_pointer(home: Path, snapshot_id: str, sequence: int) -> None:
    """Atomically point `latest` at a complete snapshot (write + fsync + os.replace) and record its
    sequence number. Call under the publish lock."""
    latest = home / "latest"
    if latest.is_dir() and not latest.is_symlink():
        raise CatalogError(f"cannot publish: {latest} is a directory (remove it; it should be a small file)")
    _atomic_write(home / f".latest.{os.getpid()}.tmp", latest, snapshot_id + "\n")
    state = {"snapshot": snapshot_id, "sequence": sequence, "pid": os.getpid()}
    _atomic_write(home / f".publish.{os.getpid()}.tmp", home / STATE_NAME, json.dumps(state) + "\n")
    fsync_dir(home)


def _atomic_write(tmp: Path, target: Path, text: str) -> None:
    try:
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def fsync_dir(path: Path) -> None:
    if sys.platform.startswith("win"):
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- litter of killed builds

#: Temporary names carry their owner's pid: `.tmp-<pid>-…` (snapshots/), `ceu-parts-<pid>-…` (system
#: temp dir), `.latest.<pid>.tmp` and `.publish.<pid>.tmp` (home).
_PID = re.compile(r"^(?:\.tmp-|ceu-parts-|\.latest\.|\.publish\.)(\d+)[-.]")
PARTS_PREFIX = "ceu-parts-"


def tmp_prefix(kind: str = ".tmp-") -> str:
    """Prefix for a temporary name owned by this process (see `clean_stale_tmp`)."""
    return f"{kind}{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid <= 0:
        return False
    if pid == os.getpid() or sys.platform.startswith("win"):
        return True  # on Windows os.kill(pid, 0) would signal the process: keep it (the age rule applies)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except OSError:
        return True  # cannot tell (e.g. Windows without the right): keep it
    return True


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


def clean_stale_tmp(home: str | Path | None = None, older_than: float = 6 * 3600) -> int:
    """Remove the temporary files of killed builds: those whose owner pid is gone (names carry it),
    and any not modified for `older_than` seconds (also when a pid was reused). Never a running
    build's files."""
    home_path = catalog_home(home)
    places = [
        (snapshots_dir(home_path), ".tmp-*"),
        (home_path, ".latest.*.tmp"),
        (home_path, ".publish.*.tmp"),
        (Path(tempfile.gettempdir()), PARTS_PREFIX + "*"),
    ]
    n = 0
    now = time.time()
    for folder, pattern in places:
        for p in folder.glob(pattern) if folder.is_dir() else ():
            m = _PID.match(p.name)
            try:
                if p.stat().st_uid != _uid():
                    continue
                stale = now - p.stat().st_mtime > older_than or (
                    m is not None and not pid_alive(int(m.group(1)))
                )
            except OSError:
                continue
            if not stale:
                continue
            try:
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
                n += 1
            except OSError as e:
                if e.errno != errno.ENOENT:  # removed meanwhile by another build
                    continue
    return n
