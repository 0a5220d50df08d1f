"""Catalog economics for notebooks and scripts: lazy DuckDB relations over a snapshot's documented tables.

Every function takes an open snapshot (`catalog.open_snapshot()`) or a list of them
(`catalog.list_snapshots()`) and returns a `duckdb.DuckDBPyRelation`; call `.df()` for pandas.
Only the tables documented in catalog/schema.sql are read (`offerings`, `coverage`, `providers`;
history reads each snapshot's `offerings` Parquet file). Prices are USD, credits stay in their own
`credit_unit`; `contact_hours` uses the stated hours or catalog.vocab.HOURS_PER_UNIT, never a guess.

    from catalog import open_snapshot
    from catalog import analytics as ca
    snap = open_snapshot()
    ca.cheapest_approved_credit(snap, "AAMA").df()
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from catalog.sql import literal
from catalog.vocab import AREAS, COVERING_KINDS, CREDIT_KINDS, HOURS_PER_UNIT

#: Bodies whose credentials the recommender knows (data/credentials/*.toml).
CREDENTIAL_BODIES: tuple[str, ...] = ("AAMA", "AMT", "NHA", "NCCT", "AMCA")

_Snapshot = Any  # catalog.snapshot.Snapshot (kept out of the import path)


def _values(rows: Sequence[tuple[Any, ...]]) -> str:
    """A SQL VALUES list of literals."""
    return "VALUES " + ", ".join("(" + ", ".join(literal(v) for v in r) + ")" for r in rows)


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(literal(str(v)) for v in sorted(values)) + ")"


_UNITS = _values([(str(u), float(h)) for u, h in HOURS_PER_UNIT.items()])

#: One row per credit-awarding offering with a known price (exact, else the middle of the published
#: range) and known credits > 0. Keeps every column of `src` and adds price, price_from_range,
#: credits_usd-per-unit, contact hours and price per contact hour.
_CREDIT_PRICES = f"""
SELECT src.*,
       CAST(coalesce(src.price_usd, (src.price_min_usd + src.price_max_usd) / 2) AS DOUBLE) AS price,
       src.price_usd IS NULL AS price_from_range,
       CAST(coalesce(src.price_usd, (src.price_min_usd + src.price_max_usd) / 2) AS DOUBLE)
           / CAST(src.credits AS DOUBLE) AS price_per_credit,
       CAST(coalesce(src.hours, src.credits * u.hours) AS DOUBLE) AS contact_hours,
       CAST(coalesce(src.price_usd, (src.price_min_usd + src.price_max_usd) / 2) AS DOUBLE)
           / nullif(CAST(coalesce(src.hours, src.credits * u.hours) AS DOUBLE), 0) AS price_per_hour
FROM {{src}} AS src LEFT JOIN ({_UNITS}) AS u(unit, hours) ON src.credit_unit = u.unit
WHERE src.kind IN {_in(CREDIT_KINDS)}
  AND coalesce(src.price_usd, src.price_min_usd) IS NOT NULL
  AND src.price_basis = 'one_time'
  AND src.credits > 0
"""


_COUNT_KEYS = {
    "provider": "provider",
    "kind": "kind",
    "delivery": "coalesce(delivery, 'unknown')",
    "area": "split_part(unnest(CASE WHEN areas = '' THEN ['unknown'] ELSE string_split(areas, ';') END), ':', 1)",
    "approved_by": "unnest(CASE WHEN len(approved_by) = 0 THEN ['none'] ELSE approved_by END)",
}


def counts_by(snap: _Snapshot, key: str, *, credit_kinds_only: bool = False) -> duckdb.DuckDBPyRelation:
    """Offerings per provider, kind, delivery, content area or approving body (`key`), most first.
    An offering split over areas or approved by several bodies counts once under each; 'unknown' /
    'none' collect offerings without that fact."""
    if key not in _COUNT_KEYS:
        raise ValueError(f"key must be one of {', '.join(_COUNT_KEYS)}, not {key!r}")
    where = f"WHERE kind IN {_in(CREDIT_KINDS)}" if credit_kinds_only else ""
    return snap.con.sql(f"""
        SELECT {key}, count(*) AS offerings FROM (SELECT {_COUNT_KEYS[key]} AS {key} FROM offerings {where})
        GROUP BY ALL ORDER BY offerings DESC, {key}""")


def credit_prices(snap: _Snapshot) -> duckdb.DuckDBPyRelation:
    """Credit-awarding, one-time-priced offerings with known credits: price per credit and per contact hour."""
    return snap.con.sql(_CREDIT_PRICES.format(src="offerings"))


def credit_prices_by_area(snap: _Snapshot) -> duckdb.DuckDBPyRelation:
    """`credit_prices` in long form: one row per (offering, area) with credits there (`area_credits`);
    area 'unknown' (all its credits) when the offering states no area split."""
    cols = (
        "id, provider, title, kind, credit_unit, approved_by, accepted_by, area_source, price, "
        "price_from_range, price_per_credit, price_per_hour, url"
    )
    parts = [
        f"SELECT {cols}, '{a}' AS area, CAST(credits_{a} AS DOUBLE) AS area_credits FROM p "
        f"WHERE credits_{a} > 0"
        for a in AREAS
    ]
    known = " + ".join(f"coalesce(credits_{a}, 0)" for a in AREAS)
    parts.append(f"SELECT {cols}, 'unknown', CAST(credits AS DOUBLE) FROM p WHERE {known} <= 0")
    return snap.con.sql(f"WITH p AS ({_CREDIT_PRICES.format(src='offerings')}) " + " UNION ALL ".join(parts))


def price_per_credit_summary(snap: _Snapshot, by: str = "provider") -> duckdb.DuckDBPyRelation:
    """n, min, median and max price per credit grouped by `by` ('provider', 'area' or 'kind') and unit."""
    if by not in ("provider", "area", "kind"):
        raise ValueError(f"by must be provider, area or kind, not {by!r}")
    rel = credit_prices_by_area(snap) if by == "area" else credit_prices(snap)
    return rel.aggregate(
        f"{by}, credit_unit, count(*) AS n, min(price_per_credit) AS min_usd, "
        "median(price_per_credit) AS median_usd, max(price_per_credit) AS max_usd",
        f"{by}, credit_unit",
    ).order(f"{by}, credit_unit")


def cheapest_approved_credit(snap: _Snapshot, body: str = "AAMA") -> duckdb.DuckDBPyRelation:
    """For each content area (then 'unknown'), the offering approved by `body` with the lowest price per
    credit; NULL columns where the catalog has no priced, credit-known approved offering (a gap)."""
    order = _values([(a, i) for i, a in enumerate((*AREAS, "unknown"))])
    return snap.con.sql(f"""
        WITH p AS ({credit_prices_by_area(snap).sql_query()}),
        best AS (SELECT * FROM p WHERE list_contains(approved_by, {literal(body)})
                 QUALIFY row_number() OVER (PARTITION BY area ORDER BY price_per_credit, price, id) = 1)
        SELECT a.area, best.id, best.provider, best.title, best.credit_unit, best.price, best.price_from_range,
               best.area_credits, best.price_per_credit, best.url
        FROM ({order}) AS a(area, pos) LEFT JOIN best ON best.area = a.area
        ORDER BY a.pos""")


def membership_break_even(snap: _Snapshot) -> duckdb.DuckDBPyRelation:
    """Per membership or bundle: how many covered courses, bought singly, it takes to pay for itself.

    `break_even_best` buys the biggest savings first, `break_even_worst` the smallest, and
    `break_even_median` assumes median-priced courses; NULL with a `note` when it cannot be told
    (no published membership price, no single prices for covered courses, or it never pays off).
    Range-priced courses count at the middle of their range (`priced_from_range`).
    """
    return snap.con.sql(f"""
        WITH m AS (
            SELECT id, provider, title, kind, price_basis, term_months, CAST(price_usd AS DOUBLE) AS price, url
            FROM offerings WHERE kind IN {_in(COVERING_KINDS)}),
        c AS (
            SELECT cv.membership_id, o.id,
                   CAST(coalesce(o.price_usd, (o.price_min_usd + o.price_max_usd) / 2) AS DOUBLE)
                       * CAST(cv.discount_pct AS DOUBLE) / 100 AS saving,
                   CAST(cv.discount_pct AS DOUBLE) AS discount,
                   o.price_usd IS NULL AND o.price_min_usd IS NOT NULL AS from_range
            FROM coverage cv JOIN offerings o ON o.id = cv.offering_id),
        s AS (
            SELECT membership_id, saving, from_range,
                   sum(saving) OVER (PARTITION BY membership_id ORDER BY saving DESC, id ROWS UNBOUNDED PRECEDING) AS up_best,
                   row_number() OVER (PARTITION BY membership_id ORDER BY saving DESC, id) AS n_best,
                   sum(saving) OVER (PARTITION BY membership_id ORDER BY saving, id ROWS UNBOUNDED PRECEDING) AS up_worst,
                   row_number() OVER (PARTITION BY membership_id ORDER BY saving, id) AS n_worst
            FROM c WHERE saving > 0),
        agg AS (
            SELECT m.id,
                   (SELECT count(*) FROM c WHERE c.membership_id = m.id) AS covered,
                   (SELECT max(c.discount) FROM c WHERE c.membership_id = m.id) AS max_discount,
                   count(s.saving) AS covered_priced,
                   count(s.saving) FILTER (WHERE s.from_range) AS priced_from_range,
                   median(s.saving) AS median_saving,
                   coalesce(sum(s.saving), 0) AS savings_if_all_bought,
                   min(s.n_best) FILTER (WHERE s.up_best >= m.price) AS break_even_best,
                   min(s.n_worst) FILTER (WHERE s.up_worst >= m.price) AS break_even_worst
            FROM m LEFT JOIN s ON s.membership_id = m.id
            GROUP BY m.id, m.price)
        SELECT m.id, m.provider, m.title, m.kind, m.price, m.price_basis, m.term_months, agg.covered,
               agg.covered_priced, agg.priced_from_range, agg.median_saving, agg.savings_if_all_bought,
               CASE WHEN m.price = 0 THEN 0 ELSE agg.break_even_best END AS break_even_best,
               CASE WHEN m.price = 0 THEN 0 ELSE agg.break_even_worst END AS break_even_worst,
               CASE WHEN m.price = 0 THEN 0
                    WHEN agg.median_saving > 0 AND agg.break_even_best IS NOT NULL
                    THEN CAST(ceil(m.price / agg.median_saving) AS BIGINT) END AS break_even_median,
               CASE WHEN m.price IS NULL THEN 'membership price not published'
                    WHEN agg.covered = 0 THEN 'covers no offering in the catalog'
                    WHEN m.price = 0 THEN 'free: pays for itself at once'
                    WHEN agg.max_discount <= 0
                    THEN 'gives no discount on the offerings it covers: never pays for itself in course fees'
                    WHEN agg.covered_priced = 0 THEN 'no covered offering has a published single price: cannot tell'
                    WHEN agg.break_even_best IS NULL
                    THEN printf('never pays for itself: buying every priced covered offering saves only $%.2f',
                                agg.savings_if_all_bought)
                    ELSE printf('pays for itself after %d to %d courses', agg.break_even_best, agg.break_even_worst)
               END AS note,
               m.url
        FROM m JOIN agg ON agg.id = m.id
        ORDER BY m.provider, m.id""")


def coverage_gaps(snap: _Snapshot, bodies: Sequence[str] = CREDENTIAL_BODIES) -> duckdb.DuckDBPyRelation:
    """Per approving body x content area: offerings tagged, and how many the planner can use
    (`plannable`: price, credits and that area known). Every pair is listed, zeros included."""
    grid = _values([(b, a, i, j) for i, b in enumerate(bodies) for j, a in enumerate(AREAS)])
    return snap.con.sql(f"""
        WITH o AS (
            SELECT id, unnest(approved_by) AS body, credits, price_usd, price_min_usd,
                   credits_general, credits_clinical, credits_administrative, areas
            FROM offerings WHERE kind IN {_in(CREDIT_KINDS)})
        SELECT g.body, g.area,
               count(o.id) FILTER (WHERE o.areas LIKE '%' || g.area || '%') AS tagged,
               count(o.id) FILTER (WHERE o.areas LIKE '%' || g.area || '%' AND o.credits IS NOT NULL) AS with_credits,
               count(o.id) FILTER (WHERE o.areas LIKE '%' || g.area || '%'
                                   AND coalesce(o.price_usd, o.price_min_usd) IS NOT NULL) AS with_price,
               count(o.id) FILTER (WHERE coalesce(o.price_usd, o.price_min_usd) IS NOT NULL AND CASE g.area
                   WHEN 'general' THEN o.credits_general WHEN 'clinical' THEN o.credits_clinical
                   ELSE o.credits_administrative END > 0) AS plannable
        FROM ({grid}) AS g(body, area, bi, ai) LEFT JOIN o ON o.body = g.body
        GROUP BY g.body, g.area, g.bi, g.ai
        ORDER BY g.bi, g.ai""")


def completeness(snap: _Snapshot) -> duckdb.DuckDBPyRelation:
    """The `providers` table with the share of credit-awarding offerings whose price, credits, area are known."""
    return (
        snap.table("providers")
        .project(
            "provider, offerings, credit_kinds, with_price, with_credits, with_area, "
            "CASE WHEN credit_kinds > 0 THEN with_credits / credit_kinds END AS share_credits_known, "
            "CASE WHEN credit_kinds > 0 THEN with_area / credit_kinds END AS share_area_known"
        )
        .order("provider")
    )


# --------------------------------------------------------------------------- history


def history_snapshots(home: Any = None) -> list[_Snapshot]:
    """Every valid snapshot in the home, oldest first; the one readers use when the home has none."""
    from catalog.snapshot import list_snapshots, open_snapshot

    return list_snapshots(home) or [open_snapshot(home)]


def history(
    snapshots: Sequence[_Snapshot], con: duckdb.DuckDBPyConnection | None = None
) -> duckdb.DuckDBPyRelation:
    """Every snapshot's offerings in one relation (read from their Parquet files), tagged with
    `seq` (0 = oldest), `snapshot_id` and `built_at` (TIMESTAMP, UTC)."""
    if not snapshots:
        raise ValueError("no snapshots")
    con = con or duckdb.connect()
    files = [str(s.parquet("offerings")) for s in snapshots]
    meta = _values(
        [
            (str(s.parquet("offerings")), i, s.id, s.built_at.rstrip("Z") or "1970-01-01")
            for i, s in enumerate(snapshots)
        ]
    )
    return con.sql(f"""
        SELECT m.seq, m.snapshot_id, CAST(m.built_at AS TIMESTAMP) AS built_at, o.* EXCLUDE (filename)
        FROM read_parquet([{", ".join(map(literal, files))}], filename = true, union_by_name = true) AS o
        JOIN ({meta}) AS m(file, seq, snapshot_id, built_at) ON m.file = o.filename""")


def history_changes(snapshots: Sequence[_Snapshot]) -> duckdb.DuckDBPyRelation:
    """Offerings added, removed and repriced between each snapshot and the one before it.

    One row per change: seq, snapshot_id, built_at, previous_id, change ('added'|'removed'|'repriced'),
    id, provider, title, old_price, new_price (exact price, else the range middle; USD).
    """
    h = history(snapshots)
    return h.query(
        "h",
        """
        WITH p AS (
            SELECT seq, id, provider, title,
                   CAST(coalesce(price_usd, (price_min_usd + price_max_usd) / 2) AS DOUBLE) AS price,
                   price_usd, price_min_usd, price_max_usd FROM h),
        s AS (SELECT DISTINCT seq, snapshot_id, built_at FROM h),
        pairs AS (SELECT cur.seq, cur.snapshot_id, cur.built_at, prev.snapshot_id AS previous_id,
                         prev.seq AS prev_seq
                  FROM s cur JOIN s prev ON prev.seq = cur.seq - 1),
        cur AS (SELECT pairs.seq AS pair, p.* EXCLUDE (seq) FROM pairs JOIN p ON p.seq = pairs.seq),
        old AS (SELECT pairs.seq AS pair, p.* EXCLUDE (seq) FROM pairs JOIN p ON p.seq = pairs.prev_seq),
        d AS (SELECT coalesce(n.pair, o.pair) AS pair,
                     CASE WHEN o.id IS NULL THEN 'added' WHEN n.id IS NULL THEN 'removed' ELSE 'repriced' END AS change,
                     coalesce(n.id, o.id) AS id, coalesce(n.provider, o.provider) AS provider,
                     coalesce(n.title, o.title) AS title, o.price AS old_price, n.price AS new_price
              FROM cur n FULL JOIN old o ON n.pair = o.pair AND n.id = o.id
              WHERE o.id IS NULL OR n.id IS NULL
                 OR (o.price_usd, o.price_min_usd, o.price_max_usd)
                    IS DISTINCT FROM (n.price_usd, n.price_min_usd, n.price_max_usd))
        SELECT pairs.seq, pairs.snapshot_id, pairs.built_at, pairs.previous_id, d.* EXCLUDE (pair)
        FROM d JOIN pairs ON pairs.seq = d.pair
        ORDER BY pairs.seq, d.change, d.id""",
    )


def price_per_credit_history(snapshots: Sequence[_Snapshot]) -> duckdb.DuckDBPyRelation:
    """Median price per credit per provider (and credit unit) in each snapshot: seq, snapshot_id,
    built_at, provider, credit_unit, n, median_usd."""
    h = history(snapshots)
    return h.query(
        "h",
        f"""
        SELECT seq, snapshot_id, built_at, provider, credit_unit, count(*) AS n,
               median(price_per_credit) AS median_usd
        FROM ({_CREDIT_PRICES.format(src="h")})
        GROUP BY ALL ORDER BY seq, provider, credit_unit""",
    )
