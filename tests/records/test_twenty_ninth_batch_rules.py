"""General rules found by the twenty-ninth blind batch (eval/records/unseen26)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_ccda import read_ccda
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import dated_scores, read_note, stop_reasons, values

DAY = dt.date(2024, 12, 16)


def test_the_time_an_infusion_completed_is_no_completion() -> None:
    assert stop_reason("completed 10:14, no rxn") is None
    assert stop_reason("completed 4 cycles") == "completed"


def test_m0_at_that_time(pack: Pack) -> None:
    text = ("22/08/2017: clear cell RCC, ISUP grade 2, pT1b, margins clear, no nodes sampled (pNX),\n"
            "    M0 at that time. Surveillance thereafter.\n")
    assert values(text, pack, "stage.m", DAY) == ["M0"]


def test_a_lab_table_whose_headings_carry_units(pack: Pack) -> None:
    text = ("Pre-SACT bloods (must be within 72 h)\n"
            "  Date         Hb g/dL   WCC     Neut x10^9/L   Plt x10^9/L   Ca mmol/L   Alb g/L   TSH mU/L\n"
            "  05-Jan-2025  12.9      6.1     3.8            214           2.38        40        2.1\n"
            "  10-Mar-2025  12.4      5.2     2.9            188           2.41        38        2.6\n")
    got = {(v["date"], v["value"], v["unit"]) for v in values(text, pack, "labs.calcium", DAY) if isinstance(v, dict)}
    assert got == {("2025-01-05", 2.38, "mmol/L"), ("2025-03-10", 2.41, "mmol/L")}


ADMINISTRATION = """MDM 7 August 2024: Performance status at MDM: Karnofsky 90%.

  Date          Cycle   Drug                     Status
  19/08/2024    C1D1    Ipilimumab 84 mg         Given
                        Nivolumab 250 mg         Given
  30/09/2024    C3D1    Ipilimumab               WITHHELD - headache, fatigue; 9am cortisol 96,
                        Nivolumab                WITHHELD   ACTH low: immune hypophysitis (G2).
  21/10/2024    --      Ipilimumab               PERMANENTLY DISCONTINUED - hypophysitis (irAE).
  21/10/2024    M1      Nivolumab 480 mg         Given - recommenced as monotherapy q4w
  18/11/2024    M2      Nivolumab 480 mg         Given
Clinic review 18/11/2024 (Dr Iwasaki): Headaches resolved. Working 3 days/week.
  ECOG 1. Plan: continue nivolumab 480 mg q4w.
"""


def test_an_administration_record_and_a_dated_clinic_review(pack: Pack) -> None:
    assert stop_reasons(read_note(ADMINISTRATION, pack, dt.date(2024, 8, 7))) == {
        "ipilimumab": "toxicity", "nivolumab": None}
    assert ("2024-11-18", 1) in dated_scores(ADMINISTRATION, pack, dt.date(2024, 8, 7))


def test_a_course_completed_in_the_sentences_after(pack: Pack) -> None:
    text = ("Adjuvant treatment: Pembrolizumab 200 mg IV three-weekly, started 21st June 2023.\n"
            "Cycle 9 was delayed by one week (grade 2 rash, topical steroid only),\n"
            "otherwise on schedule. He completed the planned one year of adjuvant treatment with his\n"
            "17th and final cycle on 22nd May 2024. Course completed.\n")
    assert stop_reasons(read_note(text, pack, dt.date(2025, 2, 27))) == {"pembrolizumab": "completed"}


def test_a_progression_the_drug_is_continued_through(pack: Pack) -> None:
    text = ("  * Cabozantinib 40 mg daily since 10/16/2023.\n\nDISCUSSION\n"
            "  Progression in lungs on cabozantinib (~15 mo). Options: (a) continue current dose.\n\n"
            "RECOMMENDATION\n  Continue cabozantinib 40 mg daily until the next drug is approved.\n")
    assert stop_reasons(read_note(text, pack, dt.date(2025, 1, 8))) == {"cabozantinib": None}
    stopped = "  * Cabozantinib 40 mg daily since 10/16/2023; stopped 12/2024 for progression in lungs.\n"
    assert stop_reasons(read_note(stopped, pack, dt.date(2025, 1, 8))) == {"cabozantinib": "progression"}


DISCHARGE_DX = """<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <component><structuredBody>
  <component><section>
   <templateId root="2.16.840.1.113883.10.20.22.2.24" extension="2015-08-01"/>
   <code code="11535-2" codeSystem="2.16.840.1.113883.6.1" displayName="Hospital discharge Dx"/>
   <text>Secondary malignant neoplasm of brain; clear cell renal cell carcinoma, right kidney</text>
   <entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
    <observation classCode="OBS" moodCode="EVN"><value xsi:type="CD" code="C64.1"
     codeSystem="2.16.840.1.113883.6.90" displayName="Malignant neoplasm of right kidney"/></observation>
   </entryRelationship></act></entry>
   <entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
    <observation classCode="OBS" moodCode="EVN"><value xsi:type="CD" code="C79.31"
     codeSystem="2.16.840.1.113883.6.90" displayName="Secondary malignant neoplasm of brain"/></observation>
   </entryRelationship></act></entry>
  </section></component>
 </structuredBody></component>
</ClinicalDocument>
"""


def test_a_discharge_summarys_diagnosis_section_is_read_as_problems(pack: Pack) -> None:
    facts = read_ccda(DISCHARGE_DX, "ccd.xml", pack).facts
    assert [f.value for f in facts if f.field == "metastatic_sites"] == ["brain"]
