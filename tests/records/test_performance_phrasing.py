"""Performance status as people write it: words for numbers, leaders, no scale named, ranges that are no score."""

from __future__ import annotations

import datetime as dt

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource


def _scores(text: str, pack: Pack) -> list[object]:
    src = TextSource("n.txt", "Metastatic clear cell renal cell carcinoma.\n" + text + "\n", None, dt.date(2026, 1, 1))
    return [f.value for f in extract(src, pack, about_kidney_cancer=True) if f.field == "performance_status"]


@pytest.mark.parametrize(("text", "scale", "value"), [
    ("ECOG: one", "ECOG", 1),
    ("At discharge she is ECOG three.", "ECOG", 3),
    ("ECOG grade 1", "ECOG", 1),
    ("performance status of 1", "ECOG", 1),
    ("Perf status 2", "ECOG", 2),
    ("Eastern Cooperative Oncology Group (ECOG) performance status of 1", "ECOG", 1),
    ("ECOG Performance Status......1", "ECOG", 1),
    ("Karnofsky index 70", "KPS", 70),
    ("Functional status (Karnofsky): 90", "KPS", 90),
    ("performance status of 70%", "KPS", 70),
])
def test_written_scores(text: str, scale: str, value: int, pack: Pack) -> None:
    assert _scores(text, pack) == [{"scale": scale, "value": value}]


@pytest.mark.parametrize("text", ["ECOG status 0/1", "ECOG 1-2", "KPS 70-80", "performance status 20 minutes after"])
def test_no_single_score(text: str, pack: Pack) -> None:
    assert _scores(text, pack) == []
