"""General rules found by the thirtieth blind batch (eval/records/unseen27)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.records.text.therapy_words import stop_reason
from tests.records.note_reader import drugs, read_note, stop_reasons, values

DAY = dt.date(2024, 4, 13)


def test_todays_score_beside_a_baseline_in_brackets(pack: Pack) -> None:
    facts = read_note("PS: WHO PS 2 today (PS 0 at start of SACT)\n", pack, None)
    assert [f.value["value"] for f in facts if f.field == "performance_status"] == [2]
    assert [f.value["value"] for f in facts if f.field == "performance_status.baseline"] == [0]


def test_more_ways_to_write_a_score(pack: Pack) -> None:
    assert values("PS at discharge: 1.\n", pack, "performance_status", DAY) == [{"scale": "ECOG", "value": 1}]
    assert values("I would put his performance\nstatus at 1 today.\n", pack, "performance_status", DAY) == [
        {"scale": "ECOG", "value": 1}]
    assert values("WHO PS 0 at consent.\n", pack, "performance_status.baseline", DAY) == [
        {"scale": "ECOG", "value": 0}]


def test_a_drug_to_discuss_or_revisit_is_not_given(pack: Pack) -> None:
    text = ("If the colitis recurs on nivolumab alone we would stop immunotherapy and\n"
            "discuss cabozantinib, but that is not the plan at present.\n")
    assert "cabozantinib" not in drugs(text, pack, DAY)
    assert values("Has not had nephrectomy (MDT: systemic tx first, revisit\ncytoreductive nephrectomy if good "
                  "response).\n", pack, "nephrectomy", DAY) == [{"done": False, "date": None, "type": None}]


DISCHARGE = """Diagnosis: Grade 3 immune-related colitis secondary to ipilimumab + nivolumab

Course:
Admitted with G3 diarrhoea after cycle 3 ipi/nivo. Partial response to IV methylprednisolone so
infliximab 5 mg/kg given x1 on 08/04/2024 with good effect.
Switched to oral prednisolone 60 mg OD 10/04.

Oncology plan (discussed with Dr Okonjo):
- IPILIMUMAB PERMANENTLY DISCONTINUED due to grade 3 colitis. Cycle 4 ipi will NOT be given.
- Nivolumab ON HOLD. Consider re-challenge with nivolumab monotherapy once prednisolone <=10 mg.
"""


def test_a_partner_on_hold_keeps_going_and_a_switch_to_steroids_ends_nothing(pack: Pack) -> None:
    assert stop_reasons(read_note(DISCHARGE, pack, DAY)) == {"ipilimumab": "toxicity", "nivolumab": None}


def test_the_meeting_that_chose_a_regimen_does_not_date_it(pack: Pack) -> None:
    text = ("HPC: mRCC on SACT - ipi/nivo (C1 05/02/24, C2 26/02/24, C3 18/03/24).\n"
            "- MDT 17/01/24: ipi/nivo x4 then nivo maintenance.\n")
    starts = {v["drug"]: v["start"] for v in values(text, pack, "therapies", DAY) if isinstance(v, dict)}
    assert "2024-01-17" not in starts.values()


def test_a_drug_not_to_be_given_and_a_queried_metastasis(pack: Pack) -> None:
    assert drugs("  - Ipilimumab / other IO NOT to be given in future.\n", pack, DAY) == set()
    text = ("- Denosumab due 22/05 - DEFER until creatinine stable and calcium checked (hold, not stopping).\n"
            "- Dexamethasone for appetite - not started, to be discussed with the team on Monday morning.\n"
            "- If stable over weekend -> home Mon with follow-up; OP MRI liver (seg 7 lesion ?met vs\n"
            "  haemangioma - not characterised).\n")
    assert values(text, pack, "metastatic_sites", DAY) == []


def test_a_date_named_before_its_label(pack: Pack) -> None:
    text = "Dx: metastatic clear cell RCC, L kidney. Bx 11/18/2024 (CT-guided core L renal mass) = date\n    of dx.\n"
    assert values(text, pack, "diagnosis_date", DAY) == ["2024-11-18"]


def test_a_not_mets_label_and_a_persons_own_stop(pack: Pack) -> None:
    text = ("Relapse   : 08/2021 - bilateral lung metastases.\n"
            "Not mets  : R adrenal thickening - unchanged since 2021, felt benign/hyperplasia.\n")
    assert values(text, pack, "metastatic_sites", DAY) == ["lung"]
    assert stop_reason("Pt elected to stop - treatment fatigue, wanted a break (disease stable)") == "other"


def test_a_cumulative_report_with_ranges_before_the_columns(pack: Pack) -> None:
    text = ("TEST                 UNITS      REF RANGE     14/03/2025   02/07/2025   08/07/2025\n"
            "---------------------------------------------------------------------------------\n"
            "Haemoglobin          g/dL       13.0-17.0     10.9 L       11.6 L       11.9 L\n"
            "Calcium (total)      mmol/L     2.15-2.55     2.68 H       2.41         2.38\n")
    got = {(v["date"], v["value"], v["unit"], v["low"], v["high"])
           for v in values(text, pack, "labs.calcium", dt.date(2025, 7, 9)) if isinstance(v, dict)}
    assert ("2025-07-08", 2.38, "mmol/L", 2.15, 2.55) in got and len(got) == 3


def test_a_baseline_value_takes_its_documents_own_range_for_the_risk_models(pack: Pack) -> None:
    text = ("Bloods on discharge (13/04/2024): Hb 124 g/L (130-170)\n\n"
            "Pre-SACT baseline (29/01/2024, before C1): Hb 121 g/L   Plt 352   Neut 5.1\n\n"
            "Ipilimumab + nivolumab C1 given 05/02/2024.\n")
    profile = build_profile(read_note(text, pack, DAY), pack, DAY)
    assert profile.imdc is not None and profile.imdc.factors["hemoglobin_below_lln"] is True
