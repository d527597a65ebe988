"""The general rules behind the held-out review, each on wordings that appear in neither eval set, plus the decision
rule's safety property over random criterion lists."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Profile
from kidney_navigator.trials.criteria import CriteriaEngine, date_bounds, elapsed_limit, ps_clauses, within_limit
from kidney_navigator.trials.match import decide
from kidney_navigator.trials.models import Status
from kidney_navigator.trials.patient import patient_facts
from kidney_navigator.trials.split import Item
from tests.trials.people import person

UNTREATED = person()
PAPILLARY = person(histology="papillary")
AFTER_NIVO = person(therapies=[{"drug": "nivolumab", "start": "2023-01-05", "stop": "2024-02-01",
                                "stop_reason": "progression"}])
AFTER_PAZOPANIB = person(therapies=[{"drug": "pazopanib", "start": "2023-01-05", "stop": "2024-02-01",
                                     "stop_reason": "progression"}])
ON_LENVATINIB = person(therapies=[{"drug": "lenvatinib", "start": "2025-04-01"}])
GAMMA_KNIFE = person(metastatic_sites=["brain", "lung"],
                     therapies=[{"drug": "gamma knife radiosurgery to two brain lesions", "start": "2025-02-01",
                                 "stop": "2025-02-01", "stop_reason": "completed"}])
UNKNOWN_DRUG = person(therapies=[{"drug": "zanzalintinib-x investigational", "start": "2025-01-01",
                                  "stop": "2025-03-01", "stop_reason": "progression"}])
RECENT_SURGERY = person(nephrectomy={"done": True, "date": "2025-04-20"})
SURGERY_MONTH_ONLY = person(nephrectomy={"done": True, "date": "2025-04"})  # 32 to 61 days before
UNDATED_SURGERY = person(nephrectomy={"done": True})
ECOG2 = person(performance_status={"scale": "ECOG", "value": 2})
KPS90 = person(performance_status={"scale": "KPS", "value": 90})


@pytest.fixture(scope="module")
def engine(pack: Pack) -> CriteriaEngine:
    return CriteriaEngine.load(pack)


def status(engine: CriteriaEngine, pack: Pack, who: Profile, kind: str, text: str) -> str:
    item = Item(kind=kind, text=text)  # type: ignore[arg-type]
    return engine.evaluate(item, patient_facts(who, pack)).criterion.status


@pytest.mark.parametrize(("kind", "text", "who", "expected"), [
    # An aside that refuses the other side restates the limit; it must not turn the main statement around.
    ("inclusion", "Predominantly clear cell histology; papillary and chromophobe tumours are excluded", UNTREATED,
     "met"),
    ("inclusion", "Predominantly clear cell histology; papillary and chromophobe tumours are excluded", PAPILLARY,
     "not_met"),
    ("inclusion", "Non-clear cell RCC of any subtype (pure clear-cell tumours not allowed)", PAPILLARY, "met"),
    ("inclusion", "Non-clear cell RCC of any subtype (pure clear-cell tumours not allowed)", UNTREATED, "not_met"),
    ("inclusion", "Received at least one prior regimen (prior anti-PD-1 antibodies are not permitted)", AFTER_NIVO,
     "not_met"),
    # In an exclusion the refusal restates that the item excludes.
    ("exclusion", "Previous mTOR inhibitor use is not allowed", UNTREATED, "met"),
    ("exclusion", "Previous mTOR inhibitor use is not allowed", person(therapies=[{"drug": "everolimus"}]), "not_met"),
    ("exclusion", "Participants previously given a PD-1 checkpoint inhibitor are not eligible", AFTER_NIVO, "not_met"),
    ("exclusion", "Participants previously given a PD-1 checkpoint inhibitor are not eligible", UNTREATED, "met"),
    # "No prior ... for locally advanced or metastatic ..." is about therapy, not about the setting.
    ("inclusion", "Treatment-naive: no previous systemic treatment in the locally advanced/metastatic setting",
     UNTREATED, "met"),
    ("inclusion", "Without any earlier systemic therapy given for recurrent or metastatic RCC", UNTREATED, "met"),
    ("inclusion", "Without any earlier systemic therapy given for recurrent or metastatic RCC", AFTER_NIVO, "not_met"),
    # A ceiling on prior lines with drugs it "may include" allows those drugs; it does not require them.
    ("inclusion", "Maximum of three prior regimens, which can include immune checkpoint inhibitors", UNTREATED, "met"),
    ("inclusion", "Maximum of three prior regimens, which can include immune checkpoint inhibitors", AFTER_NIVO,
     "met"),
    # Lesion counts are not in a profile, whatever the wording.
    ("inclusion", "Three to ten distant metastases visible on CT", UNTREATED, "unknown"),
    ("inclusion", "No more than four extracranial lesions", UNTREATED, "unknown"),
    # Planned treatment cannot be read from records; ongoing treatment can.
    ("inclusion", "Currently on, or planned to begin, cabozantinib or another VEGFR TKI", UNTREATED, "unknown"),
    ("inclusion", "Currently taking a VEGF receptor tyrosine kinase inhibitor", ON_LENVATINIB, "met"),
    ("inclusion", "Currently taking a VEGF receptor tyrosine kinase inhibitor", AFTER_PAZOPANIB, "not_met"),
    # The disease itself.
    ("inclusion", "Pathologically proven kidney cancer, all stages", UNTREATED, "met"),
    ("inclusion", "Metastatic malignancies such as renal cell carcinoma or melanoma", UNTREATED, "met"),
    ("exclusion", "Any prior systemic therapy for RCC", UNTREATED, "met"),  # mentions RCC, not the diagnosis
    # CNS conditions follow the listed sites.
    ("exclusion", "History of carcinomatous meningitis", UNTREATED, "met"),
    ("exclusion", "WBRT within 6 months", UNTREATED, "met"),
    ("exclusion", "History of carcinomatous meningitis", GAMMA_KNIFE, "unknown"),
    # Radiosurgery in the therapy list is not systemic therapy; an unknown drug name still is not "untreated".
    ("inclusion", "Systemic treatment-naive for advanced disease", GAMMA_KNIFE, "met"),
    ("inclusion", "Systemic treatment-naive for advanced disease", UNKNOWN_DRUG, "unknown"),
    ("exclusion", "Prior exposure to an anti-PD-L1 agent", GAMMA_KNIFE, "met"),
    ("inclusion", "Must have received two or fewer prior lines of treatment", GAMMA_KNIFE, "met"),
    # Dashes and "(L)" in PD-(L)1; "PD-1 therapy" is not "1 therapy".
    ("inclusion", "Documented progression on an anti—PD-(L)1 containing regimen", AFTER_NIVO, "met"),
    ("inclusion", "Documented progression on an anti—PD-(L)1 containing regimen", AFTER_PAZOPANIB, "not_met"),
    ("inclusion", "Relapsed on PD-1 therapy", AFTER_PAZOPANIB, "not_met"),
    # Standard options used up.
    ("inclusion", "Refractory to every available standard treatment", UNTREATED, "not_met"),
    ("inclusion", "Refractory to every available standard treatment", AFTER_NIVO, "unknown"),
    # Nephrectomy with a time limit is checked against its date.
    ("inclusion", "Partial or radical nephrectomy in the last 8 weeks", RECENT_SURGERY, "met"),
    ("inclusion", "Partial or radical nephrectomy in the last 8 weeks", UNTREATED, "not_met"),
    ("inclusion", "Partial or radical nephrectomy in the last 8 weeks", UNDATED_SURGERY, "unknown"),
    ("inclusion", "Partial or radical nephrectomy in the last 8 weeks", SURGERY_MONTH_ONLY, "unknown"),
    ("inclusion", "At least 4 weeks since nephrectomy", RECENT_SURGERY, "met"),
    # Both scales offered: the profile's own scale decides.
    ("inclusion", "Karnofsky 60-70% or ECOG 2", ECOG2, "met"),
    ("inclusion", "Karnofsky 60-70% or ECOG 2", UNTREATED, "not_met"),  # a recorded ECOG 1 is not ECOG 2
    ("inclusion", "ECOG 0-1 or KPS ≥ 80", KPS90, "met"),
    # A biomarker the profile cannot show keeps a study from "likely".
    ("inclusion", "Tumour with a BAP1 mutation on next-generation sequencing", UNTREATED, "unknown"),
    ("exclusion", "Investigational agent within 28 days of enrolment", UNTREATED, "met"),
])
def test_general_rules_on_new_wordings(engine: CriteriaEngine, pack: Pack, kind: str, text: str, who: Profile,
                                       expected: str) -> None:
    assert status(engine, pack, who, kind, text) == expected


def test_radiosurgery_is_set_aside_with_evidence(pack: Pack) -> None:
    facts = patient_facts(GAMMA_KNIFE, pack)
    assert facts.therapies == [] and facts.lines == 0
    assert "not systemic therapy" in facts.therapy_summary()
    unknown = patient_facts(UNKNOWN_DRUG, pack)
    assert unknown.lines == 1 and not unknown.therapies[0].known


def test_records_other_drugs_count_as_known_systemic(pack: Pack) -> None:
    facts = patient_facts(person(therapies=[{"drug": "atezolizumab", "start": "2024-01-01"}]), pack)
    assert facts.therapies[0].known and "pd1_pdl1" in facts.therapies[0].classes


def test_time_limits_and_dates() -> None:
    assert elapsed_limit("within the preceding 6 months") == ("max", 180)
    assert elapsed_limit("no more than ten days before day 1") == ("max", 10)
    assert elapsed_limit("a minimum of two weeks after surgery") == ("min", 14)
    assert elapsed_limit("Clear-cell RCC") is None
    assert date_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_bounds("2021") == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert date_bounds("soon") is None
    today = dt.date(2025, 6, 1)
    assert within_limit(("max", 30), (dt.date(2025, 5, 10), dt.date(2025, 5, 10)), today) is True
    assert within_limit(("max", 30), (dt.date(2025, 1, 1), dt.date(2025, 1, 31)), today) is False
    assert within_limit(("max", 30), (dt.date(2025, 4, 1), dt.date(2025, 5, 31)), today) is None


def test_ps_clauses_split_at_the_other_scale() -> None:
    assert [s for s, _ in ps_clauses("WHO/ECOG 0-1 or Karnofsky (KPS) ≥ 70")] == ["ECOG", "KPS"]
    assert ps_clauses("Karnofsky 60-70% or ECOG 2")[0][1].strip() == "Karnofsky 60-70% or"


def test_store_round_trip_keeps_asides(engine: CriteriaEngine, pack: Pack) -> None:
    text = "Clear cell histology (papillary tumours are not eligible)"
    exported = engine.export(text)
    assert any(len(entry) == 3 for entry in exported[3])  # the aside is marked
    fresh = CriteriaEngine.load(pack)
    fresh.adopt(text, exported)
    assert fresh._analyses[text] == engine.analyse(text)


STATUSES: list[Status] = ["met", "not_met", "unknown"]
items = st.lists(st.tuples(st.sampled_from(STATUSES), st.booleans()), max_size=12)
study_status = st.sampled_from(["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED"])


@given(study_status, items)
def test_decision_is_never_likely_eligible_with_anything_unmet(status_: str,
                                                              judged: list[tuple[Status, bool]]) -> None:
    decision = decide(status_, judged)
    if any(s == "not_met" and d for s, d in judged):
        assert decision == "likely_ineligible"
    if any(s == "not_met" for s, _ in judged):
        assert decision != "likely_eligible"
    if decision == "likely_eligible":
        assert status_ == "RECRUITING"
        assert not any(s == "unknown" and d for s, d in judged)
        assert any(s == "met" and d for s, d in judged)


@given(items)
def test_decision_reaches_likely_eligible_when_it_should(judged: list[tuple[Status, bool]]) -> None:
    clean = [(s, d) for s, d in judged if s == "met" or (s == "unknown" and not d)] + [("met", True)]
    assert decide("RECRUITING", clean) == "likely_eligible"
    assert decide("COMPLETED", clean) == "possibly_eligible"
