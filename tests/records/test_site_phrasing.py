"""Metastatic sites and grades as reports and registries write them."""

from __future__ import annotations

import datetime as dt

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource


def _sites(text: str, pack: Pack) -> list[str]:
    src = TextSource("n.txt", "Metastatic clear cell renal cell carcinoma.\n" + text + "\n", None, dt.date(2026, 1, 10))
    return sorted({str(f.value) for f in extract(src, pack, about_kidney_cancer=True) if f.field == "metastatic_sites"})


@pytest.mark.parametrize(("text", "sites"), [
    ("Known mets: pulm, osseous (T10, sacrum), hepatic.", ["bone", "liver", "lung"]),
    ("Disease burden: lung (multiple), liver (segment 7), bone (iliac).", ["bone", "liver", "lung"]),
    ("Stage at diagnosis: pT3a pN0 M1 (PUL, OSS, HEP)", ["bone", "liver", "lung"]),
    ("Malignant pleural effusion, cytology positive for RCC.", ["other"]),
    ("Peritoneal carcinomatosis.", ["other"]),
    ("Soft tissue metastasis in the left gluteal muscle.", ["other"]),
    # a bone lesion's soft tissue extension is still the bone
    ("Lytic metastasis of the D10 vertebral body with paravertebral soft tissue extension.", ["bone"]),
    # "concerning for" is not yet a reported metastasis
    ("CT: multiple new hepatic lesions concerning for metastatic disease.", []),
])
def test_sites(text: str, sites: list[str], pack: Pack) -> None:
    assert _sites(text, pack) == sites


@pytest.mark.parametrize(("text", "grade"), [
    ("Histologic type: Clear cell renal cell carcinoma\nHistologic grade (WHO/ISUP): G3", 3),
    ("Nuclear grade: 2", 2),
])
def test_synoptic_grades(text: str, grade: int, pack: Pack) -> None:
    src = TextSource("p.txt", "Renal cell carcinoma.\n" + text + "\n")
    assert [f.value for f in extract(src, pack, about_kidney_cancer=True) if f.field == "grade"] == [grade]
