"""The criteria splitter: headings, bullets, sub-bullets, and properties over generated item lists."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.trials.split import split_criteria

WORDS = st.text(alphabet=st.sampled_from("abcdefghij ≥0123456789-"), min_size=3, max_size=40).filter(
    lambda t: t.strip(" -") and not t.strip().endswith(":"))


@given(st.lists(WORDS, min_size=1, max_size=8), st.lists(WORDS, max_size=8), st.sampled_from(["* ", "- ", "• "]))
def test_every_bullet_becomes_one_item_of_its_kind(inc: list[str], exc: list[str], bullet: str) -> None:
    text = "Inclusion Criteria:\n\n" + "\n".join(bullet + i for i in inc)
    if exc:
        text += "\n\nExclusion Criteria:\n" + "\n".join(bullet + e for e in exc)
    items = split_criteria(text)
    assert [i.kind for i in items] == ["inclusion"] * len(inc) + ["exclusion"] * len(exc)
    assert [i.text for i in items] == [" ".join(t.split()) for t in inc + exc]


@given(st.text(max_size=300))
def test_never_crashes_and_never_returns_empty_items(text: str) -> None:
    assert all(item.text.strip(": ") for item in split_criteria(text))


def test_numbered_upper_case_headings_and_sub_bullets() -> None:
    text = ("KEY INCLUSION CRITERIA:\n1. ECOG 0-1\n2. Adequate marrow function:\n   * ANC ≥ 1500/µL\n"
            "   * Platelets ≥ 100,000/µL\n3. Measurable disease\nKey Exclusion Criteria:\n1. Active brain metastases")
    items = split_criteria(text)
    assert [(i.kind, i.text) for i in items] == [
        ("inclusion", "ECOG 0-1"), ("inclusion", "Adequate marrow function: ANC ≥ 1500/µL"),
        ("inclusion", "Adequate marrow function: Platelets ≥ 100,000/µL"), ("inclusion", "Measurable disease"),
        ("exclusion", "Active brain metastases")]


def test_wrapped_line_joins_the_item_above() -> None:
    items = split_criteria("Inclusion Criteria:\n* Histologically confirmed renal cell\n  carcinoma\n* ECOG 0-2")
    assert [i.text for i in items] == ["Histologically confirmed renal cell carcinoma", "ECOG 0-2"]
