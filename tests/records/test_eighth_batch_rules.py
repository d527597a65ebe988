"""General rules found by the eighth blind batch (eval/records/unseen5): results flowsheets, dose-administration
tables, options lists in one sentence, deferred operations, synoptic 'Label:   value' lines, dates that open a lab
line, 'not restarted', immune-mediated toxicity, bound-in documents with their own dates."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource, document_date
from kidney_navigator.records.text.therapy_words import stop_reason

HEADER = "Metastatic clear cell renal cell carcinoma.\n"
DATE = dt.date(2025, 7, 29)


def _facts(text: str, pack: Pack) -> list:  # type: ignore[type-arg]
    return extract(TextSource("note.txt", HEADER + text, None, DATE), pack, about_kidney_cancer=True)


def _values(text: str, pack: Pack, field: str) -> list[object]:
    return [f.value for f in _facts(text, pack) if f.field == field]


FLOWSHEET = """Flowsheet: HEME/ONC LABS
                       6/3/2025     6/17/2025     7/8/2025      7/29/2025     Ref Range       Units
CBC W/ DIFF
 HGB                   12.1 (L)     12.3 (L)      12.4 (L)      12.6 (L)      13.5 - 17.5     g/dL
 ABS NEUT              5.9          6.2           4.8           4.2           1.8 - 7.7       K/uL
"""


def test_a_flowsheet_gives_one_value_per_column_date(pack: Pack) -> None:
    hb = {v["date"]: v["value"] for v in _values(FLOWSHEET, pack, "labs.hemoglobin") if isinstance(v, dict)}
    assert hb == {"2025-06-03": 12.1, "2025-06-17": 12.3, "2025-07-08": 12.4, "2025-07-29": 12.6}
    [first] = [v for v in _values(FLOWSHEET, pack, "labs.neutrophils") if isinstance(v, dict)][:1]
    assert (first["low"], first["high"], first["unit"]) == (1.8, 7.7, "K/uL")


def test_a_prose_line_with_two_dates_is_not_a_flowsheet_header(pack: Pack) -> None:
    text = ("Started sunitinib 01/2025 and stopped 03/2025.\nBloods on 01/04/2025, before treatment:\n"
            "   Haemoglobin         118 g/L          (115 - 165)\n")
    [hb] = _values(text, pack, "labs.hemoglobin")
    assert isinstance(hb, dict) and hb["value"] == 118


DOSES = """Date         Cyc  Drug          Dose      Route   Status      Comments
-----------  ---  ------------  --------  ------  ----------  ----------------------------------
2025-02-18   1    nivolumab     180 mg    IV      GIVEN       3 mg/kg
2025-02-18   1    ipilimumab    60 mg     IV      GIVEN       1 mg/kg
2025-05-06   4    ipilimumab    60 mg     IV      GIVEN       Dose 4 of 4 - ipilimumab induction completed
2025-06-24   6    cabozantinib  40 mg     PO      SCHEDULED
"""


def test_a_dose_administration_table(pack: Pack) -> None:
    got = {v["drug"]: (v["start"], v["stop_reason"]) for v in _values(DOSES, pack, "therapies") if isinstance(v, dict)}
    assert got == {"nivolumab": ("2025-02-18", None), "ipilimumab": ("2025-02-18", "completed")}


def test_options_in_one_sentence_and_deferred_operations(pack: Pack) -> None:
    text = ("Systemic therapy: reviewed first-line options in detail - pembrolizumab + axitinib, nivolumab +\n"
            "cabozantinib, and nivolumab + ipilimumab.\nHe has not had a nephrectomy. Nephrectomy deferred per "
            "Urology.\n")
    assert _values(text, pack, "therapies") == []
    assert _values(text, pack, "nephrectomy") == [{"done": False, "date": None, "type": None}]


def test_synoptic_label_and_value(pack: Pack) -> None:
    text = ("Date of diagnosis:         01/16/2024 (radical nephrectomy pathology)\n"
            "  WHO/ISUP nuclear grade:        Grade 4 (focal rhabdoid morphology)\n"
            "  Sarcomatoid features:          Not identified\n")
    facts = {f.field: f.value for f in _facts(text, pack) if f.field in ("diagnosis_date", "grade", "sarcomatoid")}
    assert facts == {"diagnosis_date": "2024-01-16", "grade": 4, "sarcomatoid": False}


def test_a_date_that_opens_the_lab_line_dates_it(pack: Pack) -> None:
    text = "  10/03/2025: Ca 12.1 (H), Alb 2.6 (L)\n  10/05/2025: Ca 10.6 (H), Cr 1.4\n"
    facts = extract(TextSource("n.txt", HEADER + text, None, dt.date(2025, 10, 6)), pack, about_kidney_cancer=True)
    calcium = {f.value["date"]: f.value["value"] for f in facts if f.field == "labs.calcium"}
    assert calcium == {"2025-10-03": 12.1, "2025-10-05": 10.6}


def test_not_restarted_and_immune_mediated_toxicity() -> None:
    assert stop_reason("Discontinued - drug-induced pneumonitis (grade 2); not restarted") == "toxicity"
    assert stop_reason("Immune-mediated nephritis with grade 3 kidney injury stopped") == "toxicity"


def test_letter_date_on_its_own_line() -> None:
    assert document_date("ST FINTAN'S HOSPITAL\nSecretary: 091 555 861\n\n3rd June 2025\n\nDr M Gilligan\n") == \
        dt.date(2025, 6, 3)


def test_corrected_calcium_in_brackets_and_ratios_to_the_limit(pack: Pack) -> None:
    text = "Labs today: Hb 10.4 g/dL (L), Ca (corr) 2.61 mmol/L. LDH 1.5 x ULN.\n"
    assert [v["value"] for v in _values(text, pack, "labs.corrected_calcium") if isinstance(v, dict)] == [2.61]
    assert _values(text, pack, "labs.calcium") == [] and _values(text, pack, "labs.ldh") == []
