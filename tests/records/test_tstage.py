"""pT from stated category, tumour size and extent, with the report's AJCC edition."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.records.tstage import extent, refine, size_category


@given(st.floats(min_value=0.1, max_value=40.0))
def test_size_categories_follow_the_ajcc_cut_offs(size: float) -> None:
    expected = "T1a" if size <= 4 else "T1b" if size <= 7 else "T2a" if size <= 10 else "T2b"
    assert size_category(size) == expected
    assert size_category(size, "6") == (expected if expected.startswith("T1") else "T2")


@given(st.floats(min_value=4.1, max_value=7.0).map(lambda x: round(x, 1)))
def test_stated_t1_gets_its_sub_letter_from_the_size(size: float) -> None:
    text = f"Tumor size: {size} cm. pT1 Tumor <= 7.0 cm limited to the kidney. History: 9 x 8 cm mass on CT."
    finding = refine("T1", text)
    assert finding is not None and finding.value == "T1b"


def test_distances_and_margins_are_not_sizes_or_extent() -> None:
    text = ("Tumor size: 3.1 cm. The mass is 2.6 cm to the renal vein and 13.0 cm to the ureter. "
            "Perirenal adipose tissue: Negative, 1.0 cm from perirenal adipose tissue margin.")
    finding = refine(None, text)
    assert finding is not None and finding.value == "T1a"


def test_ocr_broken_negations() -> None:
    assert extent("The mass does not appear to. penetrate through the capsule into the surrounding perinephric fat.") \
        is None
    found = extent("Tumor infiltrates the perinephric adipose tissue; however, the Gerota's fascia is grossly free. "
                   "of the tumor.")
    assert found is not None and found.value == "T3a"


def test_through_the_capsule_is_t3a_and_the_edition_changes_vein_and_adrenal() -> None:
    found = extent("THE TUMOR EXTENDS THROUGH THE RENAL. CAPSULE BUT IS CONFINED WITHIN GEROTA'S FASCIA.")
    assert found is not None and found.value == "T3a"
    text = "Tumor invades the renal vein. Tumor directly invades the adrenal gland."
    seventh, sixth = extent(text), extent(text + " AJCC Classification (6th Edition).", "6")
    assert seventh is not None and seventh.value == "T4"
    assert sixth is not None and sixth.value == "T3b"
