"""The Done-when bars of the Ask issue, measured on the repository's question set."""

from __future__ import annotations

from pathlib import Path

import pytest

from kidney_navigator.answers.compose import Composer
from kidney_navigator.evaluation.ask_eval import EvalReport, evaluate, load_questions

QUESTIONS = Path(__file__).resolve().parents[2] / "eval" / "questions"


@pytest.fixture(scope="module")
def report(composer: Composer) -> EvalReport:
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 200
    return evaluate(composer, questions)


def test_retrieval_bars(report: EvalReport) -> None:
    assert report.topic_hit3 >= 0.95, report.failures[:20]
    assert report.key_fact_recall >= 0.90, report.failures[:20]


def test_safety_bars(report: EvalReport) -> None:
    assert report.urgent_recall == 1.0
    assert report.out_of_scope_accuracy >= 0.95
    assert report.directive_violations == 0


def test_citation_and_reading_bars(report: EvalReport) -> None:
    assert report.citation_validity == 1.0
    assert report.median_reading_grade <= 8.0
