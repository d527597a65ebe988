"""General rules found by the thirty-third blind batch (eval/records/unseen30)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.text.cleanup import spoken_punctuation
from tests.records.note_reader import dated_scores, read_note, stop_reasons, values

DAY = dt.date(2024, 12, 2)


def test_a_review_replaces_the_outside_diagnosis(pack: Pack) -> None:
    text = ("OUTSIDE DIAGNOSIS:\n  Renal cell carcinoma, unclassified, favour papillary; Fuhrman grade 2.\n\n"
            "CONSULTATION DIAGNOSIS:\n  LEFT KIDNEY, RADICAL NEPHRECTOMY:\n"
            "  - CLEAR CELL RENAL CELL CARCINOMA, WHO/ISUP GRADE 3\n")
    assert values(text, pack, "histology", DAY) == ["clear_cell"]


def test_spoken_punctuation_of_a_dictation() -> None:
    text = "on 02/04/2025 full stop. Grade 1 rash only comma managed with steroid full stop new paragraph Today"
    cleaned = spoken_punctuation(text)
    assert len(cleaned) == len(text)
    assert "full stop" not in cleaned and "comma" not in cleaned and "\n\n" in cleaned
    assert spoken_punctuation("the bleeding came to a full stop") == "the bleeding came to a full stop"


def test_a_dictated_treatment_paragraph_has_no_stop(pack: Pack) -> None:
    text = ("TREATMENT colon she commenced ipilimumab 3 mg per kg plus nivolumab 1 mg per kg\n"
            "three weekly on 02/04/2025 full stop. Cycle 2 was given 23/04/2025 full stop. Grade 1 rash only comma\n"
            "managed with topical steroid full stop. Cabozantinib is being held in reserve as a second line\n"
            "option full stop.\n")
    assert stop_reasons(read_note(text, pack, dt.date(2025, 5, 13))) == {"ipilimumab": None, "nivolumab": None}


def test_a_date_after_an_acronym_continues_the_sentence(pack: Pack) -> None:
    text = ("2. RECURRENCE\n   Surveillance CT 2019-04-02: multiple new bilateral lung nodules.\n"
            "   A 1.1 cm liver lesion (segment 7) was characterised on MRI\n"
            "   2019-04-15 as a typical haemangioma - benign, no further follow-up needed.\n")
    assert "liver" not in values(text, pack, "metastatic_sites", DAY)


def test_a_numbered_section_with_its_visit_date(pack: Pack) -> None:
    text = ("4. CURRENT STATUS (clinic visit 2024-12-02)\n"
            "   Performance status: ECOG 2 today (was ECOG 1 at the 2024-03-12 visit).\n")
    assert dated_scores(text, pack, None) == {("2024-12-02", 2), ("2024-03-12", 1)}


def test_a_question_about_a_role_and_an_empty_column(pack: Pack) -> None:
    text = ("Lenvatinib 14 mg + everolimus 5 mg daily since 2024-07-08.\n\n"
            "QUESTIONS\n   - Is there a role for continuing lenvatinib/everolimus at 14 mg given\n"
            "     slow lung progression?\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {"lenvatinib": None, "everolimus": None}
    table = ("                 06/27/2024 (baseline)   10/01/2024     ref\n"
             "  Hemoglobin        11.9 (L)               12.4 (L)     13.5-17.5 g/dL\n"
             "  Calcium           -- not drawn --         9.2         8.6-10.3 mg/dL\n")
    got = [(v["date"], v["value"]) for v in values(table, pack, "labs.calcium", DAY) if isinstance(v, dict)]
    assert got == [("2024-10-01", 9.2)]
