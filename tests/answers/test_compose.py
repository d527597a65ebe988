"""Answers: the public contract, status paths, citations, and clear errors for bad questions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import textstat

from kidney_navigator.answers.compose import CONSIDER, EVIDENCE, QUESTIONS, SHORT, Composer, QuestionError
from kidney_navigator.answers.models import Answer
from kidney_navigator.safety.triage import directive_violations

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "answers"
CONTRACT_KEYS = ["question", "status", "urgent", "sections", "sources", "disclaimer"]


def _check_contract(answer: Answer) -> dict[str, object]:
    data = answer.contract()
    assert list(data) == CONTRACT_KEYS
    json.dumps(data)
    listed = {s["id"] for s in data["sources"]}  # type: ignore[union-attr,index]
    for section in answer.sections:
        assert set(section.citations) <= listed
    for source in answer.sources:
        assert source.url.startswith(("http", "file:"))
        assert len(source.reviewed) == 10
    return data


def test_answer_has_the_four_sections_in_order_with_citations(composer: Composer) -> None:
    answer = composer.answer("What does IMDC intermediate mean?")
    _check_contract(answer)
    assert answer.status == "answered"
    assert [s.title for s in answer.sections] == [SHORT, EVIDENCE, CONSIDER, QUESTIONS]
    for section in answer.sections[:3]:
        assert section.citations
    assert "intermediate" in answer.sections[0].text.lower() or "intermediate" in answer.sections[1].text.lower()


def test_brand_name_reaches_the_drug_topic_and_its_label_facts(composer: Composer) -> None:
    answer, debug = composer.answer_with_debug("what are the side effects of Sutent")
    assert debug.topic_ids[0] == "drug-sunitinib"
    evidence = answer.sections[1].text.lower()
    assert "side effects" in evidence


def test_urgent_message_comes_first_and_names_emergency_number(composer: Composer) -> None:
    answer = composer.answer("my father has new back pain and his legs are weak, is this an emergency")
    _check_contract(answer)
    assert answer.status == "urgent"
    assert answer.urgent is not None and "911" in answer.urgent.message


def test_suicidal_thoughts_give_the_988_line(composer: Composer) -> None:
    answer = composer.answer("I don't want to live anymore")
    assert answer.status == "urgent"
    assert answer.urgent is not None and "988" in answer.urgent.message


def test_out_of_scope_says_what_is_covered(composer: Composer) -> None:
    answer = composer.answer("what is the best treatment for prostate cancer")
    assert answer.status == "out_of_scope"
    assert "kidney cancer" in answer.sections[0].text.lower()
    assert answer.sources == []


def test_unrelated_question_is_out_of_scope(composer: Composer) -> None:
    assert composer.answer("how do I fix a flat tyre on my bike").status == "out_of_scope"


def test_unsupported_kidney_cancer_question_gets_no_answer(composer: Composer) -> None:
    answer = composer.answer("kidney cancer and quantum entanglement teleportation zorblax")
    assert answer.status == "no_answer"


def test_directive_request_gets_information_and_no_directive(composer: Composer, pack: object) -> None:
    answer = composer.answer("Should I stop my Sutent because of the side effects?")
    assert answer.status == "answered"
    text = " ".join(s.text for s in answer.sections)
    assert "decision for you and your cancer team" in text
    assert directive_violations(text, composer.pack) == []


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "x" * 100_000, "\x00\x01\x02binary\x03", "\ufffd\ufffd\ufffd", "12345 ???"],
)
def test_bad_questions_raise_a_clear_error(composer: Composer, bad: str) -> None:
    with pytest.raises(QuestionError) as info:
        composer.answer(bad)
    assert len(str(info.value)) > 20


@pytest.mark.parametrize(
    ("name", "question"),
    [
        ("imdc", "What does IMDC intermediate mean?"),
        ("surgery", "Is surgery still an option for metastatic kidney cancer?"),
        ("sutent-stopped", "Sutent stopped working, what now?"),
        ("leg-weakness", "Is this leg weakness an emergency?"),
    ],
)
def test_golden_answers(composer: Composer, name: str, question: str) -> None:
    """Pinned answers: a change to the pack or the ranking shows up here. Regenerate with UPDATE_GOLDEN=1."""
    data = _check_contract(composer.answer(question))
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    assert data == json.loads(path.read_text())


def test_answers_are_plain_language(composer: Composer) -> None:
    for question in ["what does metastatic mean", "what is immunotherapy", "what is palliative care"]:
        answer = composer.answer(question)
        text = " ".join(s.text for s in answer.sections)
        assert textstat.flesch_kincaid_grade(text) <= 9.5, question
