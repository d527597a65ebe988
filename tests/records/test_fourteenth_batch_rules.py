"""General rules found by the fourteenth blind batch (eval/records/unseen11)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.profile.risk import in_default_unit
from kidney_navigator.records.dates import find_dates
from kidney_navigator.records.extract_ccda import read_ccda
from tests.records.note_reader import read_note, stop_reasons


def _facts(text: str, pack: Pack, date: dt.date | None = dt.date(2025, 10, 8)) -> list[Fact]:
    return read_note(text, pack, date)


def _therapies(text: str, pack: Pack) -> dict[str, object]:
    return stop_reasons(_facts(text, pack))


def _labs(text: str, pack: Pack) -> dict[tuple[str, str | None], object]:
    return {(f.field.removeprefix("labs."), f.date): f.value["value"] for f in _facts(text, pack)
            if f.field.startswith("labs.") and isinstance(f.value, dict)}


def test_portuguese_drug_names_and_a_drug_the_insurer_refused(pack: Pack) -> None:
    text = ("- they wanted to give Sutent (sunitinibe) but the convênio (insurance) said no, so she never took it\n"
            "- pazopanibe (Votrient) 800 mg daily 02/05/2024 -> 05/20/2024. Stopped for grade 3 hepatotoxicity.\n"
            "- nivolumabe (Opdivo) from 07/15/2024; discontinued on 05/26/2025 for progressive disease.\n")
    assert _therapies(text, pack) == {"pazopanib": "toxicity", "nivolumab": "progression"}


def test_some_doses_never_given_is_not_the_drug_never_given(pack: Pack) -> None:
    text = "--> IPILIMUMAB PERMANENTLY DISCONTINUED (irAE colitis G3); doses 3 and 4 never given.\n"
    assert _therapies(text, pack) == {"ipilimumab": "toxicity"}


def test_a_brazilian_lab_printout(pack: Pack) -> None:
    text = ("  LABORATÓRIO - Coleta: 16/06/2025 07:40\n"
            "  Hemoglobina ........................ 11,8 g/dL          12,0 a 15,5\n"
            "    Neutrófilos ...... 62,1 % ........ 3.372 /mm³         1.700 a 7.000\n"
            "  Plaquetas .......................... 198.000 /mm³       150.000 a 450.000\n"
            "  Cálcio total ....................... 9,4 mg/dL          8,6 a 10,3\n"
            "  Albumina ........................... 3,9 g/dL           3,5 a 5,2\n"
            "  Desidrogenase lática (DHL) ......... 212 U/L            120 a 246\n")
    got = {name: value for (name, _), value in _labs(text, pack).items()}
    assert got == {"hemoglobin": 11.8, "neutrophils": 3372.0, "platelets": 198000.0, "calcium": 9.4,
                   "albumin": 3.9, "ldh": 212.0}


def test_dates_as_canadian_and_japanese_systems_write_them() -> None:
    found = [d.isoformat() for _, _, d in find_dates("2025-Oct-07 19:40; 2024-Aug; 2025/10/28; 2025/08")]
    assert found == ["2025-10-07", "2024-08-01", "2025-10-28", "2025-08-01"]


def test_a_number_glued_to_letters_is_not_a_value(pack: Pack) -> None:
    assert _labs("Plan: monitor Ca, PO4, Mg daily.\n", pack) == {}


def test_a_table_of_draw_dates_by_test_columns(pack: Pack) -> None:
    text = ("BLOOD RESULTS\n"
            "Date          Hb     WCC     Neut    Plt     Creat   Adj Ca   Alb   LDH\n"
            "              g/L    x10^9/L x10^9/L x10^9/L umol/L  mmol/L   g/L   U/L\n"
            "------------  -----  ------  ------  ------  ------  -------  ----  -----\n"
            "22/04/2024    104    7.9     5.9     372     88      2.36     34    221\n"
            "14/01/2025    117    5.8     3.7     281     81      2.33     37    236\n")
    got = _labs(text, pack)
    assert got[("hemoglobin", "2024-04-22")] == 104.0 and got[("platelets", "2025-01-14")] == 281.0
    assert got[("corrected_calcium", "2024-04-22")] == 2.36 and got[("albumin", "2025-01-14")] == 37.0
    assert got[("ldh", "2025-01-14")] == 236.0 and got[("neutrophils", "2024-04-22")] == 5.9


def test_a_held_drug_that_goes_on_alone_does_not_share_its_partners_stop(pack: Pack) -> None:
    text = ("2024-Jun-10  lenvatinib 18 mg + everolimus 5 mg daily\n"
            "2025-Sep-12  Dr. Ahn: everolimus DISCONTINUED for grade 3 stomatitis; lenvatinib 14 mg\n"
            "             to continue alone.\n")
    assert _therapies(text, pack) == {"lenvatinib": None, "everolimus": "toxicity"}


def test_an_order_only_discussed_then_cancelled(pack: Pack) -> None:
    text = (" 2021-Apr     adjuvant SUNItinib discussed; order written 2021-Apr-12 then CANCELLED 2021-Apr-20\n"
            "              - patient declined adjuvant therapy.\n")
    assert _therapies(text, pack) == {}


def test_ocr_zero_for_o_in_sarcomatoid(pack: Pack) -> None:
    text = "   - SARC0MATOID DIFFERENTIATI0N: NOT IDENTIFIED.\n"
    assert [f.value for f in _facts(text, pack) if f.field == "sarcomatoid"] == [False]


def test_a_next_line_plan_to_start_later(pack: Pack) -> None:
    text = ("   Next-line plan per oncology: cabozantinib 40 mg daily to start at follow-up once ALT < 3x\n"
            "   ULN and prednisone <= 20 mg.\n")
    assert _therapies(text, pack) == {}


def test_considered_but_not_selected(pack: Pack) -> None:
    text = "Sunitinib monotherapy was also considered but\n  not selected.\n"
    assert _therapies(text, pack) == {}


def test_a_dated_log_line_starts_every_drug_on_it(pack: Pack) -> None:
    text = "    2025/10/06  Pembrolizumab 1st dose, axitinib started\n"
    starts = {f.value["drug"]: f.value["start"] for f in _facts(text, pack) if f.field == "therapies"
              and isinstance(f.value, dict)}
    assert starts == {"pembrolizumab": "2025-10-06", "axitinib": "2025-10-06"}


def test_a_biopsy_date_is_not_a_drug_start(pack: Pack) -> None:
    text = "Diagnosed on renal mass biopsy 09/12/2025 in Kanazawa, on 1L axitinib since 10/06/2025.\n"
    starts = {f.value["drug"]: f.value["start"] for f in _facts(text, pack) if f.field == "therapies"
              and isinstance(f.value, dict)}
    assert starts == {"axitinib": "2025-10-06"}


def test_japanese_platelet_counts_in_ten_thousands() -> None:
    assert in_default_unit("platelets", 31.2, "×10^4/μL") == 312.0


def test_a_completed_planned_course(pack: Pack) -> None:
    text = "Pembrolizumab 200 mg IV q3w 10/2022 - 09/2024: completed planned 2-year course (35 cycles).\n"
    assert _therapies(text, pack) == {"pembrolizumab": "completed"}


def test_ccda_the_cancer_problem_before_a_syndrome_that_mentions_it(pack: Pack) -> None:
    xml = """<ClinicalDocument xmlns="urn:hl7-org:v3">
<component><structuredBody>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
<text><table>
<tr ID="p1"><td>Von Hippel-Lindau syndrome</td><td>Q85.8</td>
<td>Follows with GU oncology for renal cell carcinoma</td></tr>
<tr ID="p2"><td>Clear cell renal cell carcinoma, bilateral</td><td>C64.1</td>
<td>R partial nephrectomy 05/2016; not a candidate for further surgery</td></tr></table></text>
<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
<observation classCode="OBS" moodCode="EVN"><text><reference value="#p1"/></text>
<value xsi:type="CD" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" code="Q85.8"
 codeSystem="2.16.840.1.113883.6.90"/></observation></entryRelationship></act></entry>
<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
<observation classCode="OBS" moodCode="EVN"><text><reference value="#p2"/></text>
<value xsi:type="CD" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" code="C64.1"
 codeSystem="2.16.840.1.113883.6.90"/></observation></entryRelationship></act></entry>
</section></component>
</structuredBody></component></ClinicalDocument>"""
    facts = [f for f in read_ccda(xml, "ccd.xml", pack).facts]
    assert [f.value for f in facts if f.field == "histology"] == ["clear_cell"]


def test_dotted_and_dashed_day_first_dates() -> None:
    assert [d.isoformat() for _, _, d in find_dates("Aufnahme 07.10.2025; Kontrolle 3.2.2024; 2.5 cm")] == [
        "2025-10-07", "2024-02-03"]
    assert [d.isoformat() for _, _, d in find_dates("seen 25-10-2025 and 07-10-2025")] == ["2025-10-25", "2025-10-07"]
