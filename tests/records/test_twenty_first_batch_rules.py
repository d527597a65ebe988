"""General rules found by the twenty-first blind batch (eval/records/unseen18)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.text.source import document_date
from tests.records.note_reader import values

DAY = dt.date(2025, 7, 20)


def _labs(text: str, pack: Pack, name: str) -> list[tuple[object, object, object]]:
    return [(v["value"], v["unit"], v["date"]) for v in values(text, pack, f"labs.{name}", DAY) if isinstance(v, dict)]


def test_a_discharge_label_dates_the_summary() -> None:
    text = "DISCHARGE SUMMARY\nPatient: Q-B, M   DOB: 04/11/1966\nAdmit: 03/04/2025      Discharge: 03/12/2025\n"
    assert document_date(text) == dt.date(2025, 3, 12)


def test_a_lab_name_ending_a_wrapped_line(pack: Pack) -> None:
    text = ("Bloods 28/06/2023:\n  Hb 128 g/L (115-160), WCC 6.3, neutrophils 4.1 x10^9/L (2.0-7.5), platelets\n"
            "  289 x10^9/L (150-400), creatinine 88 umol/L\n")
    assert _labs(text, pack, "platelets") == [(289.0, "x10^9/L", "2023-06-28")]


def test_a_flowsheet_row_with_its_unit_after_the_name(pack: Pack) -> None:
    text = ("PATHOLOGY (cumulative)\n  Test                 13/07/2025    16/07/2025    Ref range\n"
            "  Neutrophils x10^9/L    7.1           5.2        2.0-7.5\n"
            "  Platelets x10^9/L      318           305        150-400\n")
    assert _labs(text, pack, "platelets") == [(318.0, "x10^9/L", "2025-07-13"), (305.0, "x10^9/L", "2025-07-16")]


def test_a_recalled_approximate_range_is_not_a_result(pack: Pack) -> None:
    assert _labs("Anemia on belzutifan (Hgb ~9-10 in Feb per pt).\n", pack, "hemoglobin") == []
    # a single approximate figure a clinician worked out still counts
    assert [v for v, _, _ in _labs("Corrected calcium ~12 mg/dL (mild hypercalcemia).\n", pack,
                                   "corrected_calcium")] == [12.0]


def test_a_diagnosis_whose_type_wraps_between_renal_and_cell(pack: Pack) -> None:
    text = ("  2024-01-17 CT-guided core biopsy of the left renal mass: clear cell renal\n"
            "            cell carcinoma (nucleolar grade not assigned on core biopsy).\n")
    assert values(text, pack, "diagnosis_date", DAY) == ["2024-01-17"]
