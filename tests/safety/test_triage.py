"""Safety rules: red flags (in wordings not in the eval set), general questions, directives, scope."""

from __future__ import annotations

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.safety.triage import directive_violations, triage

URGENT = [
    ("my legs went numb this morning and my back is killing me", "spinal-cord-compression"),
    ("mom can't stand up by herself since yesterday", "spinal-cord-compression"),
    ("he wet himself and didn't notice, he has cancer in his spine", "spinal-cord-compression"),
    ("pooping blood on Keytruda", "immunotherapy-colitis"),
    ("watery diarrhea 7 times since breakfast, on nivolumab", "immunotherapy-colitis"),
    ("I have a crushing feeling in my chest", "chest-pain"),
    ("my wife is gasping and her lips look blue", "breathing"),
    ("he threw up what looks like coffee grounds", "bleeding"),
    ("temp is 38.6 and I am on cabozantinib", "fever"),
    ("dad is shivering and burning up", "fever"),
    ("she had a fit an hour ago", "brain-nerves"),
    ("his face is drooping on one side", "brain-nerves"),
    ("my blood pressure is 210/125 and I have a pounding headache", "blood-pressure-crisis"),
    ("the whites of his eyes have gone yellow", "liver-jaundice"),
    ("I haven't peed since last night", "kidney-urine"),
    ("my lips and tongue are swelling up after the infusion", "severe-skin-allergy"),
    ("my right calf is swollen and red", "clot"),
    ("I can't keep any water down since Monday", "vomiting-dehydration"),
    ("I keep thinking everyone would be better off without me", "suicide-self-harm"),
    ("honestly I want to die", "suicide-self-harm"),
    ("what is the point of living like this anymore", "suicide-self-harm"),
    ("gave him a double dose of morphine by accident", "overdose-poisoning"),
]


@pytest.mark.parametrize(("question", "flag"), URGENT)
def test_red_flags_fire(pack: Pack, question: str, flag: str) -> None:
    result = triage(question, pack)
    assert result.urgent
    assert flag in {f.id for f in result.red_flags}


@pytest.mark.parametrize(
    "question",
    [
        "what are the signs of spinal cord compression?",
        "can Inlyta cause diarrhea?",
        "what side effects does cabozantinib have?",
        "how is fever treated during immunotherapy?",
        "what does IMDC intermediate mean",
        "is surgery still an option for metastatic kidney cancer",
    ],
)
def test_general_information_questions_are_not_urgent(pack: Pack, question: str) -> None:
    assert not triage(question, pack).urgent


def test_crisis_flags_fire_even_in_general_form(pack: Pack) -> None:
    assert triage("is it normal to want to kill myself after a cancer diagnosis?", pack).urgent


@pytest.mark.parametrize(
    "question",
    [
        "should I stop my Sutent?",
        "what dose of cabozantinib should I take",
        "which should we choose, Opdivo and Yervoy or Keytruda and Inlyta?",
        "can I skip my infusion next week",
        "is it okay to stop Votrient for a week before my trip",
    ],
)
def test_directive_requests_are_recognised(pack: Pack, question: str) -> None:
    assert triage(question, pack).directive


@pytest.mark.parametrize(
    "question",
    [
        "what is the survival rate for stage 4 breast cancer",
        "how do I lower my PSA",
        "best diet for chronic kidney disease",
        "how long does dialysis take each week",
        "my cat has kidney failure",
    ],
)
def test_out_of_scope_rules(pack: Pack, question: str) -> None:
    assert triage(question, pack).out_of_scope is not None


@pytest.mark.parametrize(
    "question",
    [
        "my kidney cancer spread to my lung, is it lung cancer now?",
        "does kidney cancer turn into bladder cancer",
        "VHL and kidney cancer screening",
        "can Inlyta harm my kidney function",
    ],
)
def test_kidney_cancer_questions_are_in_scope(pack: Pack, question: str) -> None:
    result = triage(question, pack)
    assert result.out_of_scope is None
    assert result.in_scope_signal


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("You should stop taking sunitinib.", True),
        ("Take 50 mg each morning.", True),
        ("We recommend you switch to cabozantinib.", True),
        ("Do not stop taking a medicine without talking to your team.", False),
        ("Your team may lower the dose if side effects are hard.", False),
        ("Lower the dose if you feel sick.", True),
    ],
)
def test_directive_wording_detector(pack: Pack, text: str, bad: bool) -> None:
    assert bool(directive_violations(text, pack)) is bad
