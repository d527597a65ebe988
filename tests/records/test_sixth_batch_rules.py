"""General rules found by the sixth blind batch (eval/records/unseen3): pre-treatment values for the risk models,
initials, friends, FHIR reports and dateTimes, C-CDA pathology results, one-rule tables, hyphenated dates,
continued timeline entries, progression that belongs to the next drug."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.records.dates import find_dates
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.load import read_records
from kidney_navigator.records.text.source import TextSource

HEADER = "Metastatic clear cell renal cell carcinoma.\n"
DATE = dt.date(2024, 10, 8)


def _values(text: str, pack: Pack, field: str) -> list[object]:
    facts = extract(TextSource("note.txt", HEADER + text, None, DATE), pack, about_kidney_cancer=True)
    return [f.value for f in facts if f.field == field]


def test_imdc_uses_the_score_before_treatment(tmp_path: Path, pack: Pack) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "Metastatic clear cell renal cell carcinoma, diagnosed on nephrectomy 14/03/2019.\n"
        "C1D1 pembrolizumab + axitinib 08/10/2024.\n\n"
        "Performance status: ECOG 0 before treatment; ECOG 1 today.\n\n"
        "Baseline bloods (01/10/2024, prior to starting treatment):\n"
        "   Haemoglobin       109 g/L    (135-175)   L\n   Neutrophils  5.6  (2.0-7.5)\n"
        "   Platelets   362   (150-400)\n   Calcium  2.34 mmol/L (2.10-2.60)\n   Albumin  36 g/L  (35-50)\n")
    [record] = read_records([letter], pack)
    profile = build_profile(record.facts, pack, dt.date(2024, 10, 29))
    assert profile.performance_status is not None and profile.performance_status.value == 1  # shown: today's
    assert profile.imdc.factors["kps_below_80"] is False  # scored: ECOG 0 before treatment
    assert (profile.imdc.group, profile.imdc.count) == ("intermediate", 1)
    assert profile.risk_inputs.performance_status is not None and profile.risk_inputs.performance_status.value == 0
    assert "_risk_inputs" not in profile.model_dump_json()  # not part of the JSON contract

    from kidney_navigator.web.views import risk_factors

    [kps] = [row for row in risk_factors(profile.imdc, profile) if row[0].startswith("Karnofsky")]
    assert kps[2] == "ECOG 0 (before the first treatment)"


def test_initials_after_a_title_do_not_end_the_sentence(pack: Pack) -> None:
    text = ("- L open radical nephrectomy 14/03/2019 (Mr A. Lindqvist, Wattle Creek Base Hospital):\n"
            "  clear cell RCC, ISUP grade 3.\n")
    assert _values(text, pack, "diagnosis_date") == ["2019-03-14"]


def test_a_friend_is_not_the_patient(pack: Pack) -> None:
    text = "A friend of hers with kidney cancer got Keytruda for a year."
    assert _values(text, pack, "therapies") == []


def test_hyphenated_month_dates_and_timeline_continuations(pack: Pack) -> None:
    assert [d for _, _, d in find_dates("Visit date: 08-Oct-2024")] == [dt.date(2024, 10, 8)]
    text = ("ONCOLOGIC HISTORY\n- 11-Feb-2020: R open radical nephrectomy (Wascana Regional Hospital). Path:\n"
            "  clear cell RCC, ISUP grade 3, 6.8 cm. pT3a pN0.\n")
    assert _values(text, pack, "diagnosis_date") == ["2020-02-11"]


def test_progression_on_the_next_drug_is_that_drugs(pack: Pack) -> None:
    text = ("- 14-May-2024: SUNItinib stopped 21-May-2024 (PD).\n\n"
            "On 2nd line nivolumab since 04-Jun-2024 following progression on sunitinib.\n")
    reasons = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert reasons == {"sunitinib": "progression", "nivolumab": None}


def test_one_rule_table_with_a_dates_column(pack: Pack) -> None:
    text = ("DISCONTINUED MEDICATIONS\n"
            "-----------------------------------------------------------------------------------\n"
            "Medication                  Dates                  D/C reason\n"
            "-----------------------------------------------------------------------------------\n"
            "OPDIVO (nivolumab)          02/13/2024-03/18/2025  Adverse reaction - immune-mediated\n"
            " 240 mg IV q3wk x4 with                            hepatitis (grade 3, 03/2025)\n"
            " ipi, then 480 mg IV q4wk\n"
            "YERVOY (ipilimumab)         02/13/2024-04/16/2024  Course completed (4 doses)\n"
            " 1 mg/kg IV q3wk\n")
    found = {v["drug"]: (v["stop"], v["stop_reason"]) for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert found == {"nivolumab": ("2025-03-18", "toxicity"), "ipilimumab": ("2024-04-16", "completed")}


def test_fhir_reports_and_datetimes(pack: Pack) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.2"}],
                          "text": "Papillary renal cell carcinoma of left kidney"},
                 "note": [{"text": "GU tumor board: not a candidate for cytoreductive nephrectomy."}]}
    report = {"resourceType": "DiagnosticReport", "id": "r1", "status": "final",
              "code": {"coding": [{"system": "http://loinc.org", "code": "11526-1"}]},
              "effectiveDateTime": "2021-06-22T09:00:00-05:00",
              "conclusion": "Kidney, left, radical nephrectomy: papillary renal cell carcinoma, WHO/ISUP grade 3. "
                            "Sarcomatoid or rhabdoid features: not identified. AJCC 8th: pT2a pN0."}
    ct = {"resourceType": "DiagnosticReport", "id": "r2", "status": "final",
          "code": {"coding": [{"system": "http://loinc.org", "code": "24627-2"}]},
          "conclusion": "3.4 cm right lower lobe mass, consistent with metastatic renal cell carcinoma."}
    dose = {"resourceType": "MedicationAdministration", "id": "m1", "status": "completed",
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2025-03-04T10:15:00-06:00",
            "medicationCodeableConcept": {"text": "nivolumab IV - cycle 1"}}
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in (condition, report, ct, dose)]}
    facts = read_fhir(json.dumps(bundle), "b.json", pack).facts
    got = {f.field: f.value for f in facts if f.field in ("grade", "sarcomatoid", "stage.t", "nephrectomy")}
    assert got == {"grade": 3, "sarcomatoid": False, "stage.t": "T2a",
                   "nephrectomy": {"done": False, "date": None, "type": None}}
    assert [f.value["start"] for f in facts if f.field == "therapies"] == ["2025-03-04"]


def test_a_first_dose_booked_later_in_the_paragraph_is_not_received(pack: Pack) -> None:
    plan = ("1. Systemic therapy: we chose ipilimumab 1 mg/kg + nivolumab 3 mg/kg q3 weeks x 4, then nivolumab\n"
            "   maintenance. Consent signed. C1D1 scheduled 10/19/2026.\n")
    assert _values(plan, pack, "therapies") == []
    given = plan + "   C1D1 nivolumab and ipilimumab administered 10/19/2026 without reaction.\n"
    assert {v["drug"] for v in _values(given, pack, "therapies") if isinstance(v, dict)} == {"ipilimumab", "nivolumab"}


def test_a_note_after_a_drug_in_a_list_of_prior_lines_is_its_reason(pack: Pack) -> None:
    text = "Prior lines: axitinib (PD), nivolumab (colitis).\nCurrently receiving cabozantinib (mild diarrhoea).\n"
    reasons = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert reasons == {"axitinib": "progression", "nivolumab": "toxicity", "cabozantinib": None}
