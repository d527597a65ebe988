"""ConText rules: negation, history, family, hypothetical, planned, declined and uncertain mentions."""

from __future__ import annotations

import pytest

from kidney_navigator.records.context import affirmed, modifiers


@pytest.mark.parametrize(
    ("sentence", "target", "category"),
    [
        ("No evidence of intracranial metastatic disease.", "intracranial metastatic", "negated"),
        ("Father had kidney cancer at age 60.", "kidney cancer", "family"),
        ("Offered pembrolizumab but declined.", "pembrolizumab", "hypothetical"),
        ("If progression, consider cabozantinib.", "cabozantinib", "hypothetical"),
        ("Plan to start pembrolizumab next month.", "pembrolizumab", "planned"),
        ("History of left nephrectomy 2015.", "nephrectomy", "historical"),
        ("Bone scan negative for metastatic disease.", "metastatic disease", "negated"),
        ("Possible liver lesion, indeterminate.", "liver lesion", "uncertain"),
        ("Sarcomatoid features: not identified.", "Sarcomatoid features", "negated"),
        ("Patient declined sunitinib after discussion.", "sunitinib", "declined"),
    ],
)
def test_modifier_found(sentence: str, target: str, category: str) -> None:
    start = sentence.index(target)
    assert category in modifiers(sentence, start, start + len(target))


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("No change in lung metastases.", "lung metastases"),
        ("CT shows new liver metastases.", "liver metastases"),
        ("Started sunitinib on 2023-02-01.", "sunitinib"),
        ("No fever. Bone metastases in the spine.", "Bone metastases"),
    ],
)
def test_affirmed_mentions(sentence: str, target: str) -> None:
    start = sentence.index(target)
    assert affirmed(sentence, start, start + len(target))
