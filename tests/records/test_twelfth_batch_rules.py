"""General rules found by the twelfth blind batch (eval/records/unseen9)."""

from __future__ import annotations

import datetime as dt
import json

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Evidence, Fact
from kidney_navigator.records.context import modifiers
from kidney_navigator.records.dates import find_dates
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import read_note


def _facts(text: str, pack: Pack, date: dt.date | None = dt.date(2026, 3, 2)) -> list[Fact]:
    return read_note(text, pack, date)


def _values(text: str, pack: Pack, field: str, date: dt.date | None = dt.date(2026, 3, 2)) -> list[object]:
    return [f.value for f in _facts(text, pack, date) if f.field == field]


def _therapies(text: str, pack: Pack) -> dict[str, dict[str, object]]:
    return {v["drug"]: v for v in _values(text, pack, "therapies") if isinstance(v, dict)}


def test_a_birth_date_is_never_a_date_of_the_illness() -> None:
    text = "Patient: Hale, Ines    DOB: 02/11/1958    Seen 03/02/2026"
    assert [d.isoformat() for _, _, d in find_dates(text)] == ["2026-03-02"]
    assert [d.isoformat() for _, _, d in find_dates("Date of birth 1958-02-11; born 1958")] == []


def test_a_dose_record_header_with_a_birth_date_does_not_date_the_regimen(pack: Pack) -> None:
    text = ("Patient: Hale, Ines    DOB 02/11/1958\n"
            "Regimen: nivolumab + cabozantinib (cabozantinib oral, self-administered - not charted here)\n")
    got = _therapies(text, pack)
    assert set(got) == {"nivolumab", "cabozantinib"}
    assert all(v["start"] is None for v in got.values())


def test_a_pharmacy_fill_history_reads_fills_and_skips_a_cancelled_prescription(pack: Pack) -> None:
    text = ("FILL DATE   RX#      DRUG / STRENGTH                        QTY  STATUS / NOTE\n"
            "----------  -------  -------------------------------------  ---  ---------------------------\n"
            "01/05/2026  551001   VOTRIENT 200 MG TABLET (PAZOPANIB)     120  SHIPPED\n"
            "01/20/2026  551002   LENVIMA 10 MG CAPSULE (LENVATINIB)      30  CANCELLED - duplicate order;\n"
            "                                                                 not dispensed\n"
            "02/04/2026  551001   VOTRIENT 200 MG TABLET (PAZOPANIB)     120  SHIPPED\n")
    got = _therapies(text, pack)
    assert set(got) == {"pazopanib"}
    assert got["pazopanib"]["start"] == "2026-01-05"


def test_a_pronoun_after_a_writers_relative_is_the_relative() -> None:
    message = ("I have a question about my pills. My brother had kidney cancer as well and it spread to his liver.\n"
               "He was on Votrient for two years.")
    at = message.index("Votrient")
    assert "family" in modifiers(message, at, at + 8)
    # a clinician's "his brother" is no first-person writer's relative: the next "He" is still the patient
    note = "His brother had kidney cancer. He is on Votrient since January."
    at = note.index("Votrient")
    assert "family" not in modifiers(note, at, at + 8)
    # a carer writing about the patient: "he" is the patient the whole message is about
    carer = "My husband has kidney cancer in his lungs.\nHe started Votrient in January and his BP is up."
    at = carer.index("Votrient")
    assert "family" not in modifiers(carer, at, at + 8)


def test_icd_names_of_metastases_are_sites(pack: Pack) -> None:
    text = ("PROBLEM LIST\n"
            "  * Secondary malignant neoplasm of left adrenal gland (C79.72)\n"
            "  * Secondary malignant neoplasm of bone (C79.51)\n")
    assert sorted(str(v) for v in _values(text, pack, "metastatic_sites")) == ["adrenal", "bone"]


def test_a_percent_printed_after_the_range_is_the_relative_count(pack: Pack) -> None:
    text = ("Component                  Your Value   Standard Range\n"
            "Neutrophils                58.2         40.0 - 74.0 %\n"
            "Neutrophils, absolute      4.1          1.8 - 7.7 K/uL\n")
    got = _values(text, pack, "labs.neutrophils")
    assert [(v["value"], v["unit"]) for v in got if isinstance(v, dict)] == [(4.1, "K/uL")]


def test_a_two_date_table_with_column_notes_and_a_reference_column(pack: Pack) -> None:
    text = ("LABS              01/12/2026 (admission)   01/15/2026 (discharge)   Reference\n"
            "  Hemoglobin      10.9 L                   10.1 L                   12.0 - 15.5 g/dL\n"
            "  Platelets       455 H                    430 H                    150 - 400 K/uL\n"
            "  LDH             310 H                    --                       120 - 246 U/L\n")
    got = {(f.field, f.date): f.value["value"] for f in _facts(text, pack, dt.date(2026, 1, 15))
           if f.field.startswith("labs.") and isinstance(f.value, dict)}
    assert got == {("labs.hemoglobin", "2026-01-12"): 10.9, ("labs.hemoglobin", "2026-01-15"): 10.1,
                   ("labs.platelets", "2026-01-12"): 455.0, ("labs.platelets", "2026-01-15"): 430.0,
                   ("labs.ldh", "2026-01-12"): 310.0}


def test_a_value_on_arrival_takes_the_admission_date(pack: Pack) -> None:
    text = ("Admitted: 01/12/2026      Discharged: 01/15/2026\n"
            "Prior imaging 12/20/2025 showed stable disease.\n\n"
            "HOSPITAL COURSE\nCalcium 12.8 mg/dL with albumin 3.0 g/dL on arrival, treated with fluids.\n")
    got = [f.date for f in _facts(text, pack, dt.date(2026, 1, 15)) if f.field == "labs.calcium"]
    assert got == ["2026-01-12"]


def test_recurrence_on_adjuvant_treatment_is_progression() -> None:
    assert stop_reason("Stopped 02/02/2025 - disease recurrence (liver) while on adjuvant therapy") == "progression"
    assert stop_reason("adjuvant pembrolizumab discontinued at distant relapse") == "progression"
    assert stop_reason("metastatic recurrence in 2022; sunitinib 2022-2023") is None


def test_a_stop_reason_of_the_line_above_belongs_to_its_own_drug(pack: Pack) -> None:
    text = ("- Votrient (pazopanib) 800 mg daily, 01/2021 - 06/2022: stopped for progression (new liver lesions)\n"
            "- Afinitor (everolimus) 10 mg daily, 07/2022 - 02/2023: stopped for grade 3 pneumonitis (admitted\n"
            "  02/2023, steroids).\n")
    got = _therapies(text, pack)
    assert {d: v["stop_reason"] for d, v in got.items()} == {"pazopanib": "progression", "everolimus": "toxicity"}


def test_a_dosing_schedule_written_in_weeks_is_not_a_stop(pack: Pack) -> None:
    text = "- Sutent (sunitinib) 50 mg 4 wk on/2 wk off, 03/2020 - 11/2020: stopped for progression.\n"
    got = _therapies(text, pack)["sunitinib"]
    assert (got["start"], got["stop"], got["stop_reason"]) == ("2020-03-01", "2020-11-01", "progression")


def test_fhir_withheld_dose_and_hold_are_not_stops(pack: Pack) -> None:
    def admin(status: str, when: str, reason: str | None = None) -> dict[str, object]:
        out: dict[str, object] = {"resourceType": "MedicationAdministration", "id": f"a{when}", "status": status,
                                  "subject": {"reference": "Patient/p"}, "effectiveDateTime": when,
                                  "medicationCodeableConcept": {"text": "OPDIVO (nivolumab) 480 mg IV"}}
        if reason:
            out["statusReason"] = [{"text": reason}]
        return out
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.1"}],
                          "text": "Clear cell renal cell carcinoma of right kidney"}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (
        condition, admin("completed", "2025-05-01"),
        admin("not-done", "2025-05-29", "Dose withheld - grade 2 diarrhoea; to resume when grade 1 or less"),
        admin("completed", "2025-06-26"))]}
    got = [f.value for f in read_fhir(json.dumps(bundle), "b.json", pack).facts if f.field == "therapies"]
    assert [(v["start"], v["stop_reason"]) for v in got if isinstance(v, dict)] == [
        ("2025-05-01", None), ("2025-06-26", None)]


def test_a_score_from_the_start_of_treatment_is_not_todays(pack: Pack) -> None:
    text = ("- First line: cabozantinib from 12-Jan-2024. She was ECOG 0 at the\n  start.\n\n"
            "PERFORMANCE STATUS (clinic 20-Feb-2026): ECOG 1.\n")
    facts = _facts(text, pack, dt.date(2026, 3, 2))
    # undated, the score from the start no longer takes the note's date and hides the clinic's newer one
    assert [(f.value, f.date) for f in facts if f.field == "performance_status"] == [
        ({"scale": "ECOG", "value": 1}, "2026-02-20")]
    assert [f.value for f in facts if f.field == "performance_status.baseline"] == [{"scale": "ECOG", "value": 0}]


def test_an_open_question_about_surgery_is_not_an_operation(pack: Pack) -> None:
    text = "I would value your advice on whether removing the kidney has any role for him.\n"
    assert _values(text, pack, "nephrectomy") == []


def _fact(field: str, value: object, date: str, text: str) -> Fact:
    return Fact(field=field, value=value, date=date,
                evidence=Evidence(document="d.txt", page=None, start=0, end=len(text), text=text))


def test_a_size_measured_on_treatment_does_not_restage(pack: Pack) -> None:
    facts = [_fact("stage.t", "T3a", "2025-08-29", "cT3a"),
             _fact("therapies", {"drug": "nivolumab", "start": "2025-09-04", "stop": None, "stop_reason": None},
                   "2025-09-04", "nivolumab"),
             _fact("stage.t", "T2a", "2026-01-08", "9.4 cm")]
    assert build_profile(facts, pack, dt.date(2026, 1, 15)).stage.t == "T3a"
    # before any treatment a later size-derived T still counts as the newest
    untreated = [facts[0], facts[2]]
    assert build_profile(untreated, pack, dt.date(2026, 1, 15)).stage.t == "T2a"
