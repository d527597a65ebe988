"""General rules found by the tenth blind batch (eval/records/unseen7): counts of completed doses, pipe-table
continuation rows, a sample's date over its report's, running records with dated sections, flowsheets with
yearless column dates, and the usual next option."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource
from kidney_navigator.records.text.therapy_words import stop_reason

HEADER = "Metastatic clear cell renal cell carcinoma.\n"


def _values(text: str, pack: Pack, field: str, when: dt.date = dt.date(2025, 2, 15)) -> list[object]:
    facts = extract(TextSource("note.txt", HEADER + text, None, when), pack, about_kidney_cancer=True)
    return [f.value for f in facts if f.field == field]


def test_completed_dose_counts() -> None:
    assert stop_reason("ipi x4 completed, ") == "completed"
    assert stop_reason("4 doses completed") == "completed"


def test_a_drug_with_its_own_stop_keeps_its_reason(pack: Pack) -> None:
    text = ("Prior ipi/nivo 2/2024; ipi x4 completed, nivo d/c'd 3/2025 for grade 3 immune hepatitis.\n")
    reasons = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert reasons["ipilimumab"] == "completed" and reasons["nivolumab"] != "completed"


def test_pipe_table_continuation_row(pack: Pack) -> None:
    text = ("  Line | Regimen                          | Start   | Stop    | Reason off\n"
            "  1    | pembrolizumab 200 mg IV q3w +     | 09/2021 | 02/2024 | PD - new pancreatic tail met\n"
            "       | axitinib 5 mg PO BID              |         |         |\n")
    reasons = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert reasons == {"pembrolizumab": "progression", "axitinib": "progression"}


def test_the_sample_date_not_the_report_date(pack: Pack) -> None:
    text = ("HISTOLOGY\nUS-guided core biopsy L renal mass 26/08/2025 (reported 02/09/2025, Dr P. Okafor):\n"
            "Clear cell renal cell carcinoma, WHO/ISUP grade 3.\n")
    assert _values(text, pack, "diagnosis_date", dt.date(2025, 9, 18)) == ["2025-08-26"]


def test_a_labelled_diagnosis_block(pack: Pack) -> None:
    text = ("Diagnosis:  Metastatic clear cell renal cell carcinoma (left kidney), WHO/ISUP grade 3\n"
            "            Biopsy 26/08/2025. cT3a cN1 cM1.\n")
    assert _values(text, pack, "diagnosis_date", dt.date(2025, 9, 18)) == ["2025-08-26"]


def test_flowsheet_with_yearless_column_dates(pack: Pack) -> None:
    text = ("SELECTED LABS                 02/08   02/11   02/13   02/15   Ref range\n"
            "  Hemoglobin (g/dL)           10.2    9.4     9.1     9.6     12.0-15.5\n")
    hb = {v["date"]: v["value"] for v in _values(text, pack, "labs.hemoglobin") if isinstance(v, dict)}
    assert hb == {"2025-02-08": 10.2, "2025-02-11": 9.4, "2025-02-13": 9.1, "2025-02-15": 9.6}


def test_a_running_record_dates_its_sections(pack: Pack) -> None:
    text = ("== CYCLE 1  DAY 1 ==  Date: 29/09/2025\nPS (WHO) 1\n\n"
            "== CYCLE 2  DAY 1 ==  Date: 20/10/2025\nPre-cycle bloods 20/10/2025:\n  Hb 101 g/L   Neut 6.6\n")
    [neut] = _values(text, pack, "labs.neutrophils", dt.date(2025, 9, 29))
    assert isinstance(neut, dict) and neut["date"] == "2025-10-20"


def test_the_usual_next_option_is_not_received(pack: Pack) -> None:
    assert _values("Cabozantinib would be the usual next option at progression.", pack, "therapies") == []
