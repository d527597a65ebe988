"""General rules found by the twentieth blind batch (eval/records/unseen17)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.records.context import sentence_bounds
from kidney_navigator.records.dates import find_dates, own_day_first
from kidney_navigator.records.load import read_record
from kidney_navigator.records.text.source import document_date
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import drugs, read_note, stop_reasons, values

DAY = dt.date(2024, 3, 18)


def _sites(text: str, pack: Pack) -> set[object]:
    return set(values(text, pack, "metastatic_sites", DAY))


# --- sentences, sites and stage -------------------------------------------------------------------------------------

def test_a_wrap_before_a_number_keeps_the_sentence_and_its_benign_verdict(pack: Pack) -> None:
    text = ("Staging CT: multiple bilateral pulmonary nodules in keeping with metastases. There is a 1.3 cm left\n"
            "adrenal nodule measuring\n8 HU on the unenhanced images which the radiologist reports as a lipid-rich\n"
            "adenoma; this is not felt to be metastatic.\n")
    assert _sites(text, pack) == {"lung"}


def test_a_numbered_list_after_a_line_still_starts_a_new_sentence() -> None:
    text = "Findings were noted\n1. lung nodules, stable\n2. no bone lesions\n"
    assert sentence_bounds(text, 0, 8) == (0, text.index("\n"))


def test_a_bulleted_entry_proven_metastatic_in_its_next_sentence(pack: Pack) -> None:
    text = ("Oncology background:\n  Metastatic papillary renal cell carcinoma.\n"
            "  - Diagnosed May 2021: right radical nephrectomy 18/05/2021 (Mr Hynes),\n"
            "    papillary RCC, WHO/ISUP grade 3, pT3a pN0 (0/3 nodes), M0 at that\n"
            "    time. Margins clear. Surveillance thereafter.\n"
            "  - Aug 2023 surveillance CT: multiple bilateral lung nodules (up to\n"
            "    1.7 cm) and a 3.2 cm retrocaval lymph node mass. CT-guided biopsy of\n"
            "    the retrocaval node 04/09/2023 - metastatic papillary RCC.\n"
            "    Small 9 mm segment 6 liver lesion, characterised on MRI as a\n"
            "    haemangioma - not metastatic.\n")
    assert _sites(text, pack) == {"lung", "lymph_node"}


def test_m0_after_a_named_node_count(pack: Pack) -> None:
    assert values("papillary RCC, pT3a pN0 (0/3 nodes), M0 at that time.\n", pack, "stage.m", DAY) == ["M0"]


# --- dates ----------------------------------------------------------------------------------------------------------

def test_date_and_time_label_and_a_note_opening_with_its_date() -> None:
    assert document_date("CORRIB PRACTICE - Telephone triage\nDate/time: 06/02/2024 11:20   Nurse: M J\n"
                         "Back on cabo 40mg since 22/1.\n") == dt.date(2024, 2, 6)
    assert document_date("KOWHAI HEALTH CENTRE\n18.03.24  Dr S F   CCM review + med rec  30 min\n") == \
        dt.date(2024, 3, 18)


def test_two_digit_year_dotted_dates_and_what_they_are_not() -> None:
    assert [d for _, _, d in find_dates("CEASED 12.02.24 - pneumonitis")] == [dt.date(2024, 2, 12)]
    assert list(find_dates("version 1.2.3 and Hb 12.1.")) == []


def test_a_day_and_month_with_no_year_can_show_day_first_order() -> None:
    assert own_day_first("Date/time: 06/02/2024. Back on cabo 40mg since 22/1. BP 138/84.") is True
    assert own_day_first("Seen 06/02/2024. BP 138/84.") is None


def test_a_month_only_diagnosis_takes_the_operation_day(pack: Pack) -> None:
    text = "  - Diagnosed May 2021: right radical nephrectomy 18/05/2021, papillary RCC.\n"
    assert values(text, pack, "diagnosis_date", DAY) == ["2021-05-18"]


def test_a_timeline_entry_with_the_result_on_its_next_line(pack: Pack) -> None:
    text = ("ONCOLOGY HISTORY\n  2019-03-14  Right radical nephrectomy (Dr. M. Tremblay, KGH).\n"
            "              Clear cell renal cell carcinoma, WHO/ISUP grade 2, 7.6 cm.\n"
            "  2024-04-30  CT chest: 5 new bilateral pulmonary nodules.\n")
    assert values(text, pack, "diagnosis_date", DAY) == ["2019-03-14"]


def test_an_addendum_heading_dates_its_scores(pack: Pack) -> None:
    text = ("Fully active without restriction. ECOG 0, KPS 90%.\n\n"
            "ADDENDUM - June 20, 2024 (telephone follow-up, R. V.)\nShe is walking daily, ECOG 1.\n")
    scores = {(f.value["value"], f.date) for f in read_note(text, pack, dt.date(2024, 5, 23))
              if f.field == "performance_status" and isinstance(f.value, dict)}
    assert (1, "2024-06-20") in scores


def test_the_nephrectomy_date_is_the_one_nearest_the_operation(pack: Pack) -> None:
    text = ("ONCOLOGY TREATMENT HISTORY (from outside records, scanned 09/24/2025):\n"
            " - 03/14/2017  L radical nephrectomy, path: clear cell RCC\n")
    found = values(text, pack, "nephrectomy", dt.date(2025, 9, 24))
    assert [v["date"] for v in found if isinstance(v, dict)] == ["2017-03-14"]


def test_a_dated_nephrectomy_beats_a_later_undated_mention(pack: Pack) -> None:
    note = read_note("L radical nephrectomy 17/03/2021: clear cell RCC.\n", pack, dt.date(2025, 8, 19))
    later = read_note("Hx: L radical nephrectomy 2021; on palliative care.\n", pack, dt.date(2025, 11, 4))
    assert build_profile([*note, *later], pack).nephrectomy.date == "2021-03-17"


# --- therapies ------------------------------------------------------------------------------------------------------

def test_progression_said_as_a_condition_is_no_reason() -> None:
    assert stop_reason("a later-line option should she progress on cabozantinib; prefers tablets") is None
    assert stop_reason("we'll rescan in December and, if things grow, the next step ...") is None
    assert stop_reason("Patient was on sunitinib until progression in 2019") == "progression"


def test_refractory_of_a_class_or_a_colitis_is_not_this_drugs_progression() -> None:
    assert stop_reason("A/P: 58M mccRCC, IO-refractory/intolerant, on 2L ") is None
    text = "permanently discontinue the nivolumab - a steroid-refractory grade 3 colitis"
    assert stop_reason(text) == "toxicity"


def test_a_restart_weighed_and_refused_is_no_restart() -> None:
    text = ("going to permanently discontinue the nivolumab - a steroid-refractory grade 3 colitis means "
            "restarting immunotherapy carries too much risk")
    assert stop_reason(text) == "toxicity"


def test_on_hold_until_a_date_is_no_stop(pack: Pack) -> None:
    text = "Cabozantinib 60 mg started 02/10/2023.\n  Cabozantinib 40 mg od - ON HOLD until 22/01/2024 (see above)\n"
    got = {v["drug"]: (v["stop"], v["stop_reason"]) for v in values(text, pack, "therapies", DAY)
           if isinstance(v, dict)}
    assert got == {"cabozantinib": (None, None)}


def test_a_first_cycle_with_the_regimen_named_then_scheduled_is_not_given(pack: Pack) -> None:
    text = "Consent signed. C1D1 ipi/nivo scheduled 06/26/2023.\n"
    starts = {v["drug"]: v["start"] for v in values(text, pack, "therapies", dt.date(2023, 6, 12))
              if isinstance(v, dict)}
    assert starts.get("ipilimumab") is None and starts.get("nivolumab") is None


def test_continued_written_short(pack: Pack) -> None:
    text = ("On lenvatinib + everolimus since 16/10/23 -> everolimus STOPPED 12/02/24 by onc d/t pneumonitis.\n"
            "    Lenvatinib alone cont'd, dose dropped 18 -> 14mg.\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {"lenvatinib": None, "everolimus": "toxicity"}


def test_a_later_mention_stopping_one_partner_stays_its_own(pack: Pack) -> None:
    text = "Hx (copied from referral): L radical nephrectomy 2021; ipi/nivo 2023\n(nivo ceased hepatitis).\n"
    assert stop_reasons(read_note(text, pack, DAY)) == {"ipilimumab": None, "nivolumab": "toxicity"}


def test_a_preferred_regimen_that_is_not_available(pack: Pack) -> None:
    text = ("Immune checkpoint combination (nivolumab + ipilimumab) would be the preferred first\n"
            "   line for poor-risk disease but is not available on the state tender. Sunitinib started 15/07/2024.\n")
    assert drugs(text, pack, DAY) == {"sunitinib"}


# --- labs -----------------------------------------------------------------------------------------------------------

def test_ca_for_cancer_is_not_calcium(pack: Pack) -> None:
    assert values("FHx: Mum ca breast 70s. Bro bowel ca dx 58.\n", pack, "labs.calcium", DAY) == []
    assert [v["value"] for v in values("Ca 2.38 with albumin 33.\n", pack, "labs.calcium", DAY)
            if isinstance(v, dict)] == [2.38]


def test_the_labs_own_flag_decides_when_it_prints_no_range(pack: Pack) -> None:
    text = ("Clear cell RCC, nephrectomy 05/02/2023.\nLabs 06/08/2023:\n  WBC 8.9 K/uL   Hgb 12.1 g/dL (L)   "
            "Plt 362 K/uL\nIpilimumab + nivolumab C1D1 given 06/26/2023.\n")
    facts = read_note(text, pack, dt.date(2023, 6, 26))
    lab = next(f.value for f in facts if f.field == "labs.hemoglobin")
    assert isinstance(lab, dict) and lab["flag"] == "low" and lab["low"] is None
    assert build_profile(facts, pack).imdc.factors["hemoglobin_below_lln"] is True


# --- FHIR -----------------------------------------------------------------------------------------------------------

def test_fhir_histology_from_the_icd_o_3_code(tmp_path: Path, pack: Pack) -> None:
    condition = {
        "resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": "http://fhir.de/CodeSystem/bfarm/icd-10-gm", "code": "C64.1"}]},
        "extension": [{"url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior",
                       "valueCodeableConcept": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/icd-o-3",
                                                            "code": "8260/3",
                                                            "display": "Papilläres Adenokarzinom o.n.A."}]}}],
        "onsetDateTime": "2022-03-08"}
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": condition}]}))
    assert [f.value for f in read_record(path, pack).facts if f.field == "histology"] == ["papillary"]
