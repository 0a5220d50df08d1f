"""Where catalog snapshots live: --home, else $CEU_HOME, else the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "ceu-planner"


def catalog_home(home: str | os.PathLike | None = None) -> Path:
    if home:
        return Path(home).expanduser()
    env = os.environ.get("CEU_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The shipped data/ directory (installed as the `ceu_data` package)."""
    import ceu_data

    return Path(ceu_data.__file__).parent


def embedded_snapshot_dir() -> Path:
    return data_dir() / "snapshot"


def manual_dir() -> Path:
    return data_dir() / "manual"


def cache_dir() -> Path:
    """Derived, rebuildable data (e.g. the classifier's model selection): $CEU_CACHE_DIR or the user cache dir."""
    env = os.environ.get("CEU_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))
