"""General rules found by the seventh blind batch (eval/records/unseen4): a primary Condition that says
"METASTATIC", lists of options split by semicolons, "discussed by", risk-factor counts, infusion records, safety-net
instructions, "WHO performance status at 1", cN after cT, numbered investigation entries, completions, "e.g.",
platelets in lakhs."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.risk import in_default_unit
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource

HEADER = "Metastatic clear cell renal cell carcinoma.\n"
DATE = dt.date(2025, 8, 28)


def _values(text: str, pack: Pack, field: str) -> list[object]:
    facts = extract(TextSource("note.txt", HEADER + text, None, DATE), pack, about_kidney_cancer=True)
    return [f.value for f in facts if f.field == field]


def _drugs(text: str, pack: Pack) -> set[str]:
    return {str(v["drug"]) for v in _values(text, pack, "therapies") if isinstance(v, dict)}


def test_a_primary_condition_that_says_metastatic_is_still_the_primary(pack: Pack) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "meta": {"profile": ["http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"]},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.1"}],
                          "text": "PAPILLARY RENAL CELL CARCINOMA, RIGHT KIDNEY, WHO/ISUP GRADE 3 - METASTATIC"}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": condition}]}
    facts = read_fhir(json.dumps(bundle), "b.json", pack).facts
    assert {f.field: f.value for f in facts if f.field in ("histology", "grade")} == {"histology": "papillary",
                                                                                       "grade": 3}


@pytest.mark.parametrize("text", [
    "Options reviewed:\n  nivolumab + ipilimumab; cabozantinib + nivolumab; pembrolizumab + lenvatinib or axitinib.",
    "Adjuvant pembrolizumab (KEYNOTE-564) discussed by Dr Haddad. This is not funded.",
    "International guidelines favour a combination (e.g. nivolumab +\nipilimumab, or pembrolizumab + axitinib).",
    "Nivolumab would be a reasonable third-line choice. Everolimus is less attractive.",
])
def test_options_and_discussions_are_not_received(text: str, pack: Pack) -> None:
    assert _drugs(text, pack) == set()


def test_a_count_of_risk_factors_is_not_a_lab(pack: Pack) -> None:
    text = "Neutrophils, absolute     6.2       1.8 - 7.7          K/uL\nIMDC: ANC normal -> 5 factors.\n"
    [lab] = _values(text, pack, "labs.neutrophils")
    assert isinstance(lab, dict) and lab["value"] == 6.2


def test_a_first_cycle_infusion_record_dates_its_doses(pack: Pack) -> None:
    text = ("NURSING NOTE - IMMUNOTHERAPY ADMINISTRATION\nCycle 1 Day 1\n\n"
            "09:15  NIVOLUMAB 184 mg in NS 100 mL IV over 30 min - started.\n")
    facts = extract(TextSource("infusion.txt", text, None, DATE), pack, about_kidney_cancer=True)
    assert [f.value["start"] for f in facts if f.field == "therapies"] == ["2025-08-28"]


def test_a_safety_instruction_is_not_a_stop(pack: Pack) -> None:
    text = ("He remains on cabozantinib 40 mg once daily.\n"
            "He knows to stop cabozantinib and call if he has diarrhoea more than 4 times a day.\n")
    assert [v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)] == [None]


def test_who_performance_status_at_a_value(pack: Pack) -> None:
    text = "I would put his WHO performance\nstatus at 1 today.\n"
    assert _values(text, pack, "performance_status") == [{"scale": "ECOG", "value": 1}]


def test_clinical_n_after_clinical_t(pack: Pack) -> None:
    assert _values("cT2b N0 M1 - STAGE IV", pack, "stage.n") == ["N0"]


def test_numbered_entry_with_the_result_on_the_next_line(pack: Pack) -> None:
    text = ("INVESTIGATIONS:\n  2) USG-guided biopsy from right renal mass done on 02/09/2025.\n"
            "     HPE (No. H-4471/25): Renal cell carcinoma, clear cell type, WHO/ISUP grade 2.\n")
    facts = extract(TextSource("d.txt", text, None, DATE), pack, about_kidney_cancer=True)
    assert [f.value for f in facts if f.field == "diagnosis_date"] == ["2025-02-09"]


@pytest.mark.parametrize("row", ["Completed - 4 doses given as planned",
                                 "The ipilimumab part was completed as planned."])
def test_completions(row: str) -> None:
    from kidney_navigator.records.text.therapy_words import stop_reason

    assert stop_reason(row) == "completed"


def test_platelets_in_lakhs(pack: Pack) -> None:
    [lab] = _values("Platelet Count        : 2.8 lakhs/cumm     (1.5 - 4.5)\n", pack, "labs.platelets")
    assert isinstance(lab, dict) and (lab["value"], lab["high"]) == (2.8, 4.5)
    assert in_default_unit("platelets", 4.6, "lakhs/cumm") == pytest.approx(460)


def test_a_plan_names_what_is_to_come_unless_it_says_it_is_taken(pack: Pack) -> None:
    plan = "PLAN\n1. Metastatic ccRCC: nivolumab 3 mg/kg + ipilimumab 1 mg/kg q3 weeks x 4, then maintenance.\n"
    assert _drugs(plan, pack) == set()
    follow_up = "Assessment & Plan\n1. mRCC: continue cabozantinib 40 mg daily, tolerating well.\n"
    assert _drugs(follow_up, pack) == {"cabozantinib"}
    addendum = plan + "\nAddendum 04/07/2025 (pharmacy): nivolumab and ipilimumab given, first dose 04/07/2025.\n"
    assert _drugs(addendum, pack) == {"nivolumab", "ipilimumab"}
