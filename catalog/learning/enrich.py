"""The learning step of a catalog build: merge duplicates, then infer missing content areas.

`finalize_table(con)` runs inside `build_and_publish` (via `catalog.builder.enrichment_hook`), on
the snapshot's DuckDB file, so a million-row catalog never becomes a million Python objects.
Duplicates are merged first, so a merged course takes a provider-stated area from any of its
sources before the classifier is asked. Inferred areas are marked `area_source="inferred"` with
their confidence; a stated area is never overwritten. An inferred area with unknown credits is
stored as a single area whose credits stay unknown. The optimizer decides how much confidence it
trusts (`CredentialView` min_area_confidence, and `--stated-only` ignores inferred areas).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalog.learning.classifier import METRICS_FILE, AreaModel, evaluate, train
from catalog.learning.dedup import THRESHOLD, Curated, load_curated
from catalog.learning.labels import LabeledSet, load_labels
from catalog.learning.memo import cached_pair_report, file_key, memo_json
from catalog.progress import report as report_progress
from catalog.records import Offering, single_area_amount_sql
from catalog.vocab import Area, Kind, Unit

#: Kinds whose content area is inferred when missing: single courses and articles. Exams and
#: memberships have no area; conferences and CPR cards are left alone because a conference spans
#: several areas and the CPR rule (4 clinical points) is stated in the data, not guessed.
INFER_KINDS = frozenset({Kind.COURSE, Kind.ARTICLE, Kind.COLLEGE})


def write_artifacts(directory: str | Path, model: AreaModel | None, metrics: dict[str, Any]) -> None:
    """classifier.joblib (when a model was used) and classifier_metrics.json beside a snapshot."""
    if model is not None:
        model.save(directory, metrics)
        return
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    (d / METRICS_FILE).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")


# ----------------------------------------------------------------------------- the streaming build's hook


def _model_for(labels: LabeledSet) -> tuple[AreaModel, dict[str, Any]]:
    """The cross-validated report of the shipped labeled set (cached on disk: model selection takes
    seconds and only changes with the labels) and a model of the chosen configuration fitted on
    `labels` (the shipped labels plus the catalog's stated areas)."""
    report = cached_report(load_labels())
    return train(labels, config=report["config"]), report


def cached_report(labels: LabeledSet) -> dict[str, Any]:
    """`classifier.evaluate(labels)`, memoized in the cache directory by content and library versions."""
    import sklearn

    from catalog.learning import classifier

    key = repr((labels.titles, labels.descriptions, labels.areas, sklearn.__version__))
    return memo_json("report", f"{key}:{file_key([classifier.__file__])}", lambda: evaluate(labels))


#: At most this many stated catalog titles are added to the labeled set for training.
STATED_LABEL_CAP = 5000


def finalize_table(con) -> None:
    """`build_and_publish` hook: merge duplicates and infer areas inside the snapshot's DuckDB file,
    then write classifier.joblib and classifier_metrics.json into the snapshot directory.

    Runs after `offering_sources` was filled (one row per listing) and before the derived tables,
    so provenance follows each listing into its merged offering and coverage sees merged rows.
    """
    merged = merge_duplicates(con)
    inferred, model, report = _infer_rows(con)
    metrics: dict[str, Any] = {
        "duplicates": {
            "threshold": THRESHOLD,
            "merged_groups": merged,
            "pair_set": cached_pair_report(),
        },
        "inferred": {"count": inferred},
    }
    if report is not None:
        metrics["classifier"] = report
    write_artifacts(_database_dir(con), model, metrics)


def merge_duplicates(con, curated: Curated | None = None) -> list[list[str]]:
    """Merge every cluster of duplicates (catalog.learning.dedup) into one `offerings` row; its
    `offering_sources` rows then point at the merged id. Returns each merged group's ids, primary
    first. `curated` defaults to the shipped data/duplicates.csv."""
    from catalog.learning.dedup import cluster

    curated = load_curated() if curated is None else curated
    report_progress("choosing duplicate candidates", 0, 1)
    _select_dedup_rows(con, curated)
    report_progress("choosing duplicate candidates", 1, 1)
    light = [
        Offering(
            id=i, provider=p, title=t, kind=Kind(k), url="", credits=c, credit_unit=Unit(u) if u else None
        )
        for i, p, k, t, c, u in con.execute(
            "SELECT id, provider, kind, title, credits, credit_unit FROM offerings "
            "WHERE id IN (SELECT id FROM dedup_ids) ORDER BY id"
        ).fetchall()
    ]
    con.execute("DROP TABLE dedup_ids")
    groups = [[light[i].id for i in g] for g in cluster(light, curated=curated) if len(g) > 1]
    return _merge_groups(con, groups)


def _select_dedup_rows(con, curated) -> None:
    """Temp table `dedup_ids`: the rows worth comparing, chosen in SQL so a 10^6-row catalog never
    becomes 10^6 Python objects. Every row of a (provider, kind) block of up to EXACT_BLOCK rows; in a
    larger block only rows sharing a rare title word (numbers aside: thousands of numbered titles
    share numbers, not a course) or an identical title; plus every id the curated list names. Small
    catalogs keep every row; catalog.learning.blocking then finds the pairs among the rows kept.
    """
    import pyarrow as pa

    from catalog.learning.dedup import EXACT_BLOCK, RARE_WORD_DF
    from catalog.learning.titles import provider_key

    providers = [r[0] for r in con.execute("SELECT DISTINCT provider FROM offerings").fetchall()]
    con.register(
        "provider_keys", pa.table({"provider": providers, "pkey": [provider_key(p) for p in providers]})
    )
    curated_ids = sorted(
        {i for pair in curated.do_not_merge for i in pair} | {i for p in curated.force_merge for i in p}
    )
    con.register("curated_ids", pa.table({"id": pa.array(curated_ids, pa.string())}))
    # Blocks are counted by GROUP BY and joined back (a window would sort every row with its title).
    # Words are runs of [a-z0-9] with a letter: the regex extracts exactly those, so the numbers
    # (most tokens of numbered titles) never become rows.
    con.execute(
        """CREATE TEMP TABLE dedup_ids AS
        WITH keyed AS (SELECT o.id, k.pkey, o.kind, lower(o.title) AS t
                       FROM offerings o JOIN provider_keys k USING (provider)),
        blocks AS (SELECT pkey, kind, count(*) > $exact AS big FROM keyed GROUP BY ALL),
        dedup_rows AS (SELECT * FROM keyed JOIN blocks USING (pkey, kind)),
        tok AS (SELECT id, pkey, kind, unnest(list_distinct(regexp_extract_all(t, $word))) AS w
                FROM dedup_rows WHERE big),
        rare AS (SELECT pkey, kind, w FROM tok GROUP BY ALL HAVING count(*) BETWEEN 2 AND $df),
        same AS (SELECT pkey, kind, t FROM dedup_rows WHERE big GROUP BY ALL HAVING count(*) > 1)
        SELECT id FROM dedup_rows WHERE NOT big
        UNION SELECT tok.id FROM tok JOIN rare USING (pkey, kind, w)
        UNION SELECT id FROM dedup_rows JOIN same USING (pkey, kind, t) WHERE big
        UNION SELECT id FROM curated_ids""",
        {"exact": EXACT_BLOCK, "df": RARE_WORD_DF, "word": "[a-z0-9]*[a-z][a-z0-9]*"},
    )
    con.unregister("provider_keys")
    con.unregister("curated_ids")


def _database_dir(con) -> Path:
    path = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()[0][0]
    return Path(path).parent


def _merge_groups(con, groups: list[list[str]]) -> list[list[str]]:
    """Replace each group's rows by one merged row, in three statements for all groups; provenance
    rows point at the merged id. Returns each group's ids, primary first."""
    import pyarrow as pa

    from catalog.learning.dedup import merge, primary_first
    from catalog.records import arrow_offerings, offering_from_row
    from catalog.sql import dicts

    if not groups:
        return []
    ids = [i for g in groups for i in g]
    con.register("merge_ids", pa.table({"id": pa.array(ids, pa.string())}))
    by_id = {
        r["id"]: offering_from_row(r)
        for r in dicts(con.execute("SELECT * FROM offerings WHERE id IN (SELECT id FROM merge_ids)"))
    }
    merged, rows, old, new = [], [], [], []
    for k, group in enumerate(groups, start=1):
        members = [by_id[i] for i in group]
        one = merge(members)
        rows.append(one.to_row())
        old += group
        new += [one.id] * len(group)
        merged.append([o.id for o in sorted(members, key=primary_first)])
        report_progress("merging duplicates", k, len(groups))
    con.execute("DELETE FROM offerings WHERE id IN (SELECT id FROM merge_ids)")
    con.unregister("merge_ids")
    con.register("merged_rows", arrow_offerings(rows))
    con.execute("INSERT INTO offerings SELECT * FROM merged_rows")
    con.unregister("merged_rows")
    con.register(
        "merge_map", pa.table({"old": pa.array(old, pa.string()), "new": pa.array(new, pa.string())})
    )
    con.execute("""UPDATE offering_sources SET offering_id = m.new FROM merge_map m
                   WHERE offering_sources.offering_id = m.old""")
    con.unregister("merge_map")
    return merged


#: Offerings classified per batch: the rows to infer are streamed, never all in Python at once.
INFER_BATCH = 50_000


def _infer_rows(con) -> tuple[int, AreaModel | None, dict[str, Any] | None]:
    import pyarrow as pa

    from catalog.sql import literal

    kinds = ", ".join(literal(k.value) for k in INFER_KINDS)
    where = f"kind IN ({kinds}) AND (areas = '' OR area_source = 'inferred')"
    total = con.execute(f"SELECT count(*) FROM offerings WHERE {where}").fetchone()[0]
    if not total:
        return 0, None, None
    # Stated catalog areas join the labels; a large catalog contributes a deterministic sample,
    # so training time does not grow with the catalog.
    stated = con.execute(
        "SELECT title, description, areas FROM offerings WHERE area_source = 'stated' "
        "AND areas <> '' AND NOT contains(areas, ':') ORDER BY md5(id), id LIMIT ?",
        [STATED_LABEL_CAP],
    ).fetchall()
    labels = load_labels() + LabeledSet(
        [t for t, _, _ in stated],
        [d for _, d, _ in stated],
        [a for _, _, a in stated],
        ["catalog_stated"] * len(stated),
    )
    model, report = _model_for(labels)
    con.execute("CREATE TEMP TABLE area_guesses (id VARCHAR, area VARCHAR, conf DOUBLE)")
    reader = con.cursor()  # streams the rows to infer while `con` stores the guesses
    try:
        batches = reader.sql(f"SELECT id, title, description FROM offerings WHERE {where}").to_arrow_reader(
            INFER_BATCH
        )
        done = 0
        for batch in batches:
            areas, conf = model.predict(batch.column(1).to_pylist(), batch.column(2).to_pylist())
            con.register("batch_guesses", pa.table({"id": batch.column(0), "area": areas, "conf": conf}))
            con.execute("INSERT INTO area_guesses SELECT id, area, conf FROM batch_guesses")
            con.unregister("batch_guesses")
            done += batch.num_rows
            report_progress("inferring content areas", done, total)
    finally:
        reader.close()
    con.execute("""UPDATE offerings SET areas = g.area, area_source = 'inferred', area_confidence = g.conf
                   FROM area_guesses g WHERE offerings.id = g.id""")
    con.execute("DROP TABLE area_guesses")
    amounts = ", ".join(f"credits_{a.value} = {single_area_amount_sql(a)}" for a in Area)
    con.execute(f"UPDATE offerings SET {amounts} WHERE area_source = 'inferred' AND kind IN ({kinds})")
    return total, model, report
