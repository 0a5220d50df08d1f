"""Duplicate detection in a large block (more rows than the all-pairs limit) still merges real duplicates."""

from __future__ import annotations

from catalog.builder import build
from catalog.learning.dedup import EXACT_BLOCK

#: The manual CSV columns the rows below fill, in order.
HEADER = (
    "id,provider,title,kind,price_usd,price_min_usd,price_max_usd,price_basis,hours,credits,credit_unit,"
    "areas,topics,approved_by,accepted_by,delivery,covers,discount_pct,term_months,valid_from,valid_until,"
    "url,description"
)


def test_large_block_merges_a_duplicate_through_rare_word_blocking(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    n = EXACT_BLOCK + 500
    lines = [HEADER]
    for i in range(n):
        lines.append(
            f"big-{i},Big Provider,Generated course number {i},course,10,,,one_time,1,1,aama_ceu,clinical,,"
            f"AAMA,AAMA,online,,,,,,https://big.example/{i},"
        )
    lines.append(
        "big-dup-a,Big Provider,Venipuncture Refresher for Medical Assistants,course,12,,,one_time,1,1,"
        "aama_ceu,clinical,,AAMA,AAMA,online,,,,,,https://big.example/dup-a,"
    )
    lines.append(
        "big-dup-b,Big Provider,Venipuncture Refresher for Medical Assistants (Online Course),course,12,,,"
        "one_time,1,1,aama_ceu,clinical,,AAMA,AAMA,online,,,,,,https://big.example/dup-b,"
    )
    (src / "big.csv").write_text("\n".join(lines) + "\n")
    with build([src], tmp_path / "home") as snap:
        ids = {r[0] for r in snap.con.execute("SELECT id FROM offerings WHERE id LIKE 'big-dup%'").fetchall()}
        total = snap.con.execute("SELECT count(*) FROM offerings").fetchone()[0]
        sources = snap.con.execute(
            "SELECT count(*) FROM offering_sources WHERE offering_id IN (SELECT id FROM "
            "offerings WHERE id LIKE 'big-dup%')"
        ).fetchone()[0]
    assert len(ids) == 1, "the two listings of one course must become one offering"
    assert total == n + 1 and sources == 2
