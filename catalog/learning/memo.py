"""Results of the learning step that depend only on shipped files and code, memoized on disk.

A catalog build reports the classifier's cross-validated model selection and the duplicate
detector's scores on the labeled pair set beside each snapshot. Both take seconds and change only
when the labels, the code that computes them or a library version change, so they are computed once
per such key and kept as JSON in the cache directory (catalog.home.cache_dir). An unreadable or
unwritable cache only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any


def file_key(paths: Iterable[str | Path]) -> str:
    """sha256 over the bytes of `paths` (a missing file counts as empty)."""
    h = hashlib.sha256()
    for p in paths:
        try:
            data = Path(p).read_bytes()
        except OSError:
            data = b""
        h.update(str(len(data)).encode() + b"\0" + data)
    return h.hexdigest()


def memo_json(kind: str, key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`compute()`, memoized as `<cache>/classifier/<kind>-<key[:16]>.json`."""
    from catalog.home import cache_dir

    path = cache_dir() / "classifier" / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value))
        os.replace(tmp, path)
    except OSError:
        pass
    return value


def cached_pair_report() -> dict[str, Any]:
    """`pairs.evaluate_pairs()` without its `errors` list, memoized by the pair set, the background
    titles, the threshold, the duplicate detector's source files and scikit-learn's version."""
    import sklearn

    from catalog import plaintext, vocab
    from catalog.learning import blocking, dedup, pairs, titles

    sources = [m.__file__ for m in (plaintext, vocab, blocking, dedup, pairs, titles)]
    data = [pairs.default_pairs_path(), files("ceu_data") / "labels" / "areas.csv"]
    key = f"{file_key([*data, *sources])}:{dedup.THRESHOLD}:{sklearn.__version__}"

    def compute() -> dict[str, Any]:
        return {k: v for k, v in pairs.evaluate_pairs().items() if k != "errors"}

    return memo_json("pairs", key, compute)
