"""An in-memory FTS5 index over the pack's topics, built once per process from the validated pack."""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import dataclass

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.knowledge.models import Topic
from kidney_navigator.retrieval.lexicon import Lexicon
from kidney_navigator.retrieval.search import TOKENIZER, FtsSearcher, plan_query
from kidney_navigator.retrieval.text import stems

# Column weights for bm25(): how people phrase it and what it is called count most.
WEIGHTS = (4.0, 5.0, 3.0, 1.0)
# How the final score mixes the signals (see PackIndex.search): BM25 relative to the best candidate, the
# best IDF-weighted overlap between the question and one of the topic's phrasings or its title, and coverage.
MIX_BM25, MIX_PHRASING, MIX_COVERAGE = 0.5, 2.0, 1.0
CANDIDATES = 20


@dataclass(frozen=True)
class TopicHit:
    topic: Topic
    bm25: float
    coverage: float
    strict_coverage: float = 0.0


class PackIndex:
    """Ranks topics for a question; built from the pack in a few milliseconds."""

    def __init__(self, pack: Pack, weights: tuple[float, ...] | None = None) -> None:
        self.pack = pack
        self.lexicon = Lexicon.build(pack.lexicon)
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        self.conn.execute(
            f"CREATE VIRTUAL TABLE topics USING fts5(title, phrasings, keywords, body, tokenize='{TOKENIZER}')"
        )
        self.topic_by_rowid: dict[int, Topic] = {}
        for rowid, topic in enumerate(pack.topics.values(), start=1):
            keywords = list(topic.keywords)
            drug = pack.drugs.get(topic.id.removeprefix("drug-")) if topic.id.startswith("drug-") else None
            if drug:
                keywords += [drug.generic, *drug.brands, drug.drug_class]
            body = " ".join(s.text for s in topic.statements())
            self.conn.execute(
                "INSERT INTO topics(rowid, title, phrasings, keywords, body) VALUES (?, ?, ?, ?, ?)",
                (rowid, topic.title, "\n".join(topic.phrasings), " ".join(keywords), body),
            )
            self.topic_by_rowid[rowid] = topic
        self.searcher = FtsSearcher(self.conn, "topics", weights or WEIGHTS)
        self.mix = (MIX_BM25, MIX_PHRASING, MIX_COVERAGE)
        # Question-to-phrasing similarity: stemmed word sets of each phrasing (and the title), IDF over topics.
        self.phrasing_sets: dict[int, list[frozenset[str]]] = {}
        df: Counter[str] = Counter()
        for rowid, topic in self.topic_by_rowid.items():
            sets = [stems(p) for p in [topic.title, *topic.phrasings]]
            self.phrasing_sets[rowid] = [s for s in sets if s]
            df.update(frozenset().union(*sets) | stems(" ".join(topic.keywords)))
        n = len(self.topic_by_rowid) or 1
        self.stem_idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5) / 3

    def _idf(self, word: str) -> float:
        return self.stem_idf.get(word, self.unknown_idf)

    def phrasing_similarity(self, question_stems: frozenset[str], rowid: int) -> float:
        """Best cosine-like overlap (IDF-weighted, binary) between the question and one phrasing or the title."""
        if not question_stems:
            return 0.0
        q_norm = math.sqrt(sum(self._idf(w) ** 2 for w in question_stems))
        best = 0.0
        for phrasing in self.phrasing_sets.get(rowid, []):
            shared = sum(self._idf(w) ** 2 for w in question_stems & phrasing)
            if shared:
                p_norm = math.sqrt(sum(self._idf(w) ** 2 for w in phrasing))
                best = max(best, shared / (q_norm * p_norm))
        return best

    def search(self, question: str, limit: int = 5) -> list[TopicHit]:
        """Candidates from BM25, re-ranked by BM25, phrasing similarity and coverage together."""
        plan = plan_query(question, self.lexicon)
        hits = self.searcher.search(plan, limit=CANDIDATES)
        if not hits:
            return []
        expansion = " ".join(t for unit in plan.units for t in unit.terms)
        q_stems = stems(question) | stems(expansion)
        best_bm25 = min(h.bm25 for h in hits) or -1.0
        w_bm25, w_phr, w_cov = self.mix
        scored = sorted(
            hits,
            key=lambda h: -(w_bm25 * h.bm25 / best_bm25 + w_phr * self.phrasing_similarity(q_stems, h.rowid)
                            + w_cov * h.coverage),
        )
        return [TopicHit(self.topic_by_rowid[h.rowid], h.bm25, h.coverage, h.strict_coverage) for h in scored[:limit]]
