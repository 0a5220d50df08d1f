"""The learning step of a catalog build: duplicate merging, content-area classification, enrichment.

Everything here imports scikit-learn; the recommender never imports this package.
`enrich.finalize_table` is the step the builder runs; `dedup` merges duplicates, `classifier`
infers missing content areas, `pairs` measures the duplicate detector on the labeled pairs.
"""
