"""General rules found by the thirty-second blind batch (eval/records/unseen29)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import dated_scores, values

DAY = dt.date(2025, 1, 14)


def test_a_timeline_entry_dates_its_score(pack: Pack) -> None:
    text = ("TIMELINE\n 09/27/2024  Initial consult (Dr. Fairbanks + me). KPS 70% - up <50% of day.\n\n"
            "PERFORMANCE STATUS: ECOG 1 today.\n")
    assert dated_scores(text, pack, DAY) == {("2024-09-27", 70), ("2025-01-14", 1)}


def test_a_score_set_to_a_value_and_an_arrow_after_a_negation(pack: Pack) -> None:
    text = ("I'd call that fully active again, so I have\n"
            "updated your ECOG performance status to 0 in your chart today.\n")
    assert values(text, pack, "performance_status", DAY) == [{"scale": "ECOG", "value": 0}]
    text = ("  Tired but pottering in the garden; can self-care but no work around\n"
            "  the farm -> ECOG 2 by phone assessment today.\n")
    assert values(text, pack, "performance_status", DAY) == [{"scale": "ECOG", "value": 2}]


def test_an_entry_of_a_monitoring_log_dates_what_it_says(pack: Pack) -> None:
    text = ("05/03/2024  (week 2)  - Ngaire Brightmore, Oncology Pharmacist\n"
            "  Pazopanib 800 mg daily, started 20/02/2024 as planned.\n\n"
            "03/04/2024  (week 6)  - N. Brightmore\n  Up and about more than half the day -> ECOG 2 today.\n")
    assert dated_scores(text, pack, None) == {("2024-04-03", 2)}


def test_a_persons_decision_written_over_a_line_break() -> None:
    assert stop_reason("I have decided\n  to stop the pazopanib tablets") == "other"
    assert stop_reason("pazopanib was stopped on 10/05/2024 at your request") == "other"
