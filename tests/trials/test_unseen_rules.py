"""The general rules behind the unseen-set review, each on wordings that appear in no eval set: clauses that grant
leave inside a requirement, named metastatic sites, "below N" performance limits, symptoms and lesion counts, time on
therapy and the line a new therapy would be."""

from __future__ import annotations

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Profile
from kidney_navigator.trials.criteria import CriteriaEngine, ItemResult, leave_clauses, named_lines
from kidney_navigator.trials.match import decide
from kidney_navigator.trials.models import Status
from kidney_navigator.trials.patient import patient_facts
from kidney_navigator.trials.split import Item
from tests.trials.people import person

UNTREATED = person()
PAPILLARY = person(histology="papillary")
CHROMOPHOBE = person(histology="chromophobe")
TRANSLOCATION = person(histology="translocation")
SARCOMATOID_CC = person(sarcomatoid=True)
LIVER = person(metastatic_sites=["liver", "lung"])
BRAIN = person(metastatic_sites=["brain", "lung"])
KPS80 = person(performance_status={"scale": "KPS", "value": 80})
KPS70 = person(performance_status={"scale": "KPS", "value": 70})
KPS60 = person(performance_status={"scale": "KPS", "value": 60})
ECOG2 = person(performance_status={"scale": "ECOG", "value": 2})
ONE_LONG_LINE = person(therapies=[{"drug": "sunitinib", "start": "2023-01-05", "stop": "2024-02-01",
                                   "stop_reason": "progression"}])
SHORT_ONGOING = person(therapies=[{"drug": "sunitinib", "start": "2025-04-10"}])
UNDATED = person(therapies=[{"drug": "sunitinib"}])
TWO_LINES = person(therapies=[
    {"drug": "sunitinib", "start": "2022-01-05", "stop": "2023-02-01", "stop_reason": "progression"},
    {"drug": "nivolumab", "start": "2023-03-01", "stop": "2024-12-01", "stop_reason": "progression"}])

REQUIRED_WITH_VARIANT = "Clear-cell renal carcinoma is required; a minor papillary component is permitted"
SENTENCE_VARIANT = ("Renal carcinoma with clear-cell histology. Tumours showing rhabdoid or sarcomatoid change are "
                    "allowed if a clear-cell part remains.")
BUT_VARIANT = "Clear cell RCC, but mixed tumours with sarcomatoid elements may be enrolled"
COMMA_VARIANT = "Histologically confirmed clear cell RCC, tumours with a sarcomatoid component are allowed"


@pytest.fixture(scope="module")
def engine(pack: Pack) -> CriteriaEngine:
    return CriteriaEngine.load(pack)


def result(engine: CriteriaEngine, pack: Pack, who: Profile, kind: str, text: str) -> ItemResult:
    return engine.evaluate(Item(kind=kind, text=text), patient_facts(who, pack))  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "text", "who", "expected"), [
    # A requirement that also names an allowed variant still limits: the grant only loosens (regression for the
    # permissive-clause bug, where every histology passed).
    ("inclusion", REQUIRED_WITH_VARIANT, UNTREATED, "met"),
    ("inclusion", REQUIRED_WITH_VARIANT, CHROMOPHOBE, "not_met"),
    ("inclusion", REQUIRED_WITH_VARIANT, TRANSLOCATION, "not_met"),
    ("inclusion", SENTENCE_VARIANT, CHROMOPHOBE, "not_met"),
    ("inclusion", SENTENCE_VARIANT, SARCOMATOID_CC, "met"),
    ("inclusion", BUT_VARIANT, PAPILLARY, "not_met"),
    ("inclusion", "Any histology is eligible", PAPILLARY, "met"),  # a grant alone still allows
    # A grant about brain metastases excuses a brain site from the requirement's failed test, never fails it.
    ("exclusion", "No active brain metastases; treated brain metastases are allowed", BRAIN, "unknown"),
    ("inclusion", "No active brain metastases; treated brain metastases are allowed", UNTREATED, "met"),
    # Liver follows the listed sites, as brain does; a qualifier the profile cannot show keeps it open.
    ("exclusion", "Hepatic metastases", LIVER, "not_met"),
    ("exclusion", "Hepatic metastases", UNTREATED, "met"),
    ("exclusion", "Metastases to the liver of any size", LIVER, "not_met"),
    ("exclusion", "Liver metastases replacing more than 50% of the liver", LIVER, "unknown"),
    # Brain metastases of every kind: a listed brain site decides; a limit to the untreated kind does not.
    ("exclusion", "CNS metastases, whether or not previously treated", BRAIN, "not_met"),
    ("exclusion", "Brain metastases regardless of treatment status", BRAIN, "not_met"),
    ("exclusion", "Untreated brain metastases", BRAIN, "unknown"),
    # "under / below / less than N" is strictly under; "not less than" is a floor; ECOG's direction is its own.
    ("exclusion", "Karnofsky score under 70", KPS70, "met"),
    ("exclusion", "Karnofsky score under 70", KPS60, "not_met"),
    ("inclusion", "KPS not less than 80", KPS80, "met"),
    ("inclusion", "KPS not less than 80", KPS70, "not_met"),
    ("inclusion", "ECOG performance status below 2", ECOG2, "not_met"),
    ("inclusion", "ECOG performance status below 2", UNTREATED, "met"),
    ("exclusion", "ECOG performance status greater than 1", ECOG2, "not_met"),
    ("exclusion", "ECOG performance status greater than 1", UNTREATED, "met"),
    # Symptoms and lesion counts are not in a profile; "metastatic" beside them is not the setting.
    ("inclusion", "Free of cancer-related symptoms", UNTREATED, "unknown"),
    ("inclusion", "Patients must be asymptomatic from their kidney cancer", UNTREATED, "unknown"),
    ("exclusion", "Symptomatic metastatic disease requiring urgent treatment", UNTREATED, "unknown"),
    ("exclusion", "Symptomatic brain metastases", UNTREATED, "met"),  # the brain rule's, not symptoms'
    ("inclusion", "Three or fewer bone or soft-tissue metastatic deposits on PET-CT", UNTREATED, "unknown"),
    ("inclusion", "At most six visible metastases", UNTREATED, "unknown"),
    ("inclusion", "Low-volume metastatic disease", UNTREATED, "unknown"),
    ("exclusion", "More than four metastatic lesions", UNTREATED, "unknown"),
    # Time on systemic therapy, from the therapy dates.
    ("inclusion", "Systemic therapy for less than 12 weeks before registration", UNTREATED, "met"),
    ("inclusion", "Systemic therapy for less than 12 weeks before registration", ONE_LONG_LINE, "not_met"),
    ("inclusion", "Systemic therapy for less than 12 weeks before registration", SHORT_ONGOING, "met"),
    ("inclusion", "Systemic therapy for less than 12 weeks before registration", UNDATED, "unknown"),
    ("exclusion", "More than six months of prior anticancer treatment", ONE_LONG_LINE, "not_met"),
    ("exclusion", "More than six months of prior anticancer treatment", UNTREATED, "met"),
    ("inclusion", "At least 8 weeks of VEGF TKI treatment", ONE_LONG_LINE, "met"),
    ("inclusion", "At least 8 weeks of VEGF TKI treatment", UNTREATED, "not_met"),
    # The line a new therapy would be: out of reach is not met; within reach a plan stays unknown.
    ("inclusion", "Scheduled to begin 2nd- or 3rd-line treatment", TWO_LINES, "unknown"),
    ("inclusion", "Scheduled to begin 2nd- or 3rd-line treatment", UNTREATED, "not_met"),
    ("inclusion", "Currently on or about to begin front-line therapy", ONE_LONG_LINE, "not_met"),
    ("inclusion", "Currently on or about to begin front-line therapy", UNTREATED, "unknown"),
    ("inclusion", "Currently receiving second-line or later therapy", SHORT_ONGOING, "not_met"),  # it is line 1
])
def test_general_rules_on_new_wordings(engine: CriteriaEngine, pack: Pack, kind: str, text: str, who: Profile,
                                       expected: str) -> None:
    assert result(engine, pack, who, kind, text).criterion.status == expected


def test_a_histology_failure_is_decisive_and_excludes(engine: CriteriaEngine, pack: Pack) -> None:
    """Structural: a not-met histology item must carry the decisive flag, so the study can never be 'likely'."""
    assert next(r for r in engine.rules.rules if r.test == "histology").decisive
    for text in (REQUIRED_WITH_VARIANT, SENTENCE_VARIANT, BUT_VARIANT, COMMA_VARIANT):
        failed = result(engine, pack, CHROMOPHOBE, "inclusion", text)
        assert failed.criterion.status == "not_met" and failed.decisive_fail
        judged: list[tuple[Status, bool]] = [(failed.criterion.status, failed.decisive_fail), ("met", True)]
        assert decide("RECRUITING", judged) == "likely_ineligible"


def test_leave_clauses_split_only_a_grant_beside_a_requirement(engine: CriteriaEngine) -> None:
    grant = engine.permissive
    main, leaves = leave_clauses(REQUIRED_WITH_VARIANT, grant)
    assert "required" in main and "papillary" not in main
    assert len(leaves) == 1 and "papillary" in leaves[0] and len(leaves[0]) == len(REQUIRED_WITH_VARIANT)
    # One grant with commas inside stays whole: nothing is left to require.
    assert leave_clauses("Any number of prior therapies, including none, is permitted", grant) == ("", [])
    assert leave_clauses("Clear cell histology", grant) == ("", [])
    # A list of types sharing one grant is not a requirement followed by leave.
    assert leave_clauses("Clear cell RCC, papillary RCC and chromophobe RCC are eligible", grant) == ("", [])
    assert leave_clauses("Clear cell, papillary or chromophobe RCC are eligible", grant) == ("", [])


def test_a_comma_grant_beside_a_requirement_still_requires(engine: CriteriaEngine, pack: Pack) -> None:
    assert result(engine, pack, CHROMOPHOBE, "inclusion", COMMA_VARIANT).criterion.status == "not_met"
    assert result(engine, pack, SARCOMATOID_CC, "inclusion", COMMA_VARIANT).criterion.status == "met"
    listed = "Clear cell RCC, papillary RCC and chromophobe RCC are eligible"
    assert result(engine, pack, CHROMOPHOBE, "inclusion", listed).criterion.status == "met"


def test_named_lines() -> None:
    assert named_lines("first- or second-line systemic therapy") == (1, 2)
    assert named_lines("on 1L/2L treatment") == (1, 2)
    assert named_lines("in the second-line or later setting")[1] > 10  # type: ignore[index]
    assert named_lines("a line of treatment") is None


def test_store_round_trip_keeps_grants(engine: CriteriaEngine, pack: Pack) -> None:
    text = "No active brain metastases; treated brain metastases are allowed"
    exported = engine.export(text)
    assert any(entry[-1] == "leave" for entry in exported[3])
    fresh = CriteriaEngine.load(pack)
    fresh.adopt(text, exported)
    assert fresh._analyses[text] == engine.analyse(text)
