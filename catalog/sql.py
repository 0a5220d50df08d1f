"""Small DuckDB helpers shared by the catalog's modules: literals, scalars, rows as dicts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb


def literal(value: object) -> str:
    """A SQL literal: NULL, TRUE/FALSE, numbers as written, anything else as a quoted string (for DDL
    and VALUES lists, which cannot take bound parameters)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return repr(value) if not isinstance(value, Decimal) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Any:
    """First value of a query, with the result fully consumed (DuckDB refuses other work on a
    connection whose last result is still open)."""
    return con.execute(sql, params or []).fetchall()[0][0]


def dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed query as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
