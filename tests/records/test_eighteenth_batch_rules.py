"""General rules found by the eighteenth blind batch (eval/records/unseen15)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.load import read_record
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import drugs, read_note, stop_reasons, values

DAY = dt.date(2025, 1, 21)


def _values(text: str, pack: Pack, field: str, date: dt.date | None = DAY) -> list[object]:
    return values(text, pack, field, date)


def _drugs(text: str, pack: Pack) -> set[str]:
    return drugs(text, pack, DAY)


# --- what was only reviewed, studied or avoided -------------------------------------------------------------------

def test_a_reviewed_list_of_regimens_is_options(pack: Pack) -> None:
    text = ("- 09/05/2024  Med onc consult: KPS 80%. Reviewed pembrolizumab + axitinib,\n"
            "  nivolumab + cabozantinib and ipilimumab/nivolumab. Pt chose\n  pembro/axi.\n"
            "- 09/16/2024  C1D1 Keytruda 200 mg IV q3w + Inlyta 5 mg PO BID.\n")
    assert _drugs(text, pack) == {"pembrolizumab", "axitinib"}


def test_reviewing_one_regimen_does_not_make_it_an_option(pack: Pack) -> None:
    # a single regimen reviewed (its side effects, its dose) is the one being taken
    text = "Reviewed cabozantinib side effects with her today. She continues cabozantinib 40 mg daily.\n"
    assert _drugs(text, pack) == {"cabozantinib"}


def test_a_study_arm_is_not_a_drug_given(pack: Pack) -> None:
    text = ("Not eligible for the study now. Flag to re-screen at progression; the belzutifan arm\n"
            "would be the relevant one then. No study drug given.\n")
    assert _drugs(text, pack) == set()


def test_randomised_to_an_arm_is_a_drug_given(pack: Pack) -> None:
    text = "She was randomized to the belzutifan arm on 2024-11-04 and takes it daily.\n"
    assert _drugs(text, pack) == {"belzutifan"}


def test_options_opening_a_bracket_cover_the_whole_list(pack: Pack) -> None:
    text = ("TREATMENT HISTORY: No prior systemic therapy (treatment-naive). Standard\n"
            "options were discussed with her (cabozantinib; pembrolizumab + lenvatinib).\n")
    assert _drugs(text, pack) == set()


def test_prior_regimens_in_a_bracket_were_given(pack: Pack) -> None:
    text = "Prior regimens (sunitinib 2019-2021, nivolumab 2021-2023) were both stopped for progression.\n"
    assert _drugs(text, pack) == {"sunitinib", "nivolumab"}


def test_a_regimen_the_person_prefers_to_avoid_is_not_given(pack: Pack) -> None:
    text = ("He prefers to avoid the higher rate of immune side effects with ipilimumab and\n"
            "wants a regimen with a high response rate. Nivolumab C1D1 06/27/2024 given.\n")
    assert "ipilimumab" not in _drugs(text, pack)


# --- why a drug ended ---------------------------------------------------------------------------------------------

def test_stopped_as_planned_is_completed() -> None:
    assert stop_reason("Stopped after 2 yrs\n   as planned (completed), SD at the time -> treatment break.") \
        == "completed"


def test_a_harm_said_not_to_have_happened_is_no_reason() -> None:
    text = ("Stopped at the patient's request (personal/family reasons: caregiver for her mother). "
            "No immune-related adverse events.")
    assert stop_reason(text) == "other"
    assert stop_reason("Stopped for immune-related colitis.") == "toxicity"


def test_the_progression_a_drug_was_started_for_is_not_its_stop(pack: Pack) -> None:
    text = " - 3L cabozantinib (Cabometyx) since 10/20/2023 for PD in lungs, 40 mg\n   daily. SD on last CT.\n"
    assert stop_reasons(read_note(text, pack, DAY)) == {"cabozantinib": None}


def test_started_then_stopped_for_progression_keeps_the_stop(pack: Pack) -> None:
    text = "Sunitinib started 06/2019, stopped 03/2021 for PD (new lung nodules).\n"
    assert stop_reasons(read_note(text, pack, DAY)) == {"sunitinib": "progression"}


# --- tables and checklists ----------------------------------------------------------------------------------------

DISPENSING = """DISPENSING HISTORY REPORT
Fill Date   Rx #     Drug / Strength / Form              Qty  DS  Fill  Status / Notes
------------------------------------------------------------------------------------------------
03/07/2024  7710452  CABOMETYX 40 MG TABLET               30  30   5    SHIPPED
03/27/2024  7725019  LENVIMA 18 MG DAILY DOSE CAPSULE     --  --   --   PA APPROVED 04/01/2024 -
                                                                        NOT FILLED. Rx CANCELLED by
                                                                        prescriber 04/03/2024
04/04/2024  7710452  CABOMETYX 40 MG TABLET               30  30   6    SHIPPED
"""


def test_a_fill_cancelled_before_it_went_out_is_not_a_drug_received(pack: Pack) -> None:
    assert _drugs(DISPENSING, pack) == {"cabozantinib"}


def test_an_empty_answer_box_after_an_item_answers_no(pack: Pack) -> None:
    text = ("EXCLUSION CRITERIA                                      Present?\n"
            "E2  Prior nephrectomy < 28 d before randomization        [ ]    N/A\n")
    assert all(v == {"done": False, "date": None, "type": None} for v in _values(text, pack, "nephrectomy"))


def test_a_ticked_answer_box_after_an_item_is_yes(pack: Pack) -> None:
    text = ("INCLUSION CRITERIA                                      Met?\n"
            "I3  Prior nephrectomy (radical)                         [X]    2019-03-12\n")
    assert [v["done"] for v in _values(text, pack, "nephrectomy") if isinstance(v, dict)] == [True]


def test_unticked_options_in_a_row_are_still_blanked(pack: Pack) -> None:
    text = "Histologic type:  [ ] Papillary  [X] Clear cell  [ ] Chromophobe\n"
    assert _values(text, pack, "histology") == ["clear_cell"]


# --- FHIR and C-CDA -----------------------------------------------------------------------------------------------

CONDITION = {
    "resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.2"}],
             "text": "Heldercellig niercelcarcinoom"},
    "onsetDateTime": "2022-03-08",
}


def _read_bundle(tmp_path: Path, pack: Pack, *resources: dict[str, object]) -> dict[str, list[object]]:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in [CONDITION, *resources]]}))
    facts: dict[str, list[object]] = {}
    for fact in read_record(path, pack).facts:
        facts.setdefault(fact.field, []).append(fact.value)
    return facts


def _observation(code: str, **value: object) -> dict[str, object]:
    return {"resourceType": "Observation", "id": f"o{code}", "status": "final", "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]}, "effectiveDateTime": "2022-03-15",
            **value}


def test_fhir_histologic_grade_written_in_the_value(tmp_path: Path, pack: Pack) -> None:
    facts = _read_bundle(tmp_path, pack, _observation("33732-9", valueCodeableConcept={"text": "WHO/ISUP graad 3"}))
    assert facts["grade"] == [3]


def test_fhir_histologic_grade_as_a_tier_gives_no_isup_number(tmp_path: Path, pack: Pack) -> None:
    tier = {"coding": [{"system": "http://snomed.info/sct", "code": "1286893008",
                        "display": "Intermediate histologic grade (qualifier value)"}]}
    assert "grade" not in _read_bundle(tmp_path, pack, _observation("33732-9", valueCodeableConcept=tier))


def test_fhir_haemoglobin_in_mmol_per_litre(tmp_path: Path, pack: Pack) -> None:
    obs = _observation("59260-0", valueQuantity={"value": 7.6, "unit": "mmol/L"},
                       referenceRange=[{"low": {"value": 8.5}, "high": {"value": 11.0}}])
    lab = _read_bundle(tmp_path, pack, obs)["labs.hemoglobin"][0]
    assert isinstance(lab, dict) and (lab["value"], lab["unit"], lab["low"]) == (7.6, "mmol/L", 8.5)


def _ccd_problems(*rows: str) -> str:
    entries = "".join(
        f'<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">'
        f'<observation classCode="OBS" moodCode="EVN"><code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>'
        f'<text><reference value="#p{i}"/></text><value xsi:type="CD" nullFlavor="OTH"/></observation>'
        f"</entryRelationship></act></entry>" for i, _ in enumerate(rows))
    cells = "".join(f'<tr><td ID="p{i}">{row}</td></tr>' for i, row in enumerate(rows))
    return ('<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<component><structuredBody><component><section><code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/>'
            f"<text><table>{cells}</table></text>{entries}</section></component></structuredBody></component>"
            "</ClinicalDocument>")


def test_ccda_a_problem_said_not_to_be_metastatic_is_not_a_site(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "ccd.xml"
    path.write_text(_ccd_problems(
        "Clear cell renal cell carcinoma, left kidney, pT3a pN0 M0",
        "Secondary malignant neoplasm of lung - biopsy: metastatic clear cell RCC",
        "Hemangioma of liver, segment IVa (MRI 01/10/2025) - benign, not metastatic"))
    sites = {f.value for f in read_record(path, pack).facts if f.field == "metastatic_sites"}
    assert sites == {"lung"}


# --- a sign that the drug was received ----------------------------------------------------------------------------

def test_a_drug_named_with_no_sign_of_being_received_is_left_out(pack: Pack) -> None:
    # no cue word marks these as options, but nothing says the person had them either
    text = "Pembrolizumab with axitinib and nivolumab with cabozantinib work in similar ways.\n"
    assert _drugs(text, pack) == set()


def test_signs_of_receipt_keep_the_drug(pack: Pack) -> None:
    for sentence, drug in [("She takes sunitinib daily.", "sunitinib"),
                           ("Progression on pazopanib in 2023.", "pazopanib"),
                           ("The pharmacy delivered the Cabometyx yesterday.", "cabozantinib"),
                           ("After discussion he chose nivolumab.", "nivolumab"),
                           ("Medications:\n  axitinib 5 mg PO BID\n  amlodipine 5 mg daily", "axitinib")]:
        assert _drugs(sentence + "\n", pack) == {drug}, sentence


def test_a_partners_sign_counts_for_the_whole_combination(pack: Pack) -> None:
    text = "Ipilimumab + nivolumab, C1D1 given 06/27/2024.\n"
    assert _drugs(text, pack) == {"ipilimumab", "nivolumab"}


def test_a_row_drawn_with_spaces_gives_its_dates(pack: Pack) -> None:
    text = ("TREATMENT HISTORY\nRegimen                  Dates                   Outcome\n"
            "Sunitinib                01/2020 - 08/2021       Stopped: progressive disease\n"
            "Cabozantinib             03/2022 - present       Ongoing, partial response\n")
    got = {v["drug"]: (v["start"], v["stop"]) for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert got == {"sunitinib": ("2020-01-01", "2021-08-01"), "cabozantinib": ("2022-03-01", None)}
