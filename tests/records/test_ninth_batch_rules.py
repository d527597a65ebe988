"""General rules found by the ninth blind batch (eval/records/unseen6): "Neut 4.4", flowsheets with thousands,
units in brackets and a reference-range column, FHIR calcium in mmol/L (LOINC 2000-8), a sentence that ends with
".)", and documents whose slash dates can be read either way."""

from __future__ import annotations

import datetime as dt
import json

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.context import modifiers
from kidney_navigator.records.dates import day_first
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource

HEADER = "Metastatic clear cell renal cell carcinoma.\n"


def _values(text: str, pack: Pack, field: str, when: dt.date = dt.date(2025, 11, 18)) -> list[object]:
    facts = extract(TextSource("note.txt", HEADER + text, None, when), pack, about_kidney_cancer=True)
    return [f.value for f in facts if f.field == field]


def test_neut_alone_is_the_absolute_count(pack: Pack) -> None:
    [lab] = _values("Labs drawn yesterday (2025-11-17):\n     Hb 124 g/L | WBC 6.0 | Neut 4.4 | Plt 288\n", pack,
                    "labs.neutrophils")
    assert isinstance(lab, dict) and lab["value"] == 4.4
    assert _values("Neut 62 %\n", pack, "labs.neutrophils") == []


TABLE = """INVESTIGATIONS
  Parameter            02/08/2025   04/08/2025   09/08/2025   Ref. range
  -------------------  ----------   ----------   ----------   -----------
  Haemoglobin (g/dL)      9.6          8.7*         9.4       13.0-17.0
  ANC (cells/cumm)       8,400        7,300        6,500      2000-7000
  Platelets (10^3/uL)     512          498          472       150-410
  LDH (U/L)               412           --           --       125-220
"""


def test_flowsheet_with_thousands_units_and_a_range_column(pack: Pack) -> None:
    when = dt.date(2025, 8, 11)
    latest = {}
    for name in ("hemoglobin", "neutrophils", "platelets", "ldh"):
        values = [v for v in _values(TABLE, pack, f"labs.{name}", when) if isinstance(v, dict)]
        latest[name] = max(values, key=lambda v: v["date"])["value"]
    assert latest == {"hemoglobin": 9.4, "neutrophils": 6500, "platelets": 472, "ldh": 412}


def test_a_sentence_that_ends_inside_a_bracket() -> None:
    text = "(Grading not assigned on metastatic biopsy.) The diagnosis was thus established on 05/08/2025."
    start = text.index("diagnosis")
    assert "negated" not in modifiers(text, start, start + len("diagnosis"))


def test_ambiguous_slash_dates_in_one_month_are_day_first() -> None:
    assert day_first("Admitted 01/08/2025. CT 02/08/2025. Biopsy 05/08/2025. Discharged 11/08/2025.")
    assert not day_first("Seen 03/04/2025. Next visit 05/06/2025. Scan 07/08/2025.")


def test_fhir_calcium_in_moles(pack: Pack) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.2"}]}}
    calcium = {"resourceType": "Observation", "id": "o1", "status": "final", "subject": {"reference": "Patient/p"},
               "code": {"coding": [{"system": "http://loinc.org", "code": "2000-8"}], "text": "Calcium"},
               "effectiveDateTime": "2025-09-01", "valueQuantity": {"value": 2.33, "unit": "mmol/L"}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": condition}, {"resource": calcium}]}
    facts = read_fhir(json.dumps(bundle), "b.json", pack).facts
    assert [f.value["value"] for f in facts if f.field == "labs.calcium"] == [2.33]
