"""Rules added after the fourth (blind) batch, tested with wordings that are not the batch's own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import default_pack
from kidney_navigator.profile.models import plausible_performance
from kidney_navigator.records.context import affirmed
from kidney_navigator.records.extract_fhir import NOT_ORDERED, status_stop_reason
from kidney_navigator.records.performance import coded_score
from kidney_navigator.records.text.disease import site_facts, stage_facts
from kidney_navigator.records.text.performance_status import performance_facts
from kidney_navigator.records.text.source import TextSource, section_heading
from kidney_navigator.records.text.therapies import therapy_facts


def _therapy(text: str) -> dict[str, object]:
    return {f.value["drug"]: f.value["stop_reason"] for f in therapy_facts(TextSource("n.txt", text), default_pack())}


def _ps(text: str) -> list[dict[str, object]]:
    return [f.value for f in performance_facts(TextSource("n.txt", text))]


@given(st.integers(min_value=-50, max_value=20000))
def test_only_possible_scores_are_plausible(value: int) -> None:
    assert plausible_performance("ECOG", value) == (0 <= value <= 5)
    assert plausible_performance("KPS", value) == (0 <= value <= 100 and value % 10 == 0)


def test_answer_code_gives_its_score_not_its_digits() -> None:
    assert coded_score("ECOG", ["LA9624-3"], ["Ambulatory and capable of all self care"]) == 2
    assert coded_score("ECOG", ["LA9999-9"], ["ECOG 3"]) == 3
    assert coded_score("ECOG", ["LA9999-9"], ["In bed more than half the day"]) is None
    assert coded_score("KPS", ["local-7"], ["70%"]) == 70


def test_transition_takes_the_later_score() -> None:
    assert _ps("Performance: ECOG 2 \u2192 1 after transfusion.") == [{"scale": "ECOG", "value": 1}]
    assert _ps("Karnofsky declined from 90 to 60 over the summer.") == [{"scale": "KPS", "value": 60}]


def test_first_dose_still_to_come_is_not_received() -> None:
    got = _therapy("After discussion he opted for pembrolizumab with axitinib; first infusion booked for 3 March, "
                   "awaiting prior authorization.")
    assert got == {}
    got = _therapy("Sunitinib was stopped for fatigue; cabozantinib pending insurance approval.")
    assert got == {"sunitinib": "toxicity"}


def test_maintenance_drug_does_not_take_the_induction_completion() -> None:
    got = _therapy("Treated with nivolumab plus ipilimumab, induction completed in May; continues maintenance "
                   "nivolumab every 4 weeks.")
    assert got == {"ipilimumab": "completed", "nivolumab": None}


def test_progression_before_an_arrow_starts_the_next_drug() -> None:
    got = _therapy("Pazopanib 800 mg daily, stopped 04/2025 for hepatotoxicity.\n"
                   "05/2025 new liver lesions -> everolimus 10 mg daily started 05/20/2025.")
    assert got == {"pazopanib": "toxicity", "everolimus": None}


def test_parenthetical_aside_does_not_widen_the_window() -> None:
    text = ("Later choices could be a trial (there is a local study of a HIF inhibitor open to people with "
            "his tumour type and prior treatment), or tivozanib.")
    start = text.index("tivozanib")
    assert not affirmed(text, start, start + len("tivozanib"))


def test_bracketed_m_category_and_clinical_n() -> None:
    facts = {f.field: f.value for f in stage_facts(TextSource("n.txt", "Staged pT2a; CT chest clear (M0). cN0."))}
    assert facts["stage.m"] == "M0" and facts["stage.n"] == "N0"


def test_nodules_under_a_recurrence_heading_are_sites() -> None:
    text = ("Renal cell carcinoma, resected 2019.\n\nRelapse 2024\nA CT in May showed two new pulmonary nodules.\n\n"
            "Chest x-ray 2019\nA small nodule in the right lung, calcified.\n")
    assert section_heading(text, text.index("pulmonary")) == "Relapse 2024"
    assert {f.value for f in site_facts(TextSource("n.txt", text))} == {"lung"}


def test_fhir_intent_and_completed_status() -> None:
    assert {"plan", "proposal"} <= NOT_ORDERED and "order" not in NOT_ORDERED
    assert status_stop_reason("MedicationStatement", "completed", "") == "completed"
    assert status_stop_reason("MedicationRequest", "completed", "Stopped: tumour progression") == "progression"
    assert status_stop_reason("MedicationAdministration", "completed", "") is None
