"""Treatments as notes write them: what reached the patient, what is still waiting, and how a bare stop is explained."""

from __future__ import annotations

import datetime as dt

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource


def _therapies(text: str, pack: Pack) -> dict[str, object]:
    src = TextSource("n.txt", "Metastatic clear cell renal cell carcinoma.\n" + text + "\n", None, dt.date(2026, 1, 10))
    return {f.value["drug"]: f.value["stop_reason"] for f in extract(src, pack, about_kidney_cancer=True)
            if f.field == "therapies" and isinstance(f.value, dict)}


@pytest.mark.parametrize("text", [
    "Prior auth submitted for Cabometyx; pending.",
    "Will switch to everolimus if progression on next scan.",
    "Discussed cabozantinib vs lenvatinib/everolimus; patient prefers cabozantinib, Rx sent today.",
    "Rx for Inlyta sent to specialty pharmacy; first fill expected 1/15.",
    "Sunitinib was never started because of insurance.",
])
def test_not_yet_received(text: str, pack: Pack) -> None:
    assert _therapies(text, pack) == {}


def test_a_bare_stop_takes_the_harm_its_drug_sentence_names(pack: Pack) -> None:
    text = "Received 1 dose of pembrolizumab before hospitalization for pneumonitis; permanently discontinued."
    assert _therapies(text, pack) == {"pembrolizumab": "toxicity"}


@pytest.mark.parametrize(("text", "expected"), [
    ("He is tolerating Lenvima/Keytruda well, C8 today.", {"lenvatinib": None, "pembrolizumab": None}),
    ("Patient refused ipilimumab/nivolumab and opted for pembrolizumab/axitinib, which started 09/12/2025.",
     {"pembrolizumab": None, "axitinib": None}),
    ("CURRENT MEDS: none for cancer. Previously on Votrient (stopped 2023 for liver toxicity).",
     {"pazopanib": "toxicity"}),
])
def test_received(text: str, expected: dict[str, object], pack: Pack) -> None:
    assert _therapies(text, pack) == expected


def test_a_drug_replaced_by_another_takes_the_reason_written_after_it(pack: Pack) -> None:
    text = "Everolimus discontinued in favor of cabozantinib after CT showed progression (09/2024)."
    assert _therapies(text, pack) == {"everolimus": "progression", "cabozantinib": None}


def test_a_note_in_a_later_drugs_parenthesis_is_that_drugs(pack: Pack) -> None:
    text = ("Discontinued medications: Sutent 37.5 mg (d/c 02/2024 - PD), "
            "Votrient 800 mg (never started - insurance denied).")
    assert _therapies(text, pack) == {"sunitinib": "progression"}


def test_a_table_without_a_rule_under_its_header(pack: Pack) -> None:
    text = ("Regimen         Start       End         Reason for discontinuation\n"
            "Sunitinib       01/2018     06/2019     Disease progression\n"
            "Nivolumab       07/2019     03/2021     Immune-related colitis\n"
            "Cabozantinib    04/2021     -           -\n")
    assert _therapies(text, pack) == {"sunitinib": "progression", "nivolumab": "toxicity", "cabozantinib": None}


def test_a_switch_takes_the_cause_from_the_clause_before(pack: Pack) -> None:
    text = ("2023 - lung mets; started pembrolizumab/axitinib 3/2023.\n"
            "09/2024 - progression in lungs; switched to cabozantinib.\n")
    assert _therapies(text, pack) == {"pembrolizumab": "progression", "axitinib": "progression",
                                      "cabozantinib": None}


def test_until_ends_the_drug_before(pack: Pack) -> None:
    text = "Patient was on sunitinib until progression in 2019, then pazopanib until 2021 (toxicity)."
    assert _therapies(text, pack) == {"sunitinib": "progression", "pazopanib": "toxicity"}
