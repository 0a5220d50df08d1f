"""Manual CSVs to Arrow tables in the `offerings` schema: the loader `catalog build`, `recommend
--offerings` and notebooks use.

Each file is read column-wise when it is well-formed (catalog.loaders.columnar and column_checks)
and row by row otherwise (manual_csv.read_rows). Either way every error of every file is collected
first and reported together, in file and line order, each row's own errors followed by its
duplicate-id error, exactly as `manual_csv.iter_manual_files` reports them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from catalog.loaders.column_checks import Converted, NotColumnar, convert_columns
from catalog.loaders.columnar import read_columns
from catalog.loaders.manual_csv import LoadError, ManualCSVError, read_rows, source_name, unique_files

#: Rows per Arrow table when a file is read row by row (bounded memory for big odd files).
ROW_CHUNK = 50_000


def convert_file(path: Path, name: str) -> Converted:
    """One file's valid offerings (an Arrow table, None once a row is bad), errors and ids."""
    source = f"manual/{path.name}"
    cols = read_columns(path)
    if cols is not None:
        try:
            return convert_columns(cols, name, source)
        except NotColumnar:
            pass
    return _by_rows(path, name)


def _by_rows(path: Path, name: str) -> Converted:
    import pyarrow as pa

    from catalog.records import arrow_offerings

    errors: list[LoadError] = []
    ids: list[str] = []
    lines: list[int] = []
    tables, chunk = [], []
    for line, oid, offering, row_errors in read_rows(path, name):
        errors.extend(row_errors)
        if oid:
            ids.append(oid)
            lines.append(line)
        if offering is not None and not errors:
            chunk.append(offering.to_row())
            if len(chunk) >= ROW_CHUNK:
                tables.append(arrow_offerings(chunk))
                chunk = []
    table = None
    if not errors:
        tables.append(arrow_offerings(chunk))
        table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    return Converted(table, errors, pa.array(ids, pa.string()), np.array(lines, np.int64))


def ordered_errors(results: list[tuple[str, Converted]]) -> list[LoadError]:
    """Every file's errors plus the duplicate-id errors across files, in (file, line) order."""
    keyed = [((f, e.line, 0), e) for f, (_name, r) in enumerate(results) for e in r.errors] + [
        ((f, e.line, 1), e) for f, e in _duplicate_ids(results)
    ]
    keyed.sort(key=lambda item: item[0])
    return [e for _key, e in keyed]


def _duplicate_ids(results: list[tuple[str, Converted]]) -> list[tuple[int, LoadError]]:
    """(file index, error) for each id defined again after its first definition (file order, line)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not results:
        return []
    ids = pa.chunked_array([r.ids for _n, r in results], pa.string())
    if len(pc.unique(ids)) == len(ids):  # (unique is twice as fast as count_distinct here)
        return []
    ids = ids.combine_chunks()
    code = ids.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    _values, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    again = np.flatnonzero(first[inverse] != np.arange(len(code)))
    file_of = np.repeat(np.arange(len(results)), [len(r.ids) for _n, r in results])
    lines = np.concatenate([r.lines for _n, r in results])
    out = []
    for p in again.tolist():
        q = int(first[inverse[p]])
        oid = ids[p].as_py()
        where = f"{results[file_of[q]][0]}:{lines[q]}"
        name = results[file_of[p]][0]
        out.append(
            (
                int(file_of[p]),
                LoadError(name, int(lines[p]), "id", f"duplicate id {oid!r} (first defined at {where})"),
            )
        )
    return out


def iter_manual_tables(paths: Iterable[Path | str], *, base: Path | None = None) -> Iterator[Any]:
    """Yield each file's valid offerings as an Arrow table while no file had an error; after the last
    file raise ManualCSVError with every error, duplicate ids across files included (a builder
    deletes what it wrote, so nothing partial is published)."""
    results: list[tuple[str, Converted]] = []
    clean = True
    named = [(path, source_name(path, base)) for path in unique_files(paths)]
    for name, converted in _converted_ahead(named):
        results.append((name, converted))
        clean = clean and not converted.errors
        if clean and converted.table is not None:
            yield converted.table
        converted.table = None
    errors = ordered_errors(results)
    if errors:
        raise ManualCSVError(errors)


def _converted_ahead(named: list[tuple[Path, str]]) -> Iterator[tuple[str, Converted]]:
    """(name, convert_file result) in order, the next file converted in a thread while the caller
    consumes this one (Arrow's reader and kernels release the GIL; at most two tables in memory)."""
    if len(named) < 2:
        yield from ((name, convert_file(path, name)) for path, name in named)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="csv-ahead") as pool:
        path, name = named[0]
        waiting = (name, pool.submit(convert_file, path, name))
        for path, name in named[1:]:
            done, waiting = waiting, (name, pool.submit(convert_file, path, name))
            yield done[0], done[1].result()
        yield waiting[0], waiting[1].result()


def load_manual_table(paths: Iterable[Path | str], *, base: Path | None = None) -> Any:
    """Every file's offerings as one Arrow table (the `offerings` schema); ManualCSVError lists all errors."""
    import pyarrow as pa

    from catalog.records import arrow_schema

    tables = list(iter_manual_tables(paths, base=base))
    return pa.concat_tables(tables) if tables else arrow_schema().empty_table()


class ManualTables:
    """`iter_manual_tables` for the builder: yields one `ArrowStream` of every file's rows, counting
    items and providers per source as they pass."""

    def __init__(self, paths: Iterable[Path | str], base: Path | None = None):
        self.paths, self.base = list(paths), base
        self.stats: dict[str, dict[str, Any]] = {}

    def __iter__(self) -> Iterator[ArrowStream]:
        yield ArrowStream(self._tables())

    def _tables(self) -> Iterator[Any]:
        for table in iter_manual_tables(self.paths, base=self.base):
            count_sources(table, self.stats)
            yield table


class ArrowStream:
    """Arrow tables as one RecordBatchReader, so that DuckDB inserts them in one statement (an INSERT
    per file is several times slower). An exception of the tables' iterator cannot cross DuckDB's scan
    with its type: it ends the stream, and `raise_pending()` re-raises it after the statement."""

    def __init__(self, tables: Iterable[Any]):
        self.tables = tables
        self.rows = 0
        self._error: BaseException | None = None

    def reader(self) -> Any:
        import pyarrow as pa

        from catalog.progress import current_reporter
        from catalog.records import arrow_schema

        report = current_reporter() or (lambda *_a: None)

        def batches() -> Iterator[Any]:
            try:
                for table in self.tables:
                    yield from table.to_batches()
                    self.rows += table.num_rows
                    report("offerings validated and written", self.rows, None)
            except BaseException as e:  # re-raised by raise_pending, outside DuckDB
                self._error = e

        return pa.RecordBatchReader.from_batches(arrow_schema(), batches())

    def raise_pending(self) -> None:
        if self._error is not None:
            raise self._error


def count_sources(table: Any, stats: dict[str, dict[str, Any]]) -> None:
    """Add `table`'s rows to `stats` (source -> items, invalid, sorted providers), as the manifest shows."""
    import pyarrow.compute as pc

    sources = pc.unique(table["source"]).to_pylist()
    for source in sources:
        rows = table if len(sources) == 1 else table.filter(pc.equal(table["source"], source))
        add_source_counts(stats, source, rows.num_rows, pc.unique(rows["provider"]).to_pylist())


def add_source_counts(
    stats: dict[str, dict[str, Any]], source: str, items: int, providers: Iterable[str]
) -> None:
    """Count `items` more rows and `providers` for `source` in `stats`."""
    s = stats.setdefault(source, {"items": 0, "invalid": 0, "providers": []})
    s["items"] += items
    s["providers"] = sorted(set(s["providers"]) | set(providers))
