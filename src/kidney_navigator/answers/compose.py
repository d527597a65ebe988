"""Question -> Answer: triage first, then the best-covered topic, rendered as cited plain-language sections."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kidney_navigator.answers.models import Answer, AnswerDebug, Section, SourceRef, Status, Urgent
from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.knowledge.models import Drug, Statement, Topic
from kidney_navigator.retrieval.library import Library, PassageHit
from kidney_navigator.retrieval.pack_index import PackIndex, TopicHit
from kidney_navigator.safety.triage import Triage, triage

MAX_QUESTION_CHARS = 2000
# Share of the question's meaningful words (IDF-weighted) the best topic must contain to be used.
MIN_TOPIC_COVERAGE = 0.3
MIN_PASSAGE_COVERAGE = 0.6
# Without any kidney-cancer word, most of the question (unknown words counted in full) must be pack vocabulary.
MIN_STRICT_COVERAGE = 0.5

SHORT, EVIDENCE, CONSIDER, QUESTIONS, YOUR_DOCS = (
    "Short answer",
    "What guidelines and evidence say",
    "What to consider",
    "Questions to ask your oncology team",
    "From your own documents",
)


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, too long, not text)."""


def check_question(question: str) -> str:
    """Return the cleaned question or raise QuestionError with a message a person can act on."""
    if question is None or not question.strip():
        raise QuestionError("The question is empty. Type a question, for example: What does IMDC intermediate mean?")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is {len(question):,} characters long; the limit is {MAX_QUESTION_CHARS:,}. "
            "Ask one question at a time, in a few sentences."
        )
    bad = sum(1 for ch in question if (ord(ch) < 32 and ch not in "\t\n\r") or ch == "\ufffd")
    if bad:
        raise QuestionError("The question contains control or binary characters. Please type it as plain text.")
    if not re.search(r"[^\W\d_]", question):
        raise QuestionError("The question has no words in it. Please type it as plain text.")
    return re.sub(r"\s+", " ", question).strip()


@dataclass
class Composer:
    """Holds the pack, its index and (optionally) the user's library; composes answers."""

    pack: Pack
    index: PackIndex
    library: Library | None = None

    @classmethod
    def from_pack(cls, pack: Pack, library: Library | None = None) -> Composer:
        return cls(pack=pack, index=PackIndex(pack), library=library)

    def answer(self, question: str) -> Answer:
        return self.answer_with_debug(question)[0]

    def answer_with_debug(self, question: str) -> tuple[Answer, AnswerDebug]:
        question = check_question(question)
        tri = triage(question, self.pack)
        rules = self.pack.safety
        hits = self.index.search(question)
        best = hits[0] if hits and hits[0].coverage >= MIN_TOPIC_COVERAGE else None
        if best is not None and not tri.in_scope_signal and best.strict_coverage < MIN_STRICT_COVERAGE:
            best = None  # no kidney-cancer word and most words unknown to the pack: not our subject
        passages = self.library.search(question) if self.library else []
        passages = [p for p in passages if p.coverage >= MIN_PASSAGE_COVERAGE][:2]
        debug = AnswerDebug(
            topic_ids=[h.topic.id for h in hits[:3] if h.coverage >= MIN_TOPIC_COVERAGE],
            coverage=hits[0].coverage if hits else 0.0,
            directive=tri.directive,
        )
        urgent = None
        if tri.urgent:
            messages = [f.message.strip() for f in sorted(tri.red_flags, key=lambda f: not f.crisis_line)]
            crisis_first = tri.red_flags and any(f.crisis_line for f in tri.red_flags)
            preamble = [] if crisis_first else [rules.urgent_preamble.strip()]
            urgent = Urgent(message=" ".join([*preamble, *messages]))
            status: Status = "urgent"
        elif tri.out_of_scope:
            return self._message(question, "out_of_scope", "Outside what I cover", rules.out_of_scope_message), debug
        elif best is None and not passages:
            if not tri.in_scope_signal and (not hits or hits[0].strict_coverage < MIN_STRICT_COVERAGE):
                return self._message(question, "out_of_scope", "Outside what I cover",
                                     rules.out_of_scope_message), debug
            return self._message(question, "no_answer", "No answer found", rules.no_answer_message), debug
        else:
            status = "answered"
        sections: list[Section] = []
        if best is not None:
            sections = self._topic_sections(best, tri)
        if passages:
            sections.append(_passage_section(passages))
        answer = Answer(
            question=question,
            status=status,
            urgent=urgent,
            sections=sections,
            sources=self._sources(sections, passages),
            disclaimer=rules.disclaimer.strip(),
        )
        return answer, debug

    def _message(self, question: str, status: Status, title: str, text: str) -> Answer:
        return Answer(
            question=question,
            status=status,
            sections=[Section(title=title, text=text.strip())],
            disclaimer=self.pack.safety.disclaimer.strip(),
        )

    def _topic_sections(self, hit: TopicHit, tri: Triage) -> list[Section]:
        topic = hit.topic
        short = list(topic.short_answer)
        evidence = list(topic.evidence) + _drug_statements(self._drug_for(topic))
        short_section = _section(SHORT, short)
        if tri.directive:
            short_section.text = self.pack.safety.directive_note.strip() + " " + short_section.text
        return [
            short_section,
            _section(EVIDENCE, evidence),
            _section(CONSIDER, topic.consider),
            Section(title=QUESTIONS, text=" ".join(_as_question_list(topic.questions)), citations=[]),
        ]

    def _drug_for(self, topic: Topic) -> Drug | None:
        return self.pack.drugs.get(topic.id.removeprefix("drug-")) if topic.id.startswith("drug-") else None

    def _sources(self, sections: list[Section], passages: list[PassageHit]) -> list[SourceRef]:
        refs: dict[str, SourceRef] = {}
        by_doc = {p.citation_id: p for p in passages}
        for section in sections:
            for sid in section.citations:
                if sid in refs:
                    continue
                if sid in self.pack.sources:
                    src = self.pack.sources[sid]
                    refs[sid] = SourceRef(id=sid, title=src.title, publisher=src.publisher, url=src.url,
                                          reviewed=src.accessed.isoformat())
                elif sid in by_doc:
                    p = by_doc[sid]
                    refs[sid] = SourceRef(id=sid, title=p.source_title, publisher="Your own document",
                                          url=p.url, reviewed=p.added)
        return list(refs.values())


def _section(title: str, statements: Iterable[Statement]) -> Section:
    statements = list(statements)
    cites = list(dict.fromkeys(s for st in statements for s in st.sources))
    return Section(title=title, text=" ".join(st.text for st in statements), citations=cites)


def _as_question_list(questions: list[str]) -> list[str]:
    return [q if q.rstrip().endswith("?") else q.rstrip(".") + "?" for q in questions]


def _drug_statements(drug: Drug | None) -> list[Statement]:
    """Structured drug facts rendered as cited statements (the label is the source)."""
    if drug is None:
        return []
    facts = [
        f"How it is given: {drug.route}. {drug.usual_schedule.rstrip('.')}.",
        "Common side effects include " + _join(drug.common_side_effects) + ".",
        "Side effects that need a prompt call to your team include " + _join(drug.urgent_side_effects) + ".",
    ]
    if drug.interactions:
        facts.append("Things that can interact with it include " + _join(drug.interactions) + ".")
    return [Statement(text=f, sources=list(drug.sources)) for f in facts]


def _join(items: list[str]) -> str:
    items = [i.strip().rstrip(".") for i in items if i.strip()]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _passage_section(passages: list[PassageHit]) -> Section:
    text = " ".join(f"{p.source_title}: \u201c{p.excerpt}\u201d" for p in passages)
    return Section(title=YOUR_DOCS, text=text, citations=[p.citation_id for p in passages])
