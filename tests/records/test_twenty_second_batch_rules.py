"""General rules found by the twenty-second blind batch (eval/records/unseen19)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from tests.records.note_reader import read_note, values

DAY = dt.date(2024, 12, 9)

ADMIN_LOG = """PEMBROLIZUMAB ADMINISTRATION LOG

Cycle  Date        Dose    Given  Pre-tx ECOG  Comments
-----  ----------  ------  -----  -----------  -------------------------------
C1     03/11/2024  400 mg  Yes    1            Lenvatinib 20 mg daily started
                                               same day.
C6     10/15/2024  400 mg  Yes    0            Working full days again.
C7     11/26/2024  400 mg  Yes    0            Tolerating well.
"""


def test_a_score_column_in_a_table_of_dated_rows(pack: Pack) -> None:
    scores = [(f.value["value"], f.date) for f in read_note(ADMIN_LOG, pack, DAY)
              if f.field == "performance_status" and isinstance(f.value, dict)]
    assert (0, "2024-11-26") in scores and (1, "2024-03-11") in scores


def test_a_table_heading_needs_columns_not_a_sentence(pack: Pack) -> None:
    text = "Her ECOG was discussed with the family today.\nC7  11/26/2024  400 mg  Yes  0\n"
    assert [f for f in read_note(text, pack, DAY) if f.field == "performance_status"] == []


def test_a_reference_range_line_is_not_a_result(pack: Pack) -> None:
    text = ("Date        ANC    Hgb    Plt\n11/26/2024  4.1    12.6   221\n\n"
            "Reference: ANC 1.8-7.7; Hgb 12.0-15.5; Plt 150-400;\n")
    got = {v["value"] for v in values(text, pack, "labs.hemoglobin", DAY) if isinstance(v, dict)}
    assert got == {12.6}


def test_m0_on_the_line_after_the_node_count(pack: Pack) -> None:
    text = "R radical nephrectomy 09/11/2021 - pRCC, ISUP grade 3, pT2a pN1 (1/4 nodes)\n  M0. Relapse 05/2023.\n"
    assert values(text, pack, "stage.m", DAY) == ["M0"]
