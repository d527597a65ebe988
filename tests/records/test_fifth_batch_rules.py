"""General rules found by the fifth blind batch (eval/records/unseen2): bare "PS: 1", thousands in counts, dates and
doses are not lab values, a supplement is not a result, a hold then a restart is not a stop, a dated timeline entry
dates its pathology, and counts per microlitre against the default range."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import Pack, load_pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Fact
from kidney_navigator.profile.risk import in_default_unit
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.labs import lab_number
from kidney_navigator.records.text.source import TextSource

HEADER = "Metastatic clear cell renal cell carcinoma.\n"
DATE = dt.date(2026, 11, 23)


def _facts(text: str, pack: Pack) -> list[Fact]:
    return extract(TextSource("note.txt", HEADER + text, None, DATE), pack, about_kidney_cancer=True)


def _values(text: str, pack: Pack, field: str) -> list[object]:
    return [f.value for f in _facts(text, pack) if f.field == field]


def test_bare_ps_in_vitals_is_ecog(pack: Pack) -> None:
    assert _values("VITALS: BP 138/82  HR 78\nPS: 1\n", pack, "performance_status") == [{"scale": "ECOG", "value": 1}]
    assert _values("PS: 80%\n", pack, "performance_status") == []


@given(st.integers(min_value=1000, max_value=999_999))
def test_thousands_separator(n: int) -> None:
    assert lab_number(f"{n:,}") == n


def test_decimal_comma() -> None:
    assert lab_number("12,1") == 12.1
    assert lab_number("0,150") == 0.15


def test_counts_keep_the_unit_written(pack: Pack) -> None:
    [lab] = _values("LABS 11/23/2026\n  ANC 3,150 /uL   Neut 62 %\n", pack, "labs.neutrophils")
    assert isinstance(lab, dict) and lab["value"] == 3150 and lab["unit"] == "/uL"


def test_dates_doses_and_supplements_are_not_results(pack: Pack) -> None:
    text = ("3. Bone met L3: Xgeva q4wk + Ca/vit D. Dental exam UTD 07/2026.\n"
            "  calcium carbonate/vitamin D 600 mg-400 IU BID\n"
            "LABS 11/23/2026\n  Ca 9.0 mg/dL   Alb 3.6 g/dL\n"
            "Next restaging CT early Feb 2027.\n")
    [calcium] = _values(text, pack, "labs.calcium")
    assert isinstance(calcium, dict) and calcium["value"] == 9.0 and calcium["date"] == "2026-11-23"


def test_hold_then_restart_is_not_a_stop(pack: Pack) -> None:
    text = "- 11/09/2026  Cabometyx held x 5 days for G3 diarrhea, restarted 11/14 at 20 mg daily\n"
    [therapy] = _values(text, pack, "therapies")
    assert isinstance(therapy, dict) and therapy["stop_reason"] is None and therapy["stop"] is None
    stopped = "- 11/09/2026  Cabometyx stopped for G3 diarrhea.\n"
    assert [t["stop_reason"] for t in _values(stopped, pack, "therapies") if isinstance(t, dict)] == ["toxicity"]


def test_timeline_entry_dates_its_pathology(pack: Pack) -> None:
    text = ("ONCOLOGIC HISTORY\n"
            "- 03/15/2022  L radical nephrectomy (Dr. Halvorsen, St. Brendan's). Path: clear cell RCC,\n"
            "             WHO/ISUP grade 3.\n")
    facts = extract(TextSource("note.txt", text, None, DATE), pack, about_kidney_cancer=True)
    assert [f.value for f in facts if f.field == "diagnosis_date"] == ["2022-03-15"]


@pytest.mark.parametrize(("name", "value", "unit", "converted"), [
    ("neutrophils", 3150, "/uL", 3.15), ("neutrophils", 3150, "", 3.15), ("neutrophils", 3.2, "x10^9/L", 3.2),
    ("platelets", 410000, "/mm3", 410.0), ("platelets", 410, "", 410), ("hemoglobin", 118, "g/L", 11.8),
    ("hemoglobin", 11.8, "g/dL", 11.8),
])
def test_default_range_comparison_unit(name: str, value: float, unit: str, converted: float) -> None:
    assert in_default_unit(name, value, unit) == pytest.approx(converted)


def test_counts_per_microlitre_are_not_above_the_default_limit() -> None:
    pack = load_pack()
    lab = {"value": 3150.0, "unit": "/uL", "low": None, "high": None, "date": "2026-11-23"}
    fact = Fact(field="labs.neutrophils", value=lab,
                evidence={"document": "n.txt", "page": None, "start": 0, "end": 3, "text": "ANC"})
    profile = build_profile([fact], pack, DATE)
    assert profile.imdc.factors["neutrophils_above_uln"] is False


@pytest.mark.parametrize("sentence", [
    "New plan is Lenvima 18 mg daily + everolimus 5 mg daily once specialty pharmacy approval comes through.",
    "Lenvatinib/everolimus: prior authorization submitted 10/08, status pending. No doses taken yet.",
    "Will raise amlodipine to 10 mg before lenvatinib starts.",
])
def test_a_start_still_to_come_is_not_received(sentence: str, pack: Pack) -> None:
    assert not [v for v in _values(sentence, pack, "therapies") if isinstance(v, dict) and v["drug"] == "lenvatinib"]


def test_an_option_is_not_received(pack: Pack) -> None:
    text = 'Dr. Colquhoun had told her that cabozantinib could be an option "if she got her strength back".'
    assert _values(text, pack, "therapies") == []


def test_a_title_does_not_end_the_sentence(pack: Pack) -> None:
    text = "- 11/02/2026  tivozanib stopped by Dr. Colquhoun for clinical and radiographic progression.\n"
    [therapy] = _values(text, pack, "therapies")
    assert isinstance(therapy, dict) and therapy["stop_reason"] == "progression"


def test_all_doses_given_is_completed(pack: Pack) -> None:
    text = ("- 04/2021  ipilimumab + nivolumab (Yervoy/Opdivo), all 4 combination doses given, then\n"
            "            nivolumab maintenance.\n"
            "- 12/2022  grade 3 pneumonitis -> nivolumab permanently discontinued.\n")
    reasons = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert reasons == {"ipilimumab": "completed", "nivolumab": "toxicity"}


def test_a_later_paragraph_assessment_wins_whatever_its_scale(pack: Pack) -> None:
    text = ("At her last oncology visit she was recorded as ECOG 2, KPS 60.\n\n"
            "EXAM\n  Performance status: Zubrod 3 (in bed > 50% of waking hours).\n")
    assert _values(text, pack, "performance_status") == [{"scale": "ECOG", "value": 3}]
    same = "Exam: ECOG 1, KPS 90.\n"
    assert {v["scale"] for v in _values(same, pack, "performance_status") if isinstance(v, dict)} == {"ECOG", "KPS"}


def test_the_consult_date_is_the_document_date() -> None:
    from kidney_navigator.records.text.source import document_date

    header = "Room: 614-B      Admit date: 11/15/2026\nDate of consult: 11/18/2026\n"
    assert document_date(header) == dt.date(2026, 11, 18)
    assert document_date("Admit date: 11/15/2026\nNo other date.") is None


def test_clinical_prefix_on_every_category(pack: Pack) -> None:
    assert _values("Clinical stage cT1b cN0 M1 (AJCC 8th).", pack, "stage.m") == ["M1"]


def test_a_cue_before_a_parenthetical_list_covers_the_list(pack: Pack) -> None:
    text = ("The usual first-line choice would be an immunotherapy-based combination (pembrolizumab with axitinib, "
            "or nivolumab with cabozantinib, or ipilimumab with nivolumab).")
    assert _values(text, pack, "therapies") == []


def test_immunostains_negate_nothing(pack: Pack) -> None:
    from kidney_navigator.records.context import modifiers

    text = "Core biopsy 2026-02-10: metastatic clear cell RCC (PAX8 positive, CA-IX diffuse, TTF-1 negative)."
    start = text.index("RCC")
    assert "negated" not in modifiers(text, start, start + 3)
    nodes = "Lymph nodes negative."
    assert "negated" in modifiers(nodes, 0, 11)
    # "margins negative" describes the specimen; it does not negate the operation it follows
    operation = "robotic R partial nephrectomy 06/18/2024: clear cell RCC,\n  ISUP 2, pT1b NX, margins negative."
    at = operation.index("nephrectomy")
    assert "negated" not in modifiers(operation, at, at + 11)


def test_de_novo_metastatic_diagnosis_is_the_first_biopsy(pack: Pack) -> None:
    text = ("DIAGNOSIS\n  Metastatic renal cell carcinoma, clear cell type.\n"
            "  - CT-guided core biopsy of a left lower lobe nodule 2026-02-10: metastatic clear cell\n"
            "    RCC (PAX8 positive, TTF-1 negative).\n"
            "She has newly diagnosed metastatic clear cell RCC.\n")
    facts = extract(TextSource("letter.txt", text, None, DATE), pack, about_kidney_cancer=True)
    assert [f.value for f in facts if f.field == "diagnosis_date"] == ["2026-02-10"]
    recurred = text.replace("newly diagnosed", "recurrent")
    facts = extract(TextSource("letter.txt", recurred, None, DATE), pack, about_kidney_cancer=True)
    assert [f.value for f in facts if f.field == "diagnosis_date"] == []


def test_lay_words_for_no_nephrectomy(pack: Pack) -> None:
    assert _values("She has not had surgery on the kidney.", pack, "nephrectomy") == [
        {"done": False, "date": None, "type": None}]


def test_yearless_dates_read_against_the_document_date() -> None:
    from kidney_navigator.records.dates import find_dates

    ref = dt.date(2026, 9, 20)
    assert [d for _, _, d in find_dates("I started the Sutent on March 16.", reference=ref)] == [dt.date(2026, 3, 16)]
    assert [d for _, _, d in find_dates("seen on Dec 3", reference=ref)] == [dt.date(2025, 12, 3)]
    assert list(find_dates("you may 2 weeks", reference=ref)) == []
    assert list(find_dates("I started the Sutent on March 16.")) == []


def test_email_header_date() -> None:
    from kidney_navigator.records.text.source import document_date

    assert document_date("From: a@b.example\nDate: Sun, 20 Sep 2026 21:47:12 -0700\n") == dt.date(2026, 9, 20)


def test_a_relative_as_subject_owns_the_sentence(pack: Pack) -> None:
    text = ("4) My cousin's husband in Winnipeg had kidney cancer that went to his liver and he was on\n"
            "   a different pill, cabozantinib I think.")
    assert _values(text, pack, "therapies") == []


def test_a_study_not_qualified_for_is_not_received(pack: Pack) -> None:
    text = "The research coordinator phoned about the belzutifan study and said I didn't qualify."
    assert _values(text, pack, "therapies") == []


def test_clinical_t_category(pack: Pack) -> None:
    assert _values("Clinical stage cT3a cN1 cM1 (stage IV).", pack, "stage.t") == ["T3a"]
    assert _values("CT 3 days ago showed no change.", pack, "stage.t") == []


def test_a_list_of_options_after_a_cue_is_covered(pack: Pack) -> None:
    text = ("1. Systemic therapy: Discussed first-line options for poor-risk clear cell RCC in detail -\n"
            "   ipilimumab + nivolumab, pembrolizumab + axitinib, nivolumab + cabozantinib.\n")
    assert _values(text, pack, "therapies") == []


def test_extent_across_a_wrapped_line() -> None:
    from kidney_navigator.records.tstage import extent

    found = extent("8.7 cm mass with tumor thrombus extending into the left renal\nvein (not into the IVC).")
    assert found is not None and found.value == "T3a"


def test_a_dose_given_in_a_dated_addendum_starts_then(pack: Pack) -> None:
    text = ("Plan: ipilimumab + nivolumab q3 weeks x 4. C1D1 scheduled 10/19/2026.\n\n"
            "ADDENDUM - Infusion Center, 10/19/2026 (L. Quist, RN)\n"
            "Pre-treatment check done. C1D1 nivolumab 3 mg/kg IV followed by ipilimumab 1 mg/kg IV,\n"
            "administered without infusion reaction.\n")
    starts = {v["drug"]: v["start"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert starts == {"nivolumab": "2026-10-19", "ipilimumab": "2026-10-19"}
