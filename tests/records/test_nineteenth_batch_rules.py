"""General rules found by the nineteenth blind batch (eval/records/unseen16)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.records.dates import own_day_first
from kidney_navigator.records.load import read_record
from kidney_navigator.records.text.source import TextSource, document_date
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import drugs, read_note, stop_reasons, values

DAY = dt.date(2024, 10, 22)




# --- dates ----------------------------------------------------------------------------------------------------------

def test_a_note_in_a_printed_series_dates_its_own_scores(pack: Pack) -> None:
    text = ("INFUSION CENTER - nursing documentation\n\n"
            "09/23/2024 08:40  INFUSION NOTE - C1D1 ipilimumab/nivolumab\nECOG 2 today.\n\n"
            "12/09/2024 08:30  INFUSION NOTE - nivolumab maintenance\nPerformance status today: ECOG 1.\n")
    scores = {(f.value["value"], f.date) for f in read_note(text, pack, None)
              if f.field == "performance_status" and isinstance(f.value, dict)}
    assert (1, "2024-12-09") in scores  # the later note's score, dated by that note


def test_a_yearless_date_in_a_later_letter_takes_that_letters_year(pack: Pack) -> None:
    text = ("Clinic date: 06/02/2024\nWe agreed on cabozantinib.\n\n"
            "Clinic date: 21/05/2024\nShe started cabozantinib 60 mg on 12th February and tolerates it.\n")
    starts = {v["drug"]: v["start"] for v in values(text, pack, "therapies", dt.date(2024, 2, 6))
              if isinstance(v, dict)}
    assert starts == {"cabozantinib": "2024-02-12"}


def test_a_diagnosis_date_wrapped_to_the_next_line(pack: Pack) -> None:
    text = "68 yo M with clear cell RCC diagnosed at L radical nephrectomy\n09/14/2016 (Fuhrman grade 2, pT1b).\n"
    assert values(text, pack, "diagnosis_date", DAY) == ["2016-09-14"]


def test_dates_in_words_tell_an_ambiguous_slash_date_s_order() -> None:
    text = ("Right radical nephrectomy 7 November 2019. Date of diagnosis 07/11/2019.\n"
            "Seen on 14 May 2024.\n")
    assert own_day_first(text) is True
    us = "Right radical nephrectomy November 7, 2019. Date of diagnosis 11/07/2019. Seen May 14, 2024.\n"
    assert own_day_first(us) is False
    assert own_day_first("Date of diagnosis 07/11/2019.") is None  # nothing to tell


def test_an_addendum_heading_with_its_author_dates_the_page() -> None:
    page = "RE: Mrs H M\n\nADDENDUM - 20 June 2024 (Dr F. Mackenzie)\n\nBloods 17 June 2024: Hb 131 g/L.\n"
    assert document_date(page) == dt.date(2024, 6, 20)
    assert TextSource("p3", page, 3, document_date(page)).date == dt.date(2024, 6, 20)


# --- therapies ----------------------------------------------------------------------------------------------------

def test_a_hold_range_restarted_in_the_same_clause_is_no_stop(pack: Pack) -> None:
    text = ("She started cabozantinib 60 mg on 12/02/2024. In March cabozantinib was withheld\n"
            "from 18/03/2024 to 25/03/2024 and restarted at 40 mg daily.\n")
    got = {v["drug"]: (v["stop"], v["stop_reason"]) for v in values(text, pack, "therapies", DAY)
           if isinstance(v, dict)}
    assert got == {"cabozantinib": (None, None)}


def test_a_pause_around_surgery_takes_no_cause_from_the_entry_before(pack: Pack) -> None:
    text = ("- Oct 2, 2023: started CABOMETYX (cabozantinib) 60 mg every day.\n\n"
            "2024\n- March: dose lowered to 40 mg because of diarrhea.\n"
            "- June 3-17: Cabometyx on hold for his hernia surgery (stopped 2 weeks\n"
            "  before and restarted 2 weeks after).\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {"cabozantinib": None}


def test_hold_until_the_harm_settles_is_a_pause() -> None:
    assert stop_reason(" - HOLD axitinib until diarrhea resolves to grade 1 or better") is None
    assert stop_reason("axitinib stopped for grade 3 diarrhea") == "toxicity"


def test_combinations_also_mentioned_are_not_given(pack: Pack) -> None:
    text = ("We talked about cabozantinib and about sunitinib as an alternative; pembrolizumab-based\n"
            "combinations were also mentioned, but she prefers a tablet and we agreed on cabozantinib.\n"
            "She started cabozantinib 60 mg on 12/02/2024.\n")
    assert drugs(text, pack, DAY) == {"cabozantinib"}


def test_advice_to_avoid_a_drug(pack: Pack) -> None:
    text = ("Board favors ipilimumab + nivolumab given transaminase elevation (avoid cabozantinib/axitinib\n"
            "hepatotoxicity overlap while LFTs are up). C1D1 ipilimumab + nivolumab given 08/12/2024.\n")
    assert drugs(text, pack, DAY) == {"ipilimumab", "nivolumab"}


def test_one_of_the_options_and_not_appropriate(pack: Pack) -> None:
    text = ("Sunitinib (Sutent) is one of the options for kidney cancer, but Dr. L chose cabozantinib for her.\n"
            "Step therapy with axitinib is not clinically appropriate for this member.\n")
    assert drugs(text, pack, DAY) == {"cabozantinib"}


def test_a_sign_far_before_a_listed_drug_is_not_its_own(pack: Pack) -> None:
    text = ("The information we received does not show a trial of, or a medical reason\n"
            "you cannot take, one of these preferred drugs:\n   - axitinib (INLYTA)\n")
    assert drugs(text, pack, DAY) == set()


# --- operations and labs ------------------------------------------------------------------------------------------

def test_a_nephrectomy_topic_label_takes_the_verdict_after_it(pack: Pack) -> None:
    text = ("PLAN\n2. Nephrectomy: not recommending upfront cytoreductive nephrectomy\n"
            "   (poor risk). Will re-discuss if excellent response.\n")
    assert values(text, pack, "nephrectomy", DAY) == [{"done": False, "date": None, "type": None}]


def test_a_nephrectomy_label_with_its_date_is_done(pack: Pack) -> None:
    found = values("Nephrectomy: 03/12/2019 (radical, left).\n", pack, "nephrectomy", DAY)
    assert [v["done"] for v in found if isinstance(v, dict)] == [True]


def test_a_bare_flag_between_value_and_unit(pack: Pack) -> None:
    text = "Laboratory (2025-01-20):\n  Hemoglobin         124  L   g/L        135-175\n"
    lab = values(text, pack, "labs.hemoglobin", dt.date(2025, 1, 22))[0]
    assert isinstance(lab, dict) and (lab["value"], lab["unit"], lab["low"], lab["high"]) == (124.0, "g/L", 135, 175)


def test_ccda_plan_of_treatment_can_rule_the_operation_out(tmp_path: Path, pack: Pack) -> None:
    plan = ('<component><section><templateId root="2.16.840.1.113883.10.20.22.2.10"/>'
            '<code code="18776-5" codeSystem="2.16.840.1.113883.6.1"/><title>PLAN OF TREATMENT</title>'
            "<text><list><item>Continue cabozantinib 40 mg daily.</item><item>Not a candidate for cytoreductive "
            "nephrectomy at this time (IMDC poor risk).</item></list></text></section></component>")
    problem = ('<component><section><code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/>'
               '<text><table><tr><td ID="p1">Clear cell renal cell carcinoma, right kidney</td></tr></table></text>'
               '<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">'
               '<observation classCode="OBS" moodCode="EVN"><code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>'
               '<text><reference value="#p1"/></text><value xsi:type="CD" code="254915003" '
               'codeSystem="2.16.840.1.113883.6.96"/></observation></entryRelationship></act></entry>'
               "</section></component>")
    path = tmp_path / "ccd.xml"
    path.write_text('<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                    f"<component><structuredBody>{problem}{plan}</structuredBody></component></ClinicalDocument>")
    values = [f.value for f in read_record(path, pack).facts if f.field == "nephrectomy"]
    assert values == [{"done": False, "date": None, "type": None}]


def test_a_later_record_restarting_the_drug_clears_an_earlier_stop(pack: Pack) -> None:
    ed = read_note("ED 2025-03-18: axitinib stopped 2025-03-18 for grade 3 diarrhea.\n", pack, dt.date(2025, 3, 18))
    later = read_note("Phone visit: axitinib restarted at 3 mg BID on 2025-03-25, tolerating.\n", pack,
                      dt.date(2025, 4, 1))
    assert [(t.drug, t.stop, t.stop_reason) for t in build_profile(ed, pack).therapies] == \
        [("axitinib", "2025-03-18", "toxicity")]
    therapy = build_profile([*ed, *later], pack).therapies
    assert [(t.drug, t.stop, t.stop_reason) for t in therapy] == [("axitinib", None, None)]


def test_an_earlier_dated_score_in_the_same_document_serves_the_risk_models(pack: Pack) -> None:
    text = ("Admit date: 03/02/2025    Discharge date: 03/09/2025\n"
            "Clear cell RCC, biopsy 03/04/2025. Nivolumab + ipilimumab C1D1 given 03/08/2025.\n"
            "Functional status: KPS 90 on admission. KPS 70 at discharge after a fall.\n")
    profile = build_profile(read_note(text, pack, dt.date(2025, 3, 9)), pack, dt.date(2025, 3, 20))
    assert profile.performance_status is not None and profile.performance_status.value == 70
    assert profile.imdc.factors["kps_below_80"] is False  # the score before the first dose: 90
