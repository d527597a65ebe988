"""General rules found by the eleventh blind batch (eval/records/unseen8)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource

HEADER = "Metastatic clear cell renal cell carcinoma.\n"


def _values(text: str, pack: Pack, field: str) -> list[object]:
    facts = extract(TextSource("note.txt", HEADER + text, None, dt.date(2025, 11, 18)), pack, about_kidney_cancer=True)
    return [f.value for f in facts if f.field == field]


def test_grades_written_with_leaders_or_gr(pack: Pack) -> None:
    assert _values("  WHO/ISUP grade ....... 3\n", pack, "grade") == [3]
    assert _values("pT3a N0 M0, ISUP gr 3, no sarcomatoid.\n", pack, "grade") == [3]


def test_discussed_and_not_offered_or_not_chosen(pack: Pack) -> None:
    text = ("Adjuvant pembrolizumab discussed - evidence is for clear cell histology, so not offered.\n"
            "Cabozantinib discussed as alternative - not chosen.\n")
    assert _values(text, pack, "therapies") == []


def test_relapse_sites_and_deposits(pack: Pack) -> None:
    text = "- Relapse 05/2023: liver (segments 4 and 7) and right adrenal; adrenal lesion biopsied.\n"
    assert sorted(str(v) for v in _values(text, pack, "metastatic_sites")) == ["adrenal", "liver"]


def test_histology_followed_by_its_operation_and_date(pack: Pack) -> None:
    text = "HPI: 64M hx of R clear cell RCC, s/p R radical nephrectomy 3/14/2022 at St. Adalbert's.\n"
    assert _values(text, pack, "diagnosis_date") == ["2022-03-14"]


def test_two_rows_for_one_drug_and_a_joined_first_cell(pack: Pack) -> None:
    text = ("  ------------------------------------------------------------------------\n"
            "  Agent          Start        Stop         Doses   Reason stopped\n"
            "  ------------------------------------------------------------------------\n"
            "  Nivolumab +    2025-06-23   2025-08-25   4       Induction completed\n"
            "  ipilimumab                                       (all 4 combo doses given)\n"
            "  Nivolumab      2025-09-15   2025-10-06   2       Gr 3 immune colitis ->\n"
            "  (maintenance)                                    permanently discontinued\n"
            "  ------------------------------------------------------------------------\n")
    got = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert got == {"nivolumab": "toxicity", "ipilimumab": "completed"}
