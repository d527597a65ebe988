"""Rules from session 3's own probes: a relative who reports on the patient is an informant, not family history;
the second date of a treatment range is its stop; Zubrod is the ECOG scale; Karnofsky answers coded or written
"KPS 70: ..."."""

from __future__ import annotations

import datetime as dt

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.context import modifiers
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource

HEADER = "Metastatic clear cell renal cell carcinoma.\n"


def _values(text: str, pack: Pack, field: str) -> list[object]:
    facts = extract(TextSource("note.txt", HEADER + text, None, dt.date(2025, 6, 2)), pack, about_kidney_cancer=True)
    return [f.value for f in facts if f.field == field]


@pytest.mark.parametrize("sentence", [
    "ECOG 2 per wife's description.",
    "Per his daughter, ECOG 2 this week.",
    "Caller: patient's wife. ECOG 2 by report.",
    "Husband reports ECOG 2 at home.",
])
def test_an_informant_is_not_family(sentence: str, pack: Pack) -> None:
    assert _values(sentence, pack, "performance_status") == [{"scale": "ECOG", "value": 2}]


def test_family_history_is_still_family() -> None:
    text = "Per wife, his father had kidney cancer."
    start = text.index("kidney cancer")
    assert "family" in modifiers(text, start, start + len("kidney cancer"))


@pytest.mark.parametrize(("line", "stop"), [
    ("1. Keytruda + Inlyta 05/2023 - 11/2024, stopped for progression.", "2024-11-01"),
    ("Sunitinib from 03/2022 to 09/2022 (fatigue).", "2022-09-01"),
])
def test_the_second_date_of_a_range_is_the_stop(line: str, stop: str, pack: Pack) -> None:
    therapies = [v for v in _values(line, pack, "therapies") if isinstance(v, dict)]
    assert therapies and all(t["stop"] == stop for t in therapies)


def test_a_single_start_date_is_not_a_stop(pack: Pack) -> None:
    therapies = _values("Cabozantinib started 12/2024, continues.", pack, "therapies")
    assert [t["stop"] for t in therapies if isinstance(t, dict)] == [None]


@pytest.mark.parametrize("text", ["Zubrod PS 1 today.", "Performance status (Zubrod): 1", "PS 1 (Zubrod)."])
def test_zubrod_is_the_ecog_scale(text: str, pack: Pack) -> None:
    assert _values(text, pack, "performance_status") == [{"scale": "ECOG", "value": 1}]


def test_karnofsky_answers_by_code_or_leading_score() -> None:
    from kidney_navigator.records.performance import coded_score

    assert coded_score("KPS", ["LA29176-7"], ["Able to carry on normal activity"]) == 90
    assert coded_score("KPS", ["LA00000-0"], ["KPS 70: Cares for self; unable to carry on normal activity"]) == 70
    assert coded_score("KPS", ["LA00000-0"], ["Cares for self, 2 visits a week"]) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Performance status: ECOG 1-2.", []),
    ("KPS 70-80%.", []),
    ("Karnofsky score was 90 in March, now 70.", [{"scale": "KPS", "value": 70}]),
    ("ECOG performance status 3 on admission, improved to 2 at discharge.", [{"scale": "ECOG", "value": 2}]),
    ("ECOG 1, now on day 3 of cycle 2.", [{"scale": "ECOG", "value": 1}]),
])
def test_score_ranges_and_later_values(text: str, expected: list[object], pack: Pack) -> None:
    assert _values(text, pack, "performance_status") == expected
