"""General rules found by the fifteenth blind batch (eval/records/unseen12)."""

from __future__ import annotations

import datetime as dt
import json

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Evidence, Fact
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.text.source import document_date
from tests.records.note_reader import read_note, stop_reasons


def _facts(text: str, pack: Pack, date: dt.date | None = dt.date(2025, 10, 9)) -> list[Fact]:
    return read_note(text, pack, date)


def _therapies(text: str, pack: Pack) -> dict[str, object]:
    return stop_reasons(_facts(text, pack))


def test_document_dates_from_discharge_arrival_and_a_placed_letter_date() -> None:
    assert document_date("Admitted: 08/03/2025             Discharged: 08/09/2025\n") == dt.date(2025, 8, 9)
    assert document_date("Pt: X        Arrival: 08/03/2025 02:41\n") == dt.date(2025, 8, 3)
    assert document_date("Herrn Dr. F.\n                     Freiburg, 21.11.2025\n") == dt.date(2025, 11, 21)


def test_a_plan_only_if_progression(pack: Pack) -> None:
    text = " - Cabozantinib remains the plan only if there is progression on current therapy.\n"
    assert _therapies(text, pack) == {}


def test_advice_for_a_later_decision(pack: Pack) -> None:
    text = "Advice: systemic treatment with cabozantinib, starting dose 40 mg, if her condition allows.\n"
    assert _therapies(text, pack) == {}


def test_a_decimal_comma_flowsheet_and_an_admission_score(pack: Pack) -> None:
    text = ("Admission:  02-10-2025 to 08-10-2025      Follow-up clinic 16-10-2025\n"
            "Performance status: WHO 3 on admission. At discharge on 08-10-2025 WHO performance status 2.\n\n"
            "LABORATORY\n"
            "                      02-10-2025   08-10-2025   reference\n"
            "Hb                    6,4          6,1          7,5 - 10,0 mmol/L\n"
            "Thrombocytes          455          388          150 - 400 x10^9/L\n")
    facts = _facts(text, pack)
    assert {(f.field, f.date, f.value["value"]) for f in facts if f.field.startswith("labs.")} == {
        ("labs.hemoglobin", "2025-10-02", 6.4), ("labs.hemoglobin", "2025-10-08", 6.1),
        ("labs.platelets", "2025-10-02", 455.0), ("labs.platelets", "2025-10-08", 388.0)}
    # the discharge score is the current one; the admission score is kept, dated, for the risk models
    assert [(f.value, f.date) for f in facts if f.field == "performance_status"] == [
        ({"scale": "ECOG", "value": 2}, "2025-10-08"), ({"scale": "ECOG", "value": 3}, "2025-10-02")]


def test_a_karnofsky_score_wrapped_over_a_line(pack: Pack) -> None:
    text = "Karnofsky performance\nstatus 60 %, ECOG 2.\n"
    assert {"scale": "KPS", "value": 60} in [f.value for f in _facts(text, pack) if f.field == "performance_status"]


def test_a_numbered_line_ended(pack: Pack) -> None:
    text = ("  - 1st line from 10.06.2024: nivolumab 240 mg q2w + cabozantinib 40 mg/d\n"
            "      09.09.2025 CT: progression (pulmonary, osseous) -> 1st line ended 16.09.2025\n"
            "  - 2nd line since 13.10.2025: lenvatinib 18 mg/d + everolimus 5 mg/d\n")
    assert _therapies(text, pack) == {"nivolumab": "progression", "cabozantinib": "progression",
                                      "lenvatinib": None, "everolimus": None}


def test_tablet_abbreviations_and_a_fallback(pack: Pack) -> None:
    text = ("1. Tab. Cabozantinib 40 mg OD - started 15/07/2025.\n"
            "2. If cabozantinib not sanctioned within 2 weeks -> Tab. Sunitinib 37.5 mg OD continuous as\n"
            "   fallback.\n")
    assert _therapies(text, pack) == {"cabozantinib": None}


def test_no_as_number_is_not_a_negation(pack: Pack) -> None:
    text = ("  2) USG-guided biopsy from right renal mass done on 02/09/2025.\n"
            "     HPE (No. H-4471/25): Renal cell carcinoma, clear cell type, WHO/ISUP grade 2.\n")
    assert [f.value for f in _facts(text, pack) if f.field == "histology"] == ["clear_cell"]


def test_a_parietal_bone_lesion_is_bone(pack: Pack) -> None:
    text = "Imp: Metastatic clear cell RCC (lungs, L parietal bone). Palliative EBRT to L parietal lesion.\n"
    assert sorted(str(f.value) for f in _facts(text, pack) if f.field == "metastatic_sites") == ["bone", "lung"]


def test_a_combination_that_continued_then_completed(pack: Pack) -> None:
    text = ("- 1st line: gemcitabine + cisplatin from 17/03/2025. After cycle 2 cisplatin was stopped because of the\n"
            "  nephrotoxicity and replaced by carboplatin from cycle 3. Gemcitabine + carboplatin continued.\n"
            "  Six cycles in total, the planned treatment was completed on 11/07/2025.\n")
    assert _therapies(text, pack) == {"gemcitabine": "completed", "cisplatin": "toxicity", "carboplatin": "completed"}


def test_fhir_a_stopped_order_replaced_by_a_new_dose(pack: Pack) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.1"}]}}
    order = {"resourceType": "MedicationRequest", "id": "m1", "status": "stopped", "intent": "order",
             "subject": {"reference": "Patient/p"}, "authoredOn": "2025-02-20",
             "medicationCodeableConcept": {"text": "lenvatinib (LENVIMA) 20 mg daily"},
             "statusReason": {"text": "Dose reduced for grade 3 hypertension - replaced by 14 mg order"}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (condition, order)]}
    got = [f.value for f in read_fhir(json.dumps(bundle), "b.json", pack).facts if f.field == "therapies"]
    assert [v["stop_reason"] for v in got if isinstance(v, dict)] == [None]


def _fact(field: str, value: object, date: str) -> Fact:
    return Fact(field=field, value=value, date=date, evidence=Evidence(document="d", page=None, start=0, end=0,
                                                                        text=""))


def test_a_lab_measured_only_after_treatment_began_is_unknown_for_imdc(pack: Pack) -> None:
    facts = [_fact("histology", "clear_cell", "2024-09-01"), _fact("diagnosis_date", "2022-09-01", "2022-09-01"),
             _fact("therapies", {"drug": "sunitinib", "start": "2024-12-02", "stop": None, "stop_reason": None},
                   "2024-12-02"),
             _fact("performance_status", {"scale": "ECOG", "value": 0}, "2024-11-14"),
             _fact("labs.hemoglobin", {"value": 7.9, "unit": "g/dL", "low": 12.0, "high": 15.5,
                                       "date": "2025-07-02"}, "2025-07-02")]
    profile = build_profile(facts, pack, dt.date(2025, 7, 10))
    assert profile.labs["hemoglobin"].value == 7.9  # the profile still shows today's value
    assert profile.imdc is not None and profile.imdc.factors["hemoglobin_below_lln"] is None
