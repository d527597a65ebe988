"""General rules found by the twenty-sixth blind batch (eval/records/unseen23)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import read_note, stop_reasons, values

DAY = dt.date(2024, 10, 14)


def test_surgery_to_remove_the_kidney_is_an_operations_purpose(pack: Pack) -> None:
    text = (" * Walter has not had a nephrectomy; the right kidney is still in place. Surgery\n"
            "   to remove the kidney is not being recommended right now.\n")
    assert values(text, pack, "nephrectomy", DAY) == [{"done": False, "date": None, "type": None}]


def test_a_relatives_story_goes_on_after_and_has(pack: Pack) -> None:
    text = ("Family history: her older brother Hemi had a right nephrectomy for clear cell\n"
            "kidney cancer in 2015 in Dunedin and has since developed lung metastases for which\n"
            "he is on immunotherapy.\n")
    assert values(text, pack, "metastatic_sites", DAY) == []


def test_a_diagnosis_heading_over_an_indented_block(pack: Pack) -> None:
    text = ("DIAGNOSIS\n"
            "  Clear cell renal cell carcinoma, right kidney, ISUP grade 4 with sarcomatoid\n"
            "  features - core biopsy 08/07/2024.\n"
            "  Staging CT chest/abdomen (15/07/2024): 11 cm right renal mass.\n")
    assert values(text, pack, "diagnosis_date", dt.date(2024, 7, 22)) == ["2024-07-08"]


def test_a_colon_after_a_negated_word_opens_a_new_clause(pack: Pack) -> None:
    text = ("- On 10/10/2024 he presented with grade 3 hand-foot syndrome, grade 3\n"
            "  mucositis and could not eat: sunitinib STOPPED permanently 10/10/2024 for\n  toxicity.\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {"sunitinib": "toxicity"}


def test_adjuvant_therapy_completed() -> None:
    assert stop_reason("200 mg q3w 2022-07-04 to 2023-06-12, 17 cycles - full\n"
                       "   year of adjuvant therapy completed.") == "completed"
