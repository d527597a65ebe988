"""General rules found by the twenty-fourth blind batch (eval/records/unseen21)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_ccda import read_ccda
from tests.records.note_reader import read_note, stop_reasons, values

DAY = dt.date(2025, 3, 6)


def test_a_calcium_tablet_abbreviated_carb_is_not_a_result(pack: Pack) -> None:
    text = "CALCIUM CARB/VIT D 600mg/400IU  1 tab twice daily               CONTINUE\n"
    assert values(text, pack, "labs.calcium", DAY) == []


def test_a_drug_entered_on_a_list_in_error_was_never_received(pack: Pack) -> None:
    text = ("MEDICATIONS STOPPED - DO NOT TAKE\n"
            "SUNITINIB 50 mg cap             REMOVED FROM LIST - entered on outside home med\n"
            "                                list in error; pt and wife confirm he has NEVER\n"
            "                                taken sunitinib (prescribed 2019? never filled)\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {}


def test_a_score_under_a_baseline_heading_is_the_baseline(pack: Pack) -> None:
    # a PDF text layer without the blank lines: the heading alone says which score is from before treatment
    text = ("BASELINE ASSESSMENT (pre-treatment, 04/15/2024)\n"
            "Karnofsky performance status 70% (cares for self, unable to carry on\nnormal activity).\n"
            "CURRENT STATUS (visit 09/23/2024)\nShe is doing reasonably well.\nPerformance status today: ECOG 1.\n")
    facts = read_note(text, pack, dt.date(2024, 9, 24))
    assert [f.value for f in facts if f.field == "performance_status.baseline"] == [{"scale": "KPS", "value": 70}]
    current = [f for f in facts if f.field == "performance_status"]
    assert max(current, key=lambda f: f.date or "").value == {"scale": "ECOG", "value": 1}


CCD = """<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
 <component><structuredBody>
  <component><section>
   <templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
   <title>PROBLEMS</title>
   <text>Clear cell renal cell carcinoma with sarcomatoid features, right kidney</text>
   <entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ"><observation classCode="OBS"
    moodCode="EVN"><value xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CD" code="C64.1"
    codeSystem="2.16.840.1.113883.6.90" displayName="Malignant neoplasm of right kidney"/></observation>
   </entryRelationship></act></entry>
  </section></component>
  <component><section>
   <templateId root="2.16.840.1.113883.10.20.22.2.7.1"/>
   <title>PROCEDURES</title>
   <text><table><tbody><tr ID="proc1"><td>CT-guided core biopsy, right renal mass</td><td>02/14/2023</td></tr>
   <tr ID="proc2"><td>Cytoreductive nephrectomy</td><td></td><td>Not performed - not a surgical candidate</td></tr>
   </tbody></table></text>
   <entry><procedure classCode="PROC" moodCode="EVN"><code nullFlavor="OTH"><originalText><reference
    value="#proc1"/></originalText></code><statusCode code="completed"/><effectiveTime value="20230214"/>
   </procedure></entry>
  </section></component>
 </structuredBody></component>
</ClinicalDocument>
"""


def test_a_procedures_table_row_without_an_entry_can_rule_the_operation_out(pack: Pack) -> None:
    got = [f for f in read_ccda(CCD, "ccd.xml", pack).facts if f.field == "nephrectomy"]
    assert [f.value for f in got] == [{"done": False, "date": None, "type": None}]
    assert got[0].evidence.text == "Cytoreductive nephrectomy"  # found in the XML as written


def test_rather_than_denies_what_follows(pack: Pack) -> None:
    text = ("His CT shows a stable 14 mm left adrenal nodule (-5 HU on the\nunenhanced images), consistent with a "
            "lipid-rich adenoma rather than\nmetastasis. No bone lesions.\n")
    assert values(text, pack, "metastatic_sites", DAY) == []


def test_a_dated_recurrence_entry_under_a_bulleted_diagnosis(pack: Pack) -> None:
    text = ("Diagnosis:   Metastatic clear cell renal cell carcinoma, right kidney\n"
            "             - right radical nephrectomy 03/02/2022: pT3a pN0 M0, ISUP grade 3,\n"
            "               no sarcomatoid differentiation\n"
            "             - recurrence 03/2024: lung (bilateral, largest 24 mm RLL) and\n"
            "               mediastinal lymph nodes (station 7 EBUS: metastatic ccRCC)\n")
    assert sorted(map(str, values(text, pack, "metastatic_sites", DAY))) == ["lung", "lymph_node"]


def test_bloods_today_take_the_letters_date(pack: Pack) -> None:
    text = ("For the record, his baseline bloods 02/04/2024:\n   Hb 128 g/L (130-170)   platelets 310 x10^9/L\n\n"
            "Today he feels well. Bloods today: Hb 121 g/L, neutrophils 3.8 x10^9/L, platelets\n"
            "287 x10^9/L, ALT 54 (mildly raised).\n")
    got = {(str(v["date"]), v["value"]) for v in values(text, pack, "labs.platelets", dt.date(2024, 7, 15))
           if isinstance(v, dict)}
    assert ("2024-07-15", 287.0) in got
    hb = {(str(v["date"]), v["value"]) for v in values(text, pack, "labs.hemoglobin", dt.date(2024, 7, 15))
          if isinstance(v, dict)}
    assert ("2024-07-15", 121.0) in hb and len(hb) == 2  # the baseline keeps its own date


def test_a_running_record_of_entries_dates_each_entry(pack: Pack) -> None:
    text = ("---- Entry 1 ----  02/10/2025  (Cycle 1 Day 1)\n"
            "Regimen verified: PEMBROLIZUMAB 200 mg IV q3w + AXITINIB 5 mg PO BID.\n"
            "First-line therapy, no prior systemic treatment. Start date 02/10/2025.\n\n"
            "---- Entry 2 ----  04/14/2025  (Cycle 4 Day 1)\n"
            "Axitinib HELD 04/01/2025 for proteinuria. RESUME axitinib today at 3 mg BID.\n"
            "Pembrolizumab continues - C4 given today.\n"
            "Labs today 04/14/2025: Hgb 12.2 g/dL, ANC 4.0 K/uL, Plt 301 K/uL.\n")
    facts = read_note(text, pack, dt.date(2025, 2, 10))
    starts = {f.value["drug"]: f.value["start"] for f in facts if f.field == "therapies" and isinstance(f.value, dict)}
    assert starts == {"pembrolizumab": "2025-02-10", "axitinib": "2025-02-10"}
    assert {f.date for f in facts if f.field == "labs.platelets"} == {"2025-04-14"}


TRANSFER = """Agent            Dose / schedule        Start       Stop        Reason stopped
---------------------------------------------------------------------------
Pazopanib        800 mg daily           (06/2020)   --          NEVER STARTED:
                                                                insurance denial,
                                                                never dispensed
Sunitinib        50 mg 4wk on/2wk off   07/06/2020  09/13/2021  Progression
                                                                (new bone mets)
"""


def test_a_table_row_whose_reason_cell_says_never_started(pack: Pack) -> None:
    assert stop_reasons(read_note(TRANSFER, pack, DAY)) == {"sunitinib": "progression"}


def test_m0_at_diagnosis(pack: Pack) -> None:
    text = "Right radical nephrectomy 03/20/2019: pT3a pN0, WHO/ISUP grade 3, M0 at\ndiagnosis.\n"
    assert values(text, pack, "stage.m", DAY) == ["M0"]
