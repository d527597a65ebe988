"""General rules found by the twenty-eighth blind batch (eval/records/unseen25)."""

from __future__ import annotations

import datetime as dt

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.dates import find_dates
from tests.records.note_reader import dated_scores, values

DAY = dt.date(2025, 1, 14)


def test_a_dash_after_a_negated_word_opens_a_new_clause(pack: Pack) -> None:
    text = "Functional status: fully active, working as a cleaner 6 h/day, no restrictions \u2014 ECOG 0.\n"
    assert values(text, pack, "performance_status", DAY) == [{"scale": "ECOG", "value": 0}]


def test_today_in_a_record_of_dated_visits_is_that_visits_day(pack: Pack) -> None:
    text = ("NEW PATIENT VISIT                                   Date of service: 10/24/2024\n"
            "Exam: thin, tired. Tender over T10.\nECOG performance status: 2.\n\n"
            "-----------------------------------------------------------------------------\n"
            "FOLLOW-UP VISIT                                     Date of service: 01/14/2025\n"
            "Per interpreter she is walking to the corner store. ECOG 1 today.\n")
    assert dated_scores(text, pack, dt.date(2024, 10, 24)) == {("2025-01-14", 1), ("2024-10-24", 2)}


@pytest.mark.parametrize(("written", "day"), [
    ("11 mai 2023", dt.date(2023, 5, 11)), ("28 août 2023", dt.date(2023, 8, 28)),
    ("14 janvier 2024", dt.date(2024, 1, 14)), ("1er mars 2022", dt.date(2022, 3, 1)),
    ("03 de junio de 2016", dt.date(2016, 6, 3)), ("3 de junho de 2016", dt.date(2016, 6, 3)),
    ("12 marzo 2021", dt.date(2021, 3, 12)), ("Mai 2024", dt.date(2024, 5, 1)),
    ("11 Feb 2020", dt.date(2020, 2, 11)), ("March 3, 2021", dt.date(2021, 3, 3)),
])
def test_month_names_of_other_languages(written: str, day: dt.date) -> None:
    assert [d for _, _, d in find_dates(written)] == [day]


def test_a_french_diagnosis_date(pack: Pack) -> None:
    text = ("Papillary renal cell carcinoma, diagnosed by CT-guided core biopsy of the right renal mass on\n"
            "11 mai 2023 (pathology S23-04417).\n")
    assert values(text, pack, "diagnosis_date", DAY) == ["2023-05-11"]
