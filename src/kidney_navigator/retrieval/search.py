"""Lexical search with SQLite FTS5 (BM25) plus a coverage score that tells whether a hit really answers.

BM25 orders the candidates; coverage (the IDF-weighted share of the question's meaningful words that the
candidate contains) says whether the best candidate is good enough to answer with, so that a question the
pack does not cover gets "no answer" instead of a stretched one.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass

from kidney_navigator.retrieval.lexicon import Lexicon
from kidney_navigator.retrieval.text import content_terms, fts_phrase

TOKENIZER = "porter unicode61 remove_diacritics 2"
UNKNOWN_WORD_WEIGHT = 1.5


@dataclass(frozen=True)
class Unit:
    """One meaningful piece of the question: a word, or a lay phrase with its clinical synonyms."""

    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class QueryPlan:
    units: tuple[Unit, ...]

    @property
    def all_terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for unit in self.units:
            for term in unit.terms:
                seen.setdefault(term, None)
        return list(seen)


@dataclass(frozen=True)
class Hit:
    rowid: int
    bm25: float  # FTS5 bm25(): more negative is better
    coverage: float  # 0..1, words no document uses count only a little
    strict_coverage: float = 0.0  # 0..1, words no document uses count in full


def plan_query(question: str, lexicon: Lexicon) -> QueryPlan:
    """Split a question into units; a lexicon match becomes one unit carrying its clinical terms."""
    lowered = question.lower().replace("\u2019", "'")
    units: list[Unit] = []
    consumed: set[str] = set()
    for pattern, clinical in lexicon.entries:
        match = pattern.search(lowered)
        if not match:
            continue
        lay_terms = content_terms(match.group(0))
        consumed.update(lay_terms)
        clinical_terms = [t for c in clinical for t in content_terms(c)]
        terms = tuple(dict.fromkeys([*lay_terms, *clinical_terms]))
        if terms:
            units.append(Unit(match.group(0), terms))
    for term in content_terms(lowered):
        if term not in consumed:
            units.append(Unit(term, (term,)))
    return QueryPlan(tuple(units))


class FtsSearcher:
    """BM25 search over one FTS5 table, with per-column weights and per-term document sets."""

    def __init__(self, conn: sqlite3.Connection, table: str, weights: tuple[float, ...], filter_sql: str = "") -> None:
        if not re.fullmatch(r"[a-z_]+", table):
            raise ValueError(f"bad table name {table!r}")
        self.conn = conn
        self.table = table
        self.weights = weights
        self.filter_sql = filter_sql
        self._docsets: dict[str, frozenset[int]] = {}

    def doc_count(self) -> int:
        row = self.conn.execute(f"SELECT count(*) FROM {self.table}").fetchone()
        return int(row[0])

    def docs_with(self, term: str) -> frozenset[int]:
        """Row ids of documents containing `term` (after stemming), cached per process."""
        cached = self._docsets.get(term)
        if cached is None:
            rows = self.conn.execute(
                f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH ?", (fts_phrase(term),)
            ).fetchall()
            cached = frozenset(int(r[0]) for r in rows)
            if len(self._docsets) < 50_000:
                self._docsets[term] = cached
        return cached

    def clear_cache(self) -> None:
        self._docsets.clear()

    def search(self, plan: QueryPlan, limit: int = 10) -> list[Hit]:
        terms = plan.all_terms
        if not terms:
            return []
        expression = " OR ".join(fts_phrase(t) for t in terms)
        weights = ", ".join(str(w) for w in self.weights)
        rows = self.conn.execute(
            f"SELECT rowid, bm25({self.table}, {weights}) AS score FROM {self.table} "
            f"WHERE {self.table} MATCH ? {self.filter_sql} ORDER BY score LIMIT ?",
            (expression, limit),
        ).fetchall()
        total = max(self.doc_count(), 1)
        unit_docs = [(self._unit_idf(u, total), [self.docs_with(t) for t in u.terms]) for u in plan.units]
        full_idf = math.log(1 + (total + 0.5) / 0.5)
        strict_weights = [idf if any(sets) else full_idf for idf, sets in unit_docs]
        denominator = sum(idf for idf, _ in unit_docs) or 1.0
        strict_denominator = sum(strict_weights) or 1.0
        hits = []
        for rowid, score in rows:
            matched = [any(rowid in s for s in sets) for _, sets in unit_docs]
            covered = sum(idf for (idf, _), m in zip(unit_docs, matched, strict=True) if m)
            strict = sum(w for w, m in zip(strict_weights, matched, strict=True) if m)
            hits.append(Hit(int(rowid), float(score), covered / denominator, strict / strict_denominator))
        return hits

    def _unit_idf(self, unit: Unit, total: int) -> float:
        # A unit is as informative as its rarest known term. A word no document uses (a typo, small talk, or a
        # subject we do not cover) counts, but only a little: enough that a question made only of such words
        # finds nothing, not so much that one stray word sinks an otherwise well-covered question.
        dfs = [len(self.docs_with(t)) for t in unit.terms]
        df = min((d for d in dfs if d > 0), default=0)
        if df == 0:
            return UNKNOWN_WORD_WEIGHT
        return math.log(1 + (total - df + 0.5) / (df + 0.5))
