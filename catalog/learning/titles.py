"""Course titles: normalized text, provider keys, the rules that keep look-alike titles apart, and
the TF-IDF similarity the duplicate detector (catalog.learning.dedup) compares them with."""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from importlib.resources import files
from pathlib import Path

from catalog.plaintext import clean_text
from catalog.vocab import BODIES

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
