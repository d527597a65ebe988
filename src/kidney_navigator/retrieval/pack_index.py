"""An in-memory FTS5 index over the pack's topics, built once per process from the validated pack."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.knowledge.models import Topic
from kidney_navigator.retrieval.lexicon import Lexicon
from kidney_navigator.retrieval.search import TOKENIZER, FtsSearcher, plan_query

# Column weights for bm25(): how people phrase it and what it is called count most.
WEIGHTS = (4.0, 5.0, 3.0, 1.0)


@dataclass(frozen=True)
class TopicHit:
    topic: Topic
    bm25: float
    coverage: float


class PackIndex:
    """Ranks topics for a question; built from the pack in a few milliseconds."""

    def __init__(self, pack: Pack) -> None:
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
        self.searcher = FtsSearcher(self.conn, "topics", WEIGHTS)

    def search(self, question: str, limit: int = 5) -> list[TopicHit]:
        plan = plan_query(question, self.lexicon)
        return [
            TopicHit(self.topic_by_rowid[h.rowid], h.bm25, h.coverage)
            for h in self.searcher.search(plan, limit=limit)
        ]
