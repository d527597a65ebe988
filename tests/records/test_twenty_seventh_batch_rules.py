"""General rules found by the twenty-seventh blind batch (eval/records/unseen24)."""

from __future__ import annotations

import datetime as dt
import json

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_fhir import read_fhir
from tests.records.note_reader import drugs, read_note, values

DAY = dt.date(2025, 4, 9)


def test_everolimus_for_a_kidney_transplant_is_not_cancer_therapy(pack: Pack) -> None:
    text = ("From 04.11.2024: mycophenolate STOPPED and converted to EVEROLIMUS (Certican) 0.75 mg\n"
            "twice daily, target trough 3-5 ng/ml, for transplant immunosuppression.\n"
            "Cabozantinib 40 mg daily started 10.01.2025 (eGFR 41, interaction check with\n"
            "tacrolimus/everolimus done).\n")
    assert drugs(text, pack, DAY) == {"cabozantinib"}
    # for the cancer, with lenvatinib, it is
    assert drugs("Lenvatinib 18 mg + everolimus 5 mg daily since 06 Feb 2023.\n", pack, DAY) == {
        "lenvatinib", "everolimus"}


def test_fhir_everolimus_at_transplant_dosing(pack: Pack) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.2"}],
                          "text": "Chromophobe renal cell carcinoma of left kidney"}}
    med = {"resourceType": "MedicationStatement", "id": "m1", "status": "active",
           "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2024-02-01",
           "medicationCodeableConcept": {"text": "Everolimus 1 mg PO twice daily (transplant dosing, trough 3-8 ug/L)"}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": condition}, {"resource": med}]}
    assert [f for f in read_fhir(json.dumps(bundle), "b.json", pack).facts if f.field == "therapies"] == []


def test_a_cumulative_german_lab_report_reads_each_date_column(pack: Pack) -> None:
    text = ("Parameter                   07.01.2025   03.03.2025   Einheit        Referenzbereich\n"
            "--------------------------------------------------------------------------------------\n"
            "Haemoglobin                 11.2 L       10.7 L       g/dl           12.0 - 15.4\n"
            "Thrombozyten                289          241          /nl            150 - 370\n")
    got = {(v["date"], v["value"]) for v in values(text, pack, "labs.platelets", dt.date(2025, 3, 4))
           if isinstance(v, dict)}
    assert got == {("2025-01-07", 289.0), ("2025-03-03", 241.0)}


def test_a_score_before_starting_a_named_drug_is_the_baseline(pack: Pack) -> None:
    text = ("Performance: In January before starting cabozantinib the oncologists documented a\n"
            "Karnofsky index of 80 %. Today (05.03.2025) Karnofsky 70 % - tired.\n")
    facts = read_note(text, pack, dt.date(2025, 3, 5))
    assert [f.value for f in facts if f.field == "performance_status.baseline"] == [{"scale": "KPS", "value": 80}]


def test_results_drawn_yesterday_a_threshold_and_a_month_without_a_year(pack: Pack) -> None:
    text = ("Bloods drawn yesterday (Apr 8) at Inverness Consolidated Memorial lab:\n"
            "   Hgb            98 g/L      (135-175)  LOW\n"
            "(Hgb was 121 g/L in January.)\n\n"
            "A/P: Transfuse if Hgb < 80 g/L. Repeat CBC in 1 wk.\n")
    got = {(v["date"], v["value"]) for v in values(text, pack, "labs.hemoglobin", DAY) if isinstance(v, dict)}
    assert got == {("2025-04-08", 98.0), ("2025-01-01", 121.0)}


def test_a_pipe_table_row_that_says_never_started(pack: Pack) -> None:
    text = ("STOPPED / DO NOT USE\n"
            "| Ibuprofen (OTC)   | STOP - CKD                                                           |\n"
            "| Sunitinib 50 mg   | On old 2017 referral letter; NEVER STARTED (patient and clinic confirm) -  |\n"
            "|                   | removed from profile, listed in error                               |\n")
    assert drugs(text, pack, DAY) == set()


def test_an_arrow_gives_the_biopsy_result(pack: Pack) -> None:
    text = ("- 03/12/2024: US-guided core biopsy R renal mass -> renal cell carcinoma, clear cell\n"
            "  type. Grade not reliably assessable on core.\n")
    assert values(text, pack, "diagnosis_date", dt.date(2024, 11, 5)) == ["2024-03-12"]
