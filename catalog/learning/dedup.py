"""Cross-source duplicate detection: the same course listed by a spider and a CSV, or twice by one provider.

Candidates are blocked by provider, kind and credits (equal credits, or unknown on one side).
Within a block, normalized titles are compared by TF-IDF character n-gram cosine; the IDF is
fitted on every title in the catalog plus the labeled titles, so words every course shares
("medical assistant") weigh little. A few explicit rules keep apart titles that differ only by a
number, a level (basic/advanced), a population (pediatric/adult) or a setting (medical/dental).
Clusters grow by single linkage, but never across a do-not-merge pair or a rule conflict.
Each cluster becomes one offering that keeps every source in the provenance rows; different
prices become one offering with several offers (a price range, planned at its top).
The threshold was chosen on data/labels/duplicate_pairs.csv (see `evaluate_pairs`).
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from catalog.normalize import clean_text
from catalog.records import Offering
from catalog.vocab import BODIES, HOURS_PER_UNIT, Unit

#: Cosine at or above which two titles in one block are the same course. Chosen on the shipped
#: pair set by `choose_threshold` (highest recall with precision >= 0.95); see data/labels/README.md.
THRESHOLD = 0.74
DECISIONS = ("do_not_merge", "force_merge")
SOURCE_COLUMNS = ("offering_id", "source", "source_line", "url", "price_usd", "retrieved_at")

_FORMAT_WORDS = (
    r"online|course|ce|ceu|ceus|contact hours?|hours?|credits?|self[- ]study|webinar|recording|"
    r"article|e-learning|edition|video|on[- ]demand"
)
_NOISE_PAREN = re.compile(rf"\((?:[^)]*\b(?:{_FORMAT_WORDS})\b[^)]*)\)")
_NOISE_TAIL = re.compile(
    rf"\s[-–—:|]\s*(?:\d+(?:\.\d+)?\s*)?(?:{_FORMAT_WORDS})(?:\s+(?:{_FORMAT_WORDS}))*\s*$"
)
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
_STOP = {"the", "a", "an", "of", "for", "in", "and", "to", "with", "on", "at"}
_ABBREV = {
    "ma": "medical assistant",
    "mas": "medical assistants",
    "&": "and",
    "pt": "patient",
    "pts": "patients",
    "mgmt": "management",
    "intro": "introduction",
}
#: Word groups where two titles naming different members are different courses.
_CONTRASTS: tuple[tuple[frozenset[str], bool], ...] = (
    # (words, True = a word on one side only is already a conflict)
    (
        frozenset(
            {
                "basic",
                "beginner",
                "introductory",
                "introduction",
                "intermediate",
                "advanced",
                "essential",
                "expert",
            }
        ),
        False,
    ),
    (
        frozenset(
            {
                "pediatric",
                "adult",
                "geriatric",
                "child",
                "children",
                "infant",
                "adolescent",
                "neonatal",
                "older",
                "women",
                "men",
            }
        ),
        True,
    ),
    (frozenset({"member", "nonmember", "non", "student"}), True),
    (
        frozenset(
            {"medical", "dental", "hospital", "home", "pharmacy", "veterinary", "healthcare", "school"}
        ),
        False,
    ),
    (frozenset({"clinical", "administrative"}), False),
)
_GENERIC_PROVIDER_WORDS = {
    "academy",
    "inc",
    "llc",
    "ltd",
    "co",
    "company",
    "corp",
    "education",
    "learning",
    "ce",
    "online",
    "the",
}
_BODY_NAMES = {re.sub(r"[^a-z0-9]+", " ", name.lower()).strip(): key.lower() for key, name in BODIES.items()}


class CuratedError(ValueError):
    """A bad row in the curated duplicates file."""


# ----------------------------------------------------------------------------- normalizing


@functools.lru_cache(maxsize=1 << 18)
def normalize_title(title: str) -> str:
    """Lower-case words without format noise: '(Online Course)', ' - 1 CEU', HTML entities, accents, plurals."""
    s = re.sub(r"[\u2010-\u2015]", " - ", clean_text(title or ""))
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = s.lower().strip()
    for _ in range(2):
        s = _NOISE_PAREN.sub(" ", s)
        s = _NOISE_TAIL.sub("", s.strip())
    s = s.replace("&", " and ").replace("'s", "")
    words = []
    for w in re.split(r"[^a-z0-9.]+", s):
        w = w.strip(".")
        if not w:
            continue
        w = _ABBREV.get(w, w)
        for part in w.split():
            words.append(_singular(part))
    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "sis")):
        return word[:-1]
    return word


def provider_key(provider: str) -> str:
    """'ACE (Annals of Continuing Education)' -> 'ace'; 'American Association of Medical Assistants' -> 'aama'."""
    s = unicodedata.normalize("NFKD", provider or "").encode("ascii", "ignore").decode().lower()
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    if s in _BODY_NAMES:
        return _BODY_NAMES[s]
    words = [w for w in s.split() if w not in _GENERIC_PROVIDER_WORDS]
    return " ".join(words) or s


def conflict(title_a: str, title_b: str) -> str | None:
    """Why two (normalized) titles name different courses despite looking alike, or None."""
    wa, wb = title_a.split(), title_b.split()
    ta, tb = set(_join_compounds(wa, set(wb))), set(_join_compounds(wb, set(wa)))
    na = {w for w in ta if re.fullmatch(r"\d+(?:\.\d+)?", w) or w in _ROMAN}
    nb = {w for w in tb if re.fullmatch(r"\d+(?:\.\d+)?", w) or w in _ROMAN}
    if na and nb and na != nb:
        return f"numbers differ ({' '.join(sorted(na))} / {' '.join(sorted(nb))})"
    if bool(na) != bool(nb) and ({"part", "level", "module", "chapter", "volume", "type"} & (ta | tb)):
        return "one title is numbered, the other is not"
    for words, one_sided in _CONTRASTS:
        ca, cb = ta & words, tb & words
        if ca != cb and ((ca and cb) or one_sided):
            return f"{'/'.join(sorted(ca)) or '-'} vs {'/'.join(sorted(cb)) or '-'}"
    return _substitution(ta, tb) if _squash(title_a) != _squash(title_b) else None


def _join_compounds(words: list[str], other: set[str]) -> list[str]:
    """Join adjacent words that the other title writes as one ('health care' -> 'healthcare')."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and words[i] + words[i + 1] in other:
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


#: Two differing words at least this similar are spellings of one word (competence/competency, typos).
NEAR_WORD = 0.88


def _substitution(ta: set[str], tb: set[str]) -> str | None:
    """A word replaced by an unrelated one on both sides ('blood pressure' vs 'blood glucose').

    A word only added on one side ('... Training', a subtitle) is left to the cosine threshold.
    """
    ua, ub = sorted(ta - tb - _STOP), sorted(tb - ta - _STOP)

    def unmatched(words: list[str], others: list[str]) -> list[str]:
        return [
            w
            for w in words
            if not any(difflib.SequenceMatcher(None, w, o).ratio() >= NEAR_WORD for o in others)
        ]

    la, lb = unmatched(ua, ub), unmatched(ub, ua)
    if la and lb:
        return f"different words: {' '.join(la)} / {' '.join(lb)}"
    return None


def credit_hours(o: Offering) -> tuple[str, Decimal] | None:
    """Credits comparable across units (contact hours when convertible), or None when unknown."""
    if o.credits is None:
        return None
    if o.credit_unit in HOURS_PER_UNIT:
        return ("hours", o.credits * HOURS_PER_UNIT[o.credit_unit])
    return (o.credit_unit.value, o.credits)


def compatible(a: Offering, b: Offering) -> bool:
    """Same block: same provider and kind, and equal credits unless one side's credits are unknown."""
    if provider_key(a.provider) != provider_key(b.provider) or a.kind != b.kind:
        return False
    ca, cb = credit_hours(a), credit_hours(b)
    return ca is None or cb is None or ca == cb


# ----------------------------------------------------------------------------- similarity


class TitleSimilarity:
    """TF-IDF character n-grams over normalized titles with the spaces removed ('health care' = 'healthcare')."""

    def __init__(self, background: Iterable[str] = ()):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(3, 5), sublinear_tf=True)
        corpus = [_squash(normalize_title(t)) for t in background]
        self.vectorizer.fit(corpus or ["x"])

    def vectors(self, normalized_titles: Sequence[str]):
        return self.vectorizer.transform([_squash(t) for t in normalized_titles])

    def pair(self, title_a: str, title_b: str) -> float:
        v = self.vectors([normalize_title(title_a), normalize_title(title_b)])
        return float((v[0] @ v[1].T).toarray()[0, 0])


def _squash(normalized: str) -> str:
    return "".join(w for w in normalized.split() if w not in _STOP)


def background_titles(extra: Iterable[str] = ()) -> list[str]:
    """Titles that set the IDF: the labeled area titles plus the given (catalog) titles."""
    path = Path(str(files("ceu_data") / "labels" / "areas.csv"))
    titles = list(extra)
    if path.is_file():
        with open(path, newline="", encoding="utf-8-sig") as f:
            titles += [r["title"] for r in csv.DictReader(f)]
    return titles


# ----------------------------------------------------------------------------- curated list


@dataclass(frozen=True)
class Curated:
    """Reviewed decisions: pairs never to merge and pairs always to merge (by offering id)."""

    do_not_merge: frozenset[frozenset[str]] = frozenset()
    force_merge: tuple[tuple[str, str], ...] = ()

    def forbids(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.do_not_merge


def default_curated_path() -> Path:
    return Path(str(files("ceu_data") / "duplicates.csv"))


def load_curated(path: str | Path | None = None) -> Curated:
    """Read data/duplicates.csv: columns decision (do_not_merge|force_merge), a, b, reason."""
    p = Path(path) if path else default_curated_path()
    if not p.is_file():
        return Curated()
    dnm: set[frozenset[str]] = set()
    force: list[tuple[str, str]] = []
    with open(p, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("decision", "a", "b", "reason") if c not in (reader.fieldnames or [])]
        if missing:
            raise CuratedError(f"{p}:1: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            decision = (row["decision"] or "").strip()
            a, b = (row["a"] or "").strip(), (row["b"] or "").strip()
            if decision not in DECISIONS:
                raise CuratedError(f"{p}:{line}:decision: {decision!r} is not one of {', '.join(DECISIONS)}")
            for col, v in (("a", a), ("b", b)):
                if not v:
                    raise CuratedError(f"{p}:{line}:{col}: empty offering id")
            if a == b:
                raise CuratedError(f"{p}:{line}:b: a pair needs two different ids")
            if not (row["reason"] or "").strip():
                raise CuratedError(f"{p}:{line}:reason: say why (reviewed like code)")
            if decision == "do_not_merge":
                dnm.add(frozenset((a, b)))
            else:
                force.append((a, b))
    clash = [pair for pair in force if frozenset(pair) in dnm]
    if clash:
        raise CuratedError(f"{p}: {clash[0][0]} / {clash[0][1]} is both do_not_merge and force_merge")
    return Curated(frozenset(dnm), tuple(force))


# ----------------------------------------------------------------------------- clustering


#: Blocks up to this size are compared all-pairs; larger ones only where titles share a rare word.
EXACT_BLOCK = 2000
#: A word in at most this many titles of a large block is "rare" enough to propose a pair.
RARE_WORD_DF = 20


def candidate_pairs(
    offerings: Sequence[Offering], sim: TitleSimilarity, threshold: float
) -> list[tuple[float, int, int]]:
    """(score, i, j) for compatible pairs at or above the threshold with no rule conflict, best first.

    Blocks are (provider, kind). A block of up to EXACT_BLOCK titles is compared all-pairs; in a
    larger block (a crawled catalog of 10^5-10^6 rows) only titles sharing a word that appears in at
    most RARE_WORD_DF titles are compared, which keeps the work near-linear: duplicates share
    their distinctive words, while "course", "medical" or "assistant" propose nothing.
    """
    blocks: dict[tuple[str, str], list[int]] = {}
    for i, o in enumerate(offerings):
        blocks.setdefault((provider_key(o.provider), o.kind.value), []).append(i)
    out = []
    for idx in blocks.values():
        if len(idx) < 2:
            continue
        pairs = _all_pairs(idx) if len(idx) <= EXACT_BLOCK else _rare_word_pairs(offerings, idx)
        if not pairs:
            continue
        rows = sorted({i for pair in pairs for i in pair})
        pos = {i: k for k, i in enumerate(rows)}
        v = sim.vectors([normalize_title(offerings[i].title) for i in rows])
        for i, j in pairs:
            s = float(v[pos[i]].multiply(v[pos[j]]).sum())
            if s < threshold:
                continue
            ni, nj = normalize_title(offerings[i].title), normalize_title(offerings[j].title)
            if compatible(offerings[i], offerings[j]) and not conflict(ni, nj):
                out.append((round(s, 6), i, j))
    return sorted(out, key=lambda t: (-t[0], t[1], t[2]))


def _all_pairs(idx: list[int]) -> list[tuple[int, int]]:
    return [(idx[a], idx[b]) for a in range(len(idx)) for b in range(a + 1, len(idx))]


def _rare_word_pairs(offerings: Sequence[Offering], idx: list[int]) -> list[tuple[int, int]]:
    from sklearn.feature_extraction.text import CountVectorizer

    x = (
        CountVectorizer(binary=True, token_pattern=r"[a-z0-9]+")
        .fit_transform([offerings[i].title for i in idx])
        .tocsc()
    )
    df = x.getnnz(axis=0)
    rare = x[:, (df >= 2) & (df <= RARE_WORD_DF)].tocsr()
    shared = (rare @ rare.T).tocoo()
    return sorted({(idx[r], idx[c]) for r, c in zip(shared.row, shared.col, strict=True) if r < c})


#: At most this many catalog titles set the IDF weights (a deterministic sample of larger catalogs).
IDF_SAMPLE = 20_000


def _sample_titles(offerings: Sequence[Offering]) -> list[str]:
    step = max(1, len(offerings) // IDF_SAMPLE)
    return [o.title for o in offerings[::step]]


def cluster(
    offerings: Sequence[Offering],
    *,
    threshold: float = THRESHOLD,
    curated: Curated | None = None,
    sim: TitleSimilarity | None = None,
) -> list[list[int]]:
    """Groups of offering indexes that are one course (singletons included), in input order."""
    curated = curated or Curated()
    sim = sim or TitleSimilarity(background_titles(_sample_titles(offerings)))
    index = {o.id: i for i, o in enumerate(offerings)}
    members: dict[int, list[int]] = {i: [i] for i in range(len(offerings))}
    root = list(range(len(offerings)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    def blocked(ra: int, rb: int, forced: bool) -> bool:
        for x in members[ra]:
            for y in members[rb]:
                if curated.forbids(offerings[x].id, offerings[y].id):
                    return True
                if not forced and (
                    not compatible(offerings[x], offerings[y])
                    or conflict(normalize_title(offerings[x].title), normalize_title(offerings[y].title))
                ):
                    return True
        return False

    def union(i: int, j: int, forced: bool = False) -> None:
        ra, rb = find(i), find(j)
        if ra == rb or blocked(ra, rb, forced):
            return
        ra, rb = min(ra, rb), max(ra, rb)
        root[rb] = ra
        members[ra] += members.pop(rb)

    for a, b in curated.force_merge:
        if a in index and b in index:
            union(index[a], index[b], forced=True)
    for _score, i, j in candidate_pairs(offerings, sim, threshold):
        union(i, j)
    return [sorted(m) for _r, m in sorted(members.items())]


# ----------------------------------------------------------------------------- merging


def primary_first(o: Offering) -> tuple:
    """Primary record first: manual CSVs (reviewed by people), then the most complete, then the id."""
    filled = sum(
        v not in (None, "", (), Decimal(0))
        for v in (o.price_usd, o.credits, o.hours, o.areas, o.description, o.approved_by, o.delivery)
    )
    return (0 if o.source.startswith("manual/") else 1, -filled, o.id)


_FILL = (
    "hours",
    "credits",
    "description",
    "topics",
    "approved_by",
    "accepted_by",
    "delivery",
    "valid_from",
    "valid_until",
    "term_months",
)


def merge(group: Sequence[Offering]) -> Offering:
    """One offering for a cluster: the primary record, gaps filled from the others, every price kept as an offer."""
    if len(group) == 1:
        return group[0]
    ordered = sorted(group, key=primary_first)
    primary = ordered[0]
    changes: dict[str, Any] = {}
    for name in _FILL:
        if getattr(primary, name) in (None, "", ()):
            for o in ordered[1:]:
                if getattr(o, name) not in (None, "", ()):
                    changes[name] = getattr(o, name)
                    break
    if not primary.areas or primary.area_source != "stated":
        stated = next((o for o in ordered if o.areas and o.area_source == "stated"), None)
        if stated is not None:
            credits = changes.get("credits", primary.credits)
            areas = stated.areas if len(stated.areas) > 1 else ((stated.areas[0][0], credits),)
            changes.update(areas=areas, area_source="stated", area_confidence=None)
    exact = sorted({o.price_usd for o in group if o.price_usd is not None})
    if len(exact) == 1:
        changes.update(price_usd=exact[0], price_min_usd=None, price_max_usd=None)
    elif len(exact) > 1:
        changes.update(price_usd=None, price_min_usd=exact[0], price_max_usd=exact[-1])
    else:
        lows = [o.price_min_usd for o in group if o.price_min_usd is not None]
        highs = [o.price_max_usd for o in group if o.price_max_usd is not None]
        if lows and highs:
            changes.update(price_min_usd=min(lows), price_max_usd=max(highs))
    merged = primary.replace(**changes)
    merged.extras.update(primary.extras)
    merged.extras["merged_ids"] = [o.id for o in ordered]
    merged.extras["offers"] = [_offer(o) for o in ordered]
    return merged


def _offer(o: Offering) -> dict[str, Any]:
    return {
        "id": o.id,
        "source": o.source,
        "url": o.url,
        "price_usd": o.price_usd,
        "price_min_usd": o.price_min_usd,
        "price_max_usd": o.price_max_usd,
    }


def source_row(offering_id: str, o: Offering) -> dict[str, Any]:
    """One row of the `offering_sources` table."""
    return {
        "offering_id": offering_id,
        "source": o.source,
        "source_line": o.source_line,
        "url": o.url,
        "price_usd": o.price_usd,
        "retrieved_at": o.retrieved_at,
    }


@dataclass
class DedupResult:
    offerings: list[Offering]
    source_rows: list[dict[str, Any]]
    clusters: list[list[str]] = field(default_factory=list)  # ids of every merged group (size > 1)


def dedup(
    offerings: Sequence[Offering], *, threshold: float = THRESHOLD, curated: Curated | None = None
) -> DedupResult:
    """Merge duplicates; provenance rows list every source of every resulting offering."""
    groups = cluster(offerings, threshold=threshold, curated=curated)
    out, rows, merged = [], [], []
    for g in groups:
        members = [offerings[i] for i in g]
        one = merge(members)
        out.append(one)
        for o in sorted(members, key=primary_first):
            rows.append(source_row(one.id, o))
        if len(members) > 1:
            merged.append([o.id for o in sorted(members, key=primary_first)])
    return DedupResult(out, rows, merged)


# ----------------------------------------------------------------------------- the labeled pair set


@dataclass
class Pair:
    provider_a: str
    title_a: str
    credits_a: Decimal | None
    provider_b: str
    title_b: str
    credits_b: Decimal | None
    same: bool
    case: str = ""


def default_pairs_path() -> Path:
    return Path(str(files("ceu_data") / "labels" / "duplicate_pairs.csv"))


def load_pairs(path: str | Path | None = None) -> list[Pair]:
    p = Path(path) if path else default_pairs_path()
    out = []
    with open(p, newline="", encoding="utf-8-sig") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            if r["same"] not in ("0", "1"):
                raise ValueError(f"{p}:{line}:same: must be 0 or 1")
            out.append(
                Pair(
                    r["provider_a"],
                    r["title_a"],
                    _dec(r["credits_a"]),
                    r["provider_b"],
                    r["title_b"],
                    _dec(r["credits_b"]),
                    r["same"] == "1",
                    r.get("case") or "",
                )
            )
    return out


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text and text.strip() else None


def _pair_offerings(p: Pair) -> tuple[Offering, Offering]:
    from catalog.vocab import Kind

    def one(provider: str, title: str, credits: Decimal | None, tag: str) -> Offering:
        return Offering(
            id=tag,
            provider=provider,
            title=title,
            kind=Kind.COURSE,
            url="https://example.invalid/",
            credits=credits,
            credit_unit=Unit.CONTACT_HOUR,
        )

    return one(p.provider_a, p.title_a, p.credits_a, "a"), one(p.provider_b, p.title_b, p.credits_b, "b")


def pair_scores(pairs: Sequence[Pair], sim: TitleSimilarity | None = None) -> np.ndarray:
    """Cosine per pair, or -1 when blocking or a rule already says 'different'."""
    sim = sim or TitleSimilarity(background_titles([t for p in pairs for t in (p.title_a, p.title_b)]))
    scores = []
    for p in pairs:
        a, b = _pair_offerings(p)
        if not compatible(a, b) or conflict(normalize_title(a.title), normalize_title(b.title)):
            scores.append(-1.0)
        else:
            scores.append(sim.pair(a.title, b.title))
    return np.array(scores)


def precision_recall(scores: np.ndarray, same: np.ndarray, threshold: float) -> tuple[float, float]:
    pred = scores >= threshold
    tp = int((pred & same).sum())
    precision = tp / int(pred.sum()) if pred.any() else 1.0
    recall = tp / int(same.sum()) if same.any() else 1.0
    return precision, recall


def choose_threshold(scores: np.ndarray, same: np.ndarray, min_precision: float = 0.95) -> float:
    """The threshold (0.30-1.00, step 0.01) with the best F1 among those with precision >= min_precision;
    of equally good thresholds, the middle one (the widest margin on both sides)."""
    grid = [round(float(t), 2) for t in np.arange(0.30, 1.0001, 0.01)]
    keys = []
    for t in grid:
        p, r = precision_recall(scores, same, t)
        keys.append((p >= min_precision, round(2 * p * r / (p + r), 6) if p + r else 0.0))
    best = max(keys)
    ties = [t for t, k in zip(grid, keys, strict=True) if k == best]
    return ties[len(ties) // 2]


def evaluate_pairs(path: str | Path | None = None, threshold: float | None = None) -> dict[str, Any]:
    """Precision and recall on the labeled pair set, at the shipped threshold and at the chosen one;
    plus a split-half check (threshold chosen on even rows, measured on odd rows)."""
    pairs = load_pairs(path)
    scores = pair_scores(pairs)
    same = np.array([p.same for p in pairs])
    shipped = THRESHOLD if threshold is None else threshold
    chosen = choose_threshold(scores, same)
    p, r = precision_recall(scores, same, shipped)
    pc, rc = precision_recall(scores, same, chosen)
    even, odd = np.arange(0, len(pairs), 2), np.arange(1, len(pairs), 2)
    half_t = choose_threshold(scores[even], same[even])
    ph, rh = precision_recall(scores[odd], same[odd], half_t)
    pred = scores >= shipped
    errors = [
        {
            "title_a": pairs[i].title_a,
            "title_b": pairs[i].title_b,
            "same": bool(same[i]),
            "score": round(float(scores[i]), 3),
            "case": pairs[i].case,
        }
        for i in range(len(pairs))
        if pred[i] != same[i]
    ]
    return {
        "pairs": len(pairs),
        "duplicates": int(same.sum()),
        "threshold": shipped,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "chosen_threshold": chosen,
        "chosen_precision": round(pc, 4),
        "chosen_recall": round(rc, 4),
        "split_half": {"threshold": half_t, "precision": round(ph, 4), "recall": round(rh, 4)},
        "errors": errors,
    }


def format_pair_report(rep: dict[str, Any]) -> str:
    lines = [
        f"duplicate detection on {rep['pairs']} labeled pairs ({rep['duplicates']} duplicates):",
        f"  threshold {rep['threshold']}: precision {rep['precision']:.4f}, recall {rep['recall']:.4f}",
        f"  best threshold on this set {rep['chosen_threshold']}: precision {rep['chosen_precision']:.4f}, "
        f"recall {rep['chosen_recall']:.4f}",
        f"  split-half (chosen on even rows = {rep['split_half']['threshold']}, measured on odd rows): "
        f"precision {rep['split_half']['precision']:.4f}, recall {rep['split_half']['recall']:.4f}",
    ]
    for e in rep["errors"]:
        kind = "missed duplicate" if e["same"] else "false merge"
        lines.append(f"  {kind}: {e['title_a']!r} / {e['title_b']!r} (score {e['score']}, {e['case']})")
    return "\n".join(lines)
