"""Personal answers: facts from a real profile with their evidence, options with sources, never a directive,
and triage (urgent, out of scope) exactly as without a profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kidney_navigator.answers.compose import QUESTIONS, Composer
from kidney_navigator.answers.models import Answer
from kidney_navigator.answers.personalise import FOR_YOU, FOR_YOU_OPTIONS, personalise
from kidney_navigator.cli import app
from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.engine import build_options
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Profile
from kidney_navigator.records.load import read_record
from kidney_navigator.safety.triage import directive_violations

CASES = Path(__file__).resolve().parents[2] / "eval" / "records" / "cases"
RECORD = CASES / "06-portal-sunitinib-then-cabo" / "visit-note.txt"
CONTRACT_KEYS = ["question", "status", "urgent", "sections", "sources", "disclaimer"]


@pytest.fixture(scope="module")
def profile(pack: Pack) -> Profile:
    return build_profile(read_record(RECORD, pack).facts, pack)


def _personal(composer: Composer, profile: Profile, question: str) -> tuple[Answer, Answer]:
    plain = composer.answer(question)
    return plain, personalise(plain, profile, build_options(profile, composer.pack), composer.pack)


def test_whats_next_after_sutent_uses_the_drug_history_with_evidence(composer: Composer, profile: Profile) -> None:
    _, answer = _personal(composer, profile, "what's next after Sutent?")
    assert answer.personalised is True
    titles = [s.title for s in answer.sections]
    assert titles.index(FOR_YOU) < titles.index(FOR_YOU_OPTIONS) < titles.index(QUESTIONS)
    records = answer.sections[titles.index(FOR_YOU)].text
    assert "sunitinib (Sutent) from 2023-02 to 2023-11, stopped because the cancer grew" in records
    assert "(visit-note.txt: \u201csunitinib\u201d)" in records
    assert "cabozantinib (Cabometyx) from 2023-12" in records  # "started 2023-12-04", after the 11/20 switch
    options = answer.sections[titles.index(FOR_YOU_OPTIONS)]
    assert "Lenvatinib (Lenvima) + everolimus (Afinitor)" in options.text
    assert "Cabozantinib (Cabometyx)" in options.text.split("had them:")[1]  # already received, named as such


def test_contract_adds_personalised_last_and_plain_answers_are_unchanged(composer: Composer, profile: Profile) -> None:
    plain, answer = _personal(composer, profile, "Sutent stopped working, what now?")
    assert list(plain.contract()) == CONTRACT_KEYS
    data = answer.contract()
    assert list(data) == [*CONTRACT_KEYS, "personalised"] and data["personalised"] is True
    assert answer.sections[:3] == plain.sections[:3]  # the cited general answer stays as it was


def test_every_medical_section_cites_listed_sources(composer: Composer, profile: Profile) -> None:
    _, answer = _personal(composer, profile, "what's next after Sutent?")
    listed = {s.id for s in answer.sources}
    for section in answer.sections:
        if section.title != QUESTIONS:
            assert section.citations, section.title
        assert set(section.citations) <= listed
    record = next(s for s in answer.sources if s.publisher == "Your own records")
    assert record.title == "visit-note.txt" and record.url.startswith("file:") and len(record.reviewed) == 10
    assert record.id in answer.sections[[s.title for s in answer.sections].index(FOR_YOU)].citations


@pytest.mark.parametrize("question", ["what's next after Sutent?", "Should I stop my Sutent?",
                                      "What does IMDC intermediate mean?", "what are the side effects of cabozantinib"])
def test_no_directive_words(composer: Composer, profile: Profile, question: str) -> None:
    _, answer = _personal(composer, profile, question)
    text = " ".join(s.text for s in answer.sections)
    assert directive_violations(text, composer.pack) == []
    assert "you should" not in text.lower()


def test_urgent_question_with_a_profile_is_still_urgent_first(composer: Composer, profile: Profile) -> None:
    plain, answer = _personal(composer, profile, "my legs are weak and numb since this morning, back pain too")
    assert answer.status == "urgent" and answer.urgent is not None and "911" in answer.urgent.message
    assert answer.personalised is False
    assert answer.sections == plain.sections and answer.urgent == plain.urgent
    assert all(not s.title.startswith("For you") for s in answer.sections)


def test_out_of_scope_is_unchanged(composer: Composer, profile: Profile) -> None:
    plain, answer = _personal(composer, profile, "what is the best treatment for prostate cancer")
    assert answer.status == "out_of_scope" and answer.sections == plain.sections and answer.personalised is False


def test_general_question_gets_records_but_not_the_options_table(composer: Composer, profile: Profile) -> None:
    _, answer = _personal(composer, profile, "What does IMDC intermediate mean?")
    titles = [s.title for s in answer.sections]
    assert FOR_YOU in titles and FOR_YOU_OPTIONS not in titles


def test_cli_ask_with_profile(private_home: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["profile", str(RECORD), "--save", "dad"]).exit_code == 0
    result = runner.invoke(app, ["ask", "--profile", "dad", "--json", "what's next after Sutent?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["personalised"] is True and any(s["title"] == FOR_YOU for s in data["sections"])
    text = runner.invoke(app, ["ask", "--profile", "dad", "what's next after Sutent?"])
    assert "FOR YOU: WHAT YOUR RECORDS SHOW" in text.stdout


def test_cli_unknown_profile_fails_cleanly(private_home: Path) -> None:
    result = CliRunner().invoke(app, ["ask", "--profile", "nobody", "what now?"])
    assert result.exit_code == 1 and "no saved profile named 'nobody'" in result.output
    assert not private_home.exists()
