"""General rules found by the seventeenth blind batch (eval/records/unseen14) and the last unseen8 miss."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Fact
from tests.records.note_reader import read_note

DAY = dt.date(2025, 3, 18)


def _values(text: str, pack: Pack, field: str, date: dt.date | None = DAY) -> list[object]:
    return [f.value for f in read_note(text, pack, date) if f.field == field]


def _starts(text: str, pack: Pack, date: dt.date | None = DAY) -> dict[str, object]:
    return {v["drug"]: v["start"] for v in _values(text, pack, "therapies", date) if isinstance(v, dict)}


def test_a_yearless_date_opening_a_lab_line_takes_the_notes_year(pack: Pack) -> None:
    text = "LABS (Feb 26): Hgb 121 g/L, plt 412, neutrophils 6.1.\n"
    dates = {v["date"] for v in _values(text, pack, "labs.hemoglobin", dt.date(2025, 3, 4)) if isinstance(v, dict)}
    assert dates == {"2025-02-26"}


def test_a_yearless_lab_date_is_never_after_the_note(pack: Pack) -> None:
    # a month and day later in the year than the note belong to the year before
    text = "Labs Dec 30: Hgb 10.2 g/dL.\n"
    dates = {v["date"] for v in _values(text, pack, "labs.hemoglobin", dt.date(2025, 1, 5)) if isinstance(v, dict)}
    assert dates == {"2024-12-30"}


def test_at_the_same_date_the_printout_with_its_range_wins(pack: Pack) -> None:
    printout = read_note("Collected 2025-02-26\nHemoglobin   121   L   135 - 175   g/L\n", pack, dt.date(2025, 2, 26))
    letter = read_note("LABS (Feb 26): Hgb 121 g/L, creatinine 98.\n", pack, dt.date(2025, 3, 4))
    for order in ([*printout, *letter], [*letter, *printout]):
        lab = build_profile(order, pack, dt.date(2025, 4, 1)).labs["hemoglobin"]
        assert (lab.value, lab.low, lab.high) == (121.0, 135.0, 175.0)


def test_the_newer_value_still_wins_over_an_older_printout(pack: Pack) -> None:
    printout = read_note("Collected 2025-02-26\nHemoglobin   121   L   135 - 175   g/L\n", pack, dt.date(2025, 2, 26))
    later = read_note("Labs 2025-03-10: Hgb 109 g/L.\n", pack, dt.date(2025, 3, 10))
    assert build_profile([*printout, *later], pack, dt.date(2025, 4, 1)).labs["hemoglobin"].value == 109.0


def test_a_clock_timed_entry_in_a_first_cycle_record_is_a_dose_given(pack: Pack) -> None:
    text = ("NURSING TREATMENT RECORD   Date: 18-Mar-2025\nRegimen: pembrolizumab q6w   Cycle 1 Day 1\n\n"
            "Administration:\n 13:05  Pembrolizumab 400 mg in NS 100 mL via filter, IV over 30 min\n"
            " 13:37  Infusion complete, no reaction.\n")
    assert _starts(text, pack) == {"pembrolizumab": "2025-03-18"}


def test_a_clock_timed_entry_that_was_held_is_not_a_dose(pack: Pack) -> None:
    text = ("NURSING TREATMENT RECORD   Date: 18-Mar-2025\nRegimen: pembrolizumab q6w   Cycle 1 Day 1\n\n"
            "Administration:\n 13:05  Pembrolizumab held, ALT 5x ULN, MD notified\n")
    assert _starts(text, pack).get("pembrolizumab") is None


def test_a_timed_entry_outside_a_first_cycle_record_gives_no_start(pack: Pack) -> None:
    # a clock time alone does not make a dose; the record must be a first-cycle administration record
    text = "Phone call.\n 13:05  Pembrolizumab questions answered, wife asked about side effects\n"
    assert _starts(text, pack).get("pembrolizumab") is None


def test_the_first_dose_taken_in_the_next_sentence(pack: Pack) -> None:
    text = ("Oral therapy teaching:\n Axitinib 5 mg tablet PO BID dispensed by outpatient pharmacy (56 tabs). "
            "Patient took first dose\n in clinic at 13:45 with water.\n")
    assert _starts(text, pack) == {"axitinib": "2025-03-18"}


def test_a_first_dose_not_yet_taken_gives_no_start(pack: Pack) -> None:
    text = "Axitinib 5 mg tablet PO BID dispensed. He has not taken the first dose yet.\n"
    assert _starts(text, pack).get("axitinib") is None


def test_the_next_sentence_about_another_drug_is_not_this_ones(pack: Pack) -> None:
    text = "Axitinib 5 mg PO BID dispensed. Took first dose of loperamide for diarrhea.\n"
    assert _starts(text, pack).get("axitinib") is None


def test_a_first_cycle_given_in_the_next_clause_with_its_date(pack: Pack) -> None:
    text = ("3. Systemic therapy: Given poor-risk disease, started nivolumab 3 mg/kg +\n"
            "   ipilimumab 1 mg/kg; C1D1 given inpatient 03/08/2025, tolerated without infusion reaction.\n")
    assert _starts(text, pack, dt.date(2025, 3, 9)) == {"nivolumab": "2025-03-08", "ipilimumab": "2025-03-08"}


def test_a_yearless_date_ending_the_biopsy_sentence_is_the_diagnosis(pack: Pack) -> None:
    text = ("Newly diagnosed metastatic kidney cancer.\n   IR core biopsy R renal mass 03/04. Path (S25-04117, "
            "final 03/06):\n   clear cell RCC, WHO/ISUP grade 4.\n")
    assert _values(text, pack, "diagnosis_date", dt.date(2025, 3, 9)) == ["2025-03-04"]


def test_a_fraction_in_the_biopsy_sentence_is_not_a_date(pack: Pack) -> None:
    text = "Core biopsy of the renal mass, 3/4 cores involved. Path: clear cell RCC, grade 3.\n"
    assert _values(text, pack, "diagnosis_date", dt.date(2025, 3, 9)) == []


def test_facts_are_plain_data(pack: Pack) -> None:
    # the rules above return the profile's own fact objects, each with its evidence
    facts = read_note("LABS (Feb 26): Hgb 121 g/L.\n", pack, dt.date(2025, 3, 4))
    lab = next(f for f in facts if f.field == "labs.hemoglobin")
    assert isinstance(lab, Fact) and lab.evidence.text.startswith("Hgb 121")
