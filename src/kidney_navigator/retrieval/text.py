"""Word-level helpers shared by the pack index and the user's library index."""

from __future__ import annotations

import re
from pathlib import Path

STOPWORDS = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*[a-z0-9]|[a-z0-9]")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, digits, inner hyphens and apostrophes)."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def content_terms(text: str) -> list[str]:
    """Distinct non-stopword tokens, split on hyphens/apostrophes like the FTS tokenizer, in order of appearance."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word in STOPWORDS:
            continue
        for part in re.split(r"['\-]", word):
            if part and part not in STOPWORDS and (len(part) > 1 or part.isdigit()) and part != "s":
                seen.setdefault(part, None)
    return list(seen)


def fts_phrase(term: str) -> str:
    """Quote one term for an FTS5 MATCH expression."""
    return '"' + term.replace('"', "") + '"'


_SUFFIXES = ("ational", "ization", "fulness", "ousness", "iveness", "ments", "ement", "ingly", "ations", "ation",
             "ness", "ment", "ings", "ing", "ies", "ied", "ers", "est", "ly", "ed", "es", "er", "s")


def stem(word: str) -> str:
    """A light suffix stripper: enough to make 'stopped', 'stops' and 'stopping' meet, applied on both sides."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def stems(text: str) -> frozenset[str]:
    """Stemmed content words of a text, as a set."""
    return frozenset(stem(t) for t in content_terms(text))
