"""General rules found by the twenty-third blind batch (eval/records/unseen20); its other misses are still open."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.text.therapies import RECEIVED_SIGN
from tests.records.note_reader import drugs, read_note, stop_reasons

DAY = dt.date(2025, 3, 20)


def test_a_choice_still_open_between_two_regimens(pack: Pack) -> None:
    text = ("Tumour board recommendation (05.03.2025):\nSystemic first-line therapy, either nivolumab + ipilimumab "
            "or pembrolizumab\n+ axitinib; alternatively, given low-volume disease, a period of active\n"
            "surveillance could be considered.\n")
    assert drugs(text, pack, DAY) == set()


def test_given_as_a_preposition_is_no_sign_of_a_dose() -> None:
    assert RECEIVED_SIGN.search("alternatively, given low-volume disease") is None
    assert RECEIVED_SIGN.search("given his age") is None
    assert RECEIVED_SIGN.search("C1D1 given 06/27/2024") is not None
    assert RECEIVED_SIGN.search("400 mg given IV over 30 min") is not None


def test_completed_before_the_drug_is_its_stop_reason(pack: Pack) -> None:
    text = "REASON FOR VISIT: Transition to survivorship care after completing adjuvant\npembrolizumab for ccRCC.\n"
    assert stop_reasons(read_note(text, pack, DAY)) == {"pembrolizumab": "completed"}
