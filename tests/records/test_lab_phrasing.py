"""Lab results as printed: a flag between the value and its unit, an upper limit written alone."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource


def _labs(text: str, pack: Pack) -> dict[str, tuple[object, ...]]:
    src = TextSource("n.txt", "Metastatic clear cell renal cell carcinoma.\n" + text + "\n", None, dt.date(2026, 1, 1))
    return {f.field.removeprefix("labs."): (f.value["value"], f.value["unit"], f.value["low"], f.value["high"])
            for f in extract(src, pack, about_kidney_cancer=True)
            if f.field.startswith("labs.") and isinstance(f.value, dict)}


def test_a_flag_before_the_unit_keeps_the_unit_and_range(pack: Pack) -> None:
    text = "Hemoglobin                 10.9 (L)       g/dL          13.5 - 17.5"
    assert _labs(text, pack) == {"hemoglobin": (10.9, "g/dL", 13.5, 17.5)}


def test_an_upper_limit_written_alone(pack: Pack) -> None:
    assert _labs("LDH 450 U/L (upper limit of normal 246)", pack) == {"ldh": (450.0, "U/L", None, 246.0)}
    assert _labs("LDH 450 (ULN 250)", pack) == {"ldh": (450.0, "", None, 250.0)}
    assert _labs("LDH 1.5x ULN", pack) == {}  # a ratio, not a value
