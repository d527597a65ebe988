"""General rules found by the thirteenth blind batch (eval/records/unseen10)."""

from __future__ import annotations

import datetime as dt
import json

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.dates import document_order, find_dates
from kidney_navigator.records.extract_ccda import read_ccda
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.text.source import document_date
from tests.records.note_reader import read_note


def _facts(text: str, pack: Pack, date: dt.date | None = dt.date(2025, 6, 16)) -> list[Fact]:
    return read_note(text, pack, date)


def _therapies(text: str, pack: Pack) -> dict[str, tuple[object, object]]:
    return {f.value["drug"]: (f.value["stop"], f.value["stop_reason"]) for f in _facts(text, pack)
            if f.field == "therapies" and isinstance(f.value, dict)}


def test_a_hold_resumed_in_a_later_clause_is_not_a_stop(pack: Pack) -> None:
    text = ("Interval hx:\n- Cabo held 05/06 - 05/13 for G3 diarrhea (C. diff neg); diarrhea settled to\n"
            "  G1 within 5 days. Cabometyx RESUMED 05/14/2025 at 20 mg daily.\n")
    assert _therapies(text, pack) == {"cabozantinib": (None, None)}
    text = "- Everolimus held 2025-04-22 for G2 stomatitis; restarted 2025-04-27 at 5 mg.\n"
    assert _therapies(text, pack) == {"everolimus": (None, None)}


def test_a_stop_after_the_previous_drugs_dates_stays_with_it(pack: Pack) -> None:
    text = ("Tx: cabozantinib 2024-06-20 -> 2025-03-18 (stopped, PD) |\n"
            "    lenvatinib + everolimus since 2025-04-07 (current).\n")
    got = _therapies(text, pack)
    assert got["cabozantinib"] == ("2025-03-18", "progression")
    assert got["lenvatinib"] == (None, None) and got["everolimus"] == (None, None)


def test_impression_slash_plan_is_a_plan_heading(pack: Pack) -> None:
    text = ("IMPRESSION / PLAN\n 1. Cabozantinib to STOP today (progression).\n"
            " 2. Third line: lenvatinib 18 mg daily + everolimus 5 mg daily. Application submitted today.\n")
    assert set(_therapies(text, pack)) == {"cabozantinib"}


def test_a_finding_sent_for_characterisation_is_not_a_site(pack: Pack) -> None:
    text = ("Clinical History: Metastatic clear cell RCC (lung, R iliac bone) on nivolumab.\n"
            "Restaging. Also: L adrenal nodule - please characterize.\n")
    assert sorted(str(f.value) for f in _facts(text, pack) if f.field == "metastatic_sites") == ["bone", "lung"]


def test_a_label_padded_before_its_colon_and_an_ocr_negation(pack: Pack) -> None:
    text = " Sarcomatoid features           : Not identifled\n"
    assert [f.value for f in _facts(text, pack) if f.field == "sarcomatoid"] == [False]


def test_a_labelled_diagnosis_date_on_the_next_line(pack: Pack) -> None:
    text = "  2. Original primary: pT3a N0 M0. Date of diagnosis\n     18/06/2019. Surveillance since.\n"
    assert [f.value for f in _facts(text, pack) if f.field == "diagnosis_date"] == ["2019-06-18"]


def test_document_dates_in_titles_and_mail_headers() -> None:
    assert document_date("Coast Oncology - Progress note          12/05/2025 10:30\nSeen 14/02/2025.") == \
        dt.date(2025, 5, 12)
    assert document_date("From: G <g@example.org>\nSent: Thursday, 3 April 2025 7:12 PM\n") == dt.date(2025, 4, 3)


def test_a_pages_dates_follow_the_whole_documents_order() -> None:
    page = "Ipilimumab + nivolumab 04/07/2022 - 06/09/2022"
    assert [d.isoformat() for _, _, d in find_dates(page)] == ["2022-04-07", "2022-06-09"]
    with document_order(page + "\nBloods 28/06/2022"):
        assert [d.isoformat() for _, _, d in find_dates(page)] == ["2022-07-04", "2022-09-06"]


def test_a_formula_is_not_a_result(pack: Pack) -> None:
    text = "Comment: Corrected calcium = Ca + 0.02 x (40 - albumin).\n"
    assert [f for f in _facts(text, pack) if f.field.startswith("labs.")] == []


def test_a_section_headed_before_first_line_therapy_holds_baseline_scores(pack: Pack) -> None:
    text = ("----------------------------------------\n4. IMDC (at relapse, 06/2022, before first-line therapy)\n"
            "----------------------------------------\nTime to therapy < 1 year: yes. KPS 90: no.\n\n"
            "----------------------------------------\n5. CURRENT STATUS (clinic review 12/05/2025)\n"
            "----------------------------------------\nPerformance status (ECOG/WHO): 1 - working reduced hours.\n")
    facts = _facts(text, pack)
    assert [(f.value, f.date) for f in facts if f.field == "performance_status"] == [
        ({"scale": "ECOG", "value": 1}, "2025-06-16")]
    assert [f.value for f in facts if f.field == "performance_status.baseline"] == [{"scale": "KPS", "value": 90}]


def test_a_pipe_flowsheet_with_notes_and_units_in_the_name(pack: Pack) -> None:
    text = ("| Test                 | 28/06/2022 (pre-SACT) | 09/05/2025 | Ref. range      |\n"
            "|----------------------|-----------------------|------------|-----------------|\n"
            "| Haemoglobin (g/L)    | 112                   | 109        | 115-155         |\n")
    got = [(f.date, f.value["value"], f.value["unit"], f.value["low"]) for f in _facts(text, pack)
           if f.field == "labs.hemoglobin" and isinstance(f.value, dict)]
    assert got == [("2022-06-28", 112.0, "g/L", 115.0), ("2025-05-09", 109.0, "g/L", 115.0)]


def test_a_list_under_a_heading_of_options_not_given(pack: Pack) -> None:
    text = ("Not given / future options discussed with Siobhan:\n"
            " - Everolimus, or lenvatinib + everolimus (reimbursement application would be needed).\n"
            " - Belzutifan is not currently reimbursed; could be sought at next progression.\n\n"
            "Current medications: tivozanib 1340 mcg daily.\n")
    assert set(_therapies(text, pack)) == {"tivozanib"}


def test_examples_and_checklist_answers_of_no(pack: Pack) -> None:
    text = ("EXCLUSION CRITERIA                                           Y/N\n"
            "E-1  Prior systemic therapy for advanced RCC (including      [N]\n"
            "     VEGF-TKIs such as sunitinib, pazopanib, cabozantinib)\n"
            "E-4  Active brain metastases                                 [N]   MRI brain: no metastases\n")
    facts = _facts(text, pack)
    assert [f for f in facts if f.field in ("therapies", "metastatic_sites")] == []


def test_fhir_entered_in_error_is_ignored(pack: Pack) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.1"}]}}

    def ecog(oid: str, status: str, when: str, value: int) -> dict[str, object]:
        return {"resourceType": "Observation", "id": oid, "status": status, "subject": {"reference": "Patient/p"},
                "code": {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]},
                "effectiveDateTime": when, "valueInteger": value}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (
        condition, ecog("o1", "final", "2026-05-18", 2), ecog("o2", "entered-in-error", "2026-05-21", 0))]}
    got = [f.value for f in read_fhir(json.dumps(bundle), "b.json", pack).facts if f.field == "performance_status"]
    assert got == [{"scale": "ECOG", "value": 2}]


def test_ccda_problem_row_cells_are_read(pack: Pack) -> None:
    xml = """<ClinicalDocument xmlns="urn:hl7-org:v3">
<component><structuredBody>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
<text><table><tr><td ID="p1">Chromophobe renal cell carcinoma of left kidney, pT2a pN0</td><td>Active</td>
<td>Path: WHO/ISUP grading not applicable; no sarcomatoid differentiation; margins negative.</td></tr></table></text>
<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
<observation classCode="OBS" moodCode="EVN">
<text><reference value="#p1"/></text>
<value xsi:type="CD" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" code="C64.2"
 codeSystem="2.16.840.1.113883.6.90"/></observation></entryRelationship></act></entry>
</section></component>
</structuredBody></component></ClinicalDocument>"""
    facts = {f.field: f.value for f in read_ccda(xml, "ccd.xml", pack).facts}
    assert facts["histology"] == "chromophobe" and facts["sarcomatoid"] is False
