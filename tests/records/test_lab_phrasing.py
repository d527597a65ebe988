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


def test_european_test_names(pack: Pack) -> None:
    text = ("Hämoglobin 11,2 g/dl; Thrombozyten 312 /nl; Neutrophile absolut 5,8 /nl; Kalzium 2,45 mmol/l\n"
            "Piastrine 312 x10^3/uL; Neutrofielen 5,8 x10^9/L; Calcémie 2,45 mmol/L; Albumine 38 g/L\n")
    got = {name: value[0] for name, value in _labs(text, pack).items()}
    assert got == {"hemoglobin": 11.2, "platelets": 312.0, "neutrophils": 5.8, "calcium": 2.45, "albumin": 38.0}


def test_dutch_haemoglobin_in_mmol_per_litre() -> None:
    from kidney_navigator.profile.risk import in_default_unit

    assert round(in_default_unit("hemoglobin", 7.1, "mmol/L"), 1) == 11.4
