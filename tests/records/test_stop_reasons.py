"""Why a drug was stopped: the words clinicians, pharmacists and patients use for progression, harm and choice."""

from __future__ import annotations

import pytest

from kidney_navigator.records.text.therapy_words import stop_reason


@pytest.mark.parametrize("text", [
    "stopped after scans showed growth", "stopped - disease worse on CT", "stopped because the cancer spread",
    "stopped because cancer got worse", "stopped, increase in size of lung nodules",
    "stopped for rising LDH and new liver lesions", "failed sunitinib", "discontinued: PD per RECIST",
])
def test_progression(text: str) -> None:
    assert stop_reason(text) == "progression"


@pytest.mark.parametrize("text", [
    "stopped for hypertension", "Inlyta was discontinued on 3/4 due to uncontrolled hypertension",
    "discontinued due to proteinuria", "stopped because of hand-foot syndrome", "stopped for elevated LFTs",
    "stopped for infusion reaction", "stopped for heart failure", "stopped for grade 3 AE",
    "stopped for G3 AST rise", "came off it because of mouth sores",
])
def test_harm(text: str) -> None:
    assert stop_reason(text) == "toxicity"


@pytest.mark.parametrize("text", [
    "stopped - patient preference", "stopped because of cost", "patient chose to stop cabozantinib",
    "stopped when she chose hospice",
])
def test_the_persons_own_reasons(text: str) -> None:
    assert stop_reason(text) == "other"


@pytest.mark.parametrize("text", [
    "axitinib lowered for hypertension",  # a dose change for a side effect is no stop
    "held for hypertension, resumed at 3 mg",  # nor is a hold that was resumed
    "pembrolizumab continues; BP 150/90",
    "metastatic recurrence in 2022; sunitinib 2022-2023",
])
def test_no_reason(text: str) -> None:
    assert stop_reason(text) is None


def test_an_organs_failure_is_harm_not_progression() -> None:
    assert stop_reason("sunitinib stopped for kidney failure") == "toxicity"
