"""General rules found by the twenty-fifth blind batch (eval/records/unseen22)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Evidence, Fact
from kidney_navigator.records.text.source import document_date
from tests.records.note_reader import dated_scores, drugs, values

DAY = dt.date(2024, 10, 18)


def test_a_clinic_label_with_its_weekday_dates_the_letter() -> None:
    assert document_date("KESTREL BAY PUBLIC HOSPITAL\nClinic: Tuesday 2 September 2024\n\nDear Lorraine,\n") \
        == dt.date(2024, 9, 2)


def test_a_lab_report_is_dated_by_its_sample_collection() -> None:
    text = ("Patient Name : Mr. R S K        Age/Sex : 58 Y / M\n"
            "Sample Coll. : 15/10/2024 09:12               Reported : 15/10/2024 14:40\n")
    assert document_date(text) == dt.date(2024, 10, 15)
    assert document_date("Case: TC25-S-1188      Procedure: 02/19/2025     Reported: 02/25/2025\n") \
        == dt.date(2025, 2, 19)


def _fact(field: str, value: object, date: str) -> Fact:
    return Fact(field=field, value=value, date=date,
                evidence=Evidence(document="d.json", page=None, start=0, end=1, text="x"))


def test_a_score_or_lab_after_the_chosen_day_is_not_yet_known(pack: Pack) -> None:
    facts = [_fact("performance_status", {"scale": "ECOG", "value": 1}, "2024-10-15"),
             _fact("performance_status", {"scale": "ECOG", "value": 3}, "2024-12-05"),
             _fact("labs.hemoglobin", {"value": 11.0, "unit": "g/dL", "low": 12.0, "high": 15.5,
                                       "date": "2024-10-15"}, "2024-10-15"),
             _fact("labs.hemoglobin", {"value": 9.0, "unit": "g/dL", "low": 12.0, "high": 15.5,
                                       "date": "2024-12-05"}, "2024-12-05")]
    on_day = build_profile(facts, pack, dt.date(2024, 11, 1))
    assert on_day.performance_status is not None and on_day.performance_status.value == 1
    assert on_day.labs["hemoglobin"].value == 11.0
    latest = build_profile(facts, pack, None)
    assert latest.performance_status is not None and latest.performance_status.value == 3


def test_tablets_of_a_combination_named_with_their_dosage_form(pack: Pack) -> None:
    text = ("* 05/08/2024 - Started Tab. Lenvatinib 18 mg OD + Tab. Everolimus 5 mg OD.\n"
            "  Continuing; tolerating with Tab. Telmisartan 40 mg for BP.\n")
    assert drugs(text, pack, DAY) == {"lenvatinib", "everolimus"}


def test_a_pathology_label_with_its_date_dates_the_diagnosis(pack: Pack) -> None:
    text = ("Path 01/08/2025 (CT-guided core bx R renal mass, MVC-S25-00412): clear cell\n"
            "renal cell carcinoma, WHO/ISUP grade 4, WITH sarcomatoid features.\n")
    assert values(text, pack, "diagnosis_date", dt.date(2025, 1, 22)) == ["2025-01-08"]


def test_a_portal_list_of_visits_dates_each_visit(pack: Pack) -> None:
    text = ("-----------------------------------------------------------\n"
            "01/22/2025  Office Visit - Genitourinary Oncology - P. V., MD\n"
            "-----------------------------------------------------------\n"
            "Exam: thin, uncomfortable. ECOG performance status: 2 (up <50% of day, unable\nto work).\n\n"
            "-----------------------------------------------------------\n"
            "05/06/2025  Office Visit - Genitourinary Oncology - P. V., MD\n"
            "-----------------------------------------------------------\n"
            "Feels better. ECOG 1.\n")
    # the later visit's score is current; the earlier one is kept for the risk models
    assert dated_scores(text, pack, dt.date(2025, 1, 22)) == {("2025-05-06", 1), ("2025-01-22", 2)}


def test_without_a_stated_date_the_diagnosis_is_known_by_the_operation_at_the_latest(pack: Pack) -> None:
    letter = _fact("histology", "clear_cell", "2025-02-07")
    operation = _fact("nephrectomy", {"done": True, "date": "2014-09-30", "type": "radical"}, "2014-09-30")
    assert build_profile([letter, operation], pack, None).diagnosis_date == "2014-09-30"
    biopsy = _fact("histology", "clear_cell", "2014-08-12")
    assert build_profile([letter, biopsy, operation], pack, None).diagnosis_date == "2014-08-12"
    # no kidney cancer named (a melanoma deposit removed with the kidney): no diagnosis date
    assert build_profile([operation], pack, None).diagnosis_date is None
