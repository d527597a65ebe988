"""General rules found by the sixteenth blind batch (eval/records/unseen13)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.text.source import document_date
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import read_note


def _facts(text: str, pack: Pack, date: dt.date | None = dt.date(2025, 8, 22)) -> list[Fact]:
    return read_note(text, pack, date)


def _values(text: str, pack: Pack, field: str) -> list[object]:
    return [f.value for f in _facts(text, pack) if f.field == field]


def test_a_diagnosis_of_another_illness_is_not_the_cancers(pack: Pack) -> None:
    text = "- 12/17/2024: AST 312 / ALT 405 (G3). Dx immune-mediated hepatitis. Both drugs held.\n"
    assert _values(text, pack, "diagnosis_date") == []


def test_clinically_m0(pack: Pack) -> None:
    assert _values("0/3 LN -> pT3a pN0, clinically M0 at the time (stage III).\n", pack, "stage.m") == ["M0"]


def test_an_instruction_to_continue_keeps_the_drug_going(pack: Pack) -> None:
    text = ("Dx: metastatic ccRCC. 1L pembro/axitinib, C1D1 06/24/2024.\n"
            "- Pembrolizumab permanently discontinued d/t G3 immune hepatitis. No rechallenge.\n"
            "A/P: 1. Continue axitinib 3 mg BID.\n")
    got = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert got == {"pembrolizumab": "toxicity", "axitinib": None}


def test_a_bare_flag_between_value_and_range(pack: Pack) -> None:
    got = _values("  Hemoglobin         12.1     L      13.0-17.0 g/dL\n", pack, "labs.hemoglobin")
    assert [(v["value"], v["low"], v["high"]) for v in got if isinstance(v, dict)] == [(12.1, 13.0, 17.0)]


def test_a_value_dated_later_in_its_sentence(pack: Pack) -> None:
    text = "Her haemoglobin was 104 g/L in the emergency department on 02 Jul 2025.\n"
    assert [f.date for f in _facts(text, pack) if f.field == "labs.hemoglobin"] == ["2025-07-02"]


def test_non_specific_nodules_and_an_unfunded_drug(pack: Pack) -> None:
    text = ("CT chest: three sub-4 mm pulmonary nodules, non-specific, for follow-up.\n"
            "We discussed cabozantinib plus nivolumab. Nivolumab is not funded for non-clear-cell histology.\n"
            "Cabozantinib 60 mg daily started 20 Aug 2025.\n")
    assert _values(text, pack, "metastatic_sites") == []
    assert [v["drug"] for v in _values(text, pack, "therapies") if isinstance(v, dict)] == ["cabozantinib"]


def test_not_to_be_rechallenged_is_no_resumption() -> None:
    assert stop_reason("Discontinued. Grade 2 non-infectious pneumonitis; not to be rechallenged") == "toxicity"


def test_a_nephrectomy_not_planned_or_only_to_be_discussed(pack: Pack) -> None:
    text = "She has not had a nephrectomy; cytoreductive nephrectomy is not planned.\n"
    assert _values(text, pack, "nephrectomy") == [{"done": False, "date": None, "type": None}]
    text = "She has not had a nephrectomy; we will discuss cytoreductive nephrectomy at the next MDT.\n"
    assert _values(text, pack, "nephrectomy") == [{"done": False, "date": None, "type": None}]


def test_a_recalled_score_is_older_than_the_message(pack: Pack) -> None:
    text = "ECOG 1 at the last visit on 09/16/2025.\nBack in May you said my ECOG was 0.\n"
    facts = _facts(text, pack, dt.date(2025, 10, 10))
    assert [(f.value, f.date) for f in facts if f.field == "performance_status"] == [
        ({"scale": "ECOG", "value": 1}, "2025-09-16")]


def test_a_visit_mentioned_in_a_letter_does_not_date_it() -> None:
    letter = ("BAYSIDE REGIONAL CANCER CARE\n\n22 August 2025\n\nDear Liam,\n"
              "At her first visit on 25/03/2025 she was ECOG 1.\n")
    assert document_date(letter) == dt.date(2025, 8, 22)


def test_cycles_completed_and_hypoxia() -> None:
    assert stop_reason("05/2021-04/2022 adjuvant pembrolizumab 200 mg q3w x 17 cycles - completed.") == "completed"
    assert stop_reason("belzutifan permanently d/c'd 11/2024 d/t recurrent hypoxia") == "toxicity"


def test_a_date_still_to_come_is_not_a_start(pack: Pack) -> None:
    from kidney_navigator.records.dates import find_dates

    text = "pembrolizumab 400 mg IV q6 weeks + axitinib 5 mg PO BID, target start March 18."
    assert [d.isoformat() for _, _, d in find_dates(text, 0, None, dt.date(2025, 3, 4))] == ["2025-03-18"]
    note = "Regimen: pembrolizumab + axitinib, Cycle 1 Day 1 given today.\nNext: Cycle 2 pembrolizumab 29-Apr-2025.\n"
    starts = [v["start"] for v in _values(note, pack, "therapies") if isinstance(v, dict)]
    assert "2025-04-29" not in starts


def test_a_line_ending_in_a_comma_goes_on(pack: Pack) -> None:
    text = ("He had a CT-guided core biopsy of the right renal mass on 2025-02-10. Pathology (Dr. Q. Ng,\n"
            "Georgian Bay Regional Pathology) shows clear cell renal cell carcinoma, WHO/ISUP grade 3.\n")
    assert _values(text, pack, "diagnosis_date") == ["2025-02-10"]
