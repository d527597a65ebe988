"""Evaluate Ask on the repo's question set: retrieval, key facts, safety, citations, readability, latency."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import textstat
import yaml
from pydantic import BaseModel, Field

from kidney_navigator.answers.compose import CONSIDER, EVIDENCE, SHORT, YOUR_DOCS, Composer
from kidney_navigator.answers.models import Answer
from kidney_navigator.safety.triage import directive_violations

MEDICAL_SECTIONS = {SHORT, EVIDENCE, CONSIDER, YOUR_DOCS}


class EvalQuestion(BaseModel):
    q: str
    expect: Literal["answered", "urgent", "out_of_scope", "no_answer"]
    topics: list[str] = Field(default_factory=list)
    key_facts: list[str] = Field(default_factory=list)
    directive: bool = False


def load_questions(path: Path) -> list[EvalQuestion]:
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    out: list[EvalQuestion] = []
    for f in files:
        for raw in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            out.append(EvalQuestion.model_validate(raw))
    return out


def answer_text(answer: Answer) -> str:
    return " ".join(s.text for s in answer.sections)


def reading_grade(answer: Answer) -> float:
    return float(textstat.flesch_kincaid_grade(answer_text(answer)))


def citations_valid(answer: Answer, known_sources: set[str]) -> bool:
    listed = {s.id for s in answer.sources}
    for section in answer.sections:
        if section.title in MEDICAL_SECTIONS and not section.citations:
            return False
        for cid in section.citations:
            if cid not in listed or not (cid in known_sources or cid.startswith("doc-")):
                return False
    return True


def fact_found(fact: str, text: str) -> bool:
    lowered = text.lower()
    return any(alt.strip().lower() in lowered for alt in fact.split("|") if alt.strip())


@dataclass
class EvalReport:
    n: int = 0
    topic_hit1: float = 0.0
    topic_hit3: float = 0.0
    key_fact_recall: float = 0.0
    urgent_recall: float = 0.0
    out_of_scope_accuracy: float = 0.0
    out_of_scope_recall: float = 0.0
    out_of_scope_false_alarms: int = 0
    directive_violations: int = 0
    citation_validity: float = 0.0
    median_reading_grade: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    failures: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"questions                 {self.n}",
            f"topic hit@1               {self.topic_hit1:.3f}",
            f"topic hit@3               {self.topic_hit3:.3f}",
            f"key-fact recall           {self.key_fact_recall:.3f}",
            f"urgent recall             {self.urgent_recall:.3f}",
            f"out-of-scope accuracy     {self.out_of_scope_accuracy:.3f}  (recall {self.out_of_scope_recall:.3f}, "
            f"in-scope wrongly refused {self.out_of_scope_false_alarms})",
            f"directive violations      {self.directive_violations}",
            f"citation validity         {self.citation_validity:.3f}",
            f"median reading grade      {self.median_reading_grade:.1f}",
            f"latency p50 / p95         {self.latency_p50_ms:.1f} ms / {self.latency_p95_ms:.1f} ms",
        ]


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def evaluate(composer: Composer, questions: list[EvalQuestion]) -> EvalReport:
    known = set(composer.pack.sources)
    report = EvalReport(n=len(questions))
    hit1 = hit3 = topic_n = facts_total = facts_found = urgent_n = urgent_ok = 0
    oos_correct = oos_n = oos_ok = valid = 0
    grades: list[float] = []
    latencies: list[float] = []
    for item in questions:
        start = time.perf_counter()
        answer, debug = composer.answer_with_debug(item.q)
        latencies.append((time.perf_counter() - start) * 1000)
        text = answer_text(answer)
        if item.topics and item.expect in ("answered", "urgent"):
            topic_n += 1
            got = debug.topic_ids if answer.status in ("answered", "urgent") else []
            if got[:1] and got[0] in item.topics:
                hit1 += 1
            if any(t in item.topics for t in got[:3]):
                hit3 += 1
            else:
                report.failures.append(f"topic   {item.q!r}: expected {item.topics}, got {got} ({answer.status})")
        if item.expect == "answered":
            for fact in item.key_facts:
                facts_total += 1
                if fact_found(fact, text):
                    facts_found += 1
                else:
                    report.failures.append(f"fact    {item.q!r}: missing {fact!r} (topic {debug.topic_ids[:1]})")
        if item.expect == "urgent":
            urgent_n += 1
            if answer.status == "urgent":
                urgent_ok += 1
            else:
                report.failures.append(f"urgent  {item.q!r}: got {answer.status}")
        is_oos, want_oos = answer.status == "out_of_scope", item.expect == "out_of_scope"
        oos_correct += is_oos == want_oos
        if want_oos:
            oos_n += 1
            oos_ok += is_oos
        if is_oos != want_oos:
            report.failures.append(f"scope   {item.q!r}: expected {item.expect}, got {answer.status}")
            report.out_of_scope_false_alarms += is_oos and not want_oos
        violations = directive_violations(text, composer.pack)
        if violations:
            report.directive_violations += 1
            report.failures.append(f"direct  {item.q!r}: {violations}")
        if citations_valid(answer, known):
            valid += 1
        else:
            report.failures.append(f"cite    {item.q!r}")
        if answer.status in ("answered", "urgent") and any(s.title == SHORT for s in answer.sections):
            grades.append(reading_grade(answer))
    report.topic_hit1 = hit1 / topic_n if topic_n else 0.0
    report.topic_hit3 = hit3 / topic_n if topic_n else 0.0
    report.key_fact_recall = facts_found / facts_total if facts_total else 1.0
    report.urgent_recall = urgent_ok / urgent_n if urgent_n else 1.0
    report.out_of_scope_accuracy = oos_correct / len(questions) if questions else 0.0
    report.out_of_scope_recall = oos_ok / oos_n if oos_n else 1.0
    report.citation_validity = valid / len(questions) if questions else 0.0
    report.median_reading_grade = statistics.median(grades) if grades else 0.0
    report.latency_p50_ms = percentile(latencies, 50)
    report.latency_p95_ms = percentile(latencies, 95)
    return report


