"""Matcher on real profiles: eval profiles and one built by the records pipeline; wording not in the eval set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Profile
from kidney_navigator.records.load import read_record
from kidney_navigator.trials.criteria import CriteriaEngine, lines_range, ps_range
from kidney_navigator.trials.geo import resolve_origin
from kidney_navigator.trials.match import match_profile
from kidney_navigator.trials.models import Study, parse_study
from kidney_navigator.trials.patient import patient_facts
from kidney_navigator.trials.split import Item

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "eval" / "trials"
UNTREATED = "Must be previously untreated with systemic therapy for metastatic disease"
PD1 = "Any prior exposure to nivolumab, pembrolizumab or other PD-1 antibodies"


def profile(name: str) -> Profile:
    return Profile.model_validate_json((EVAL / "profiles" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def studies() -> list[Study]:
    return [parse_study(s) for s in json.loads((EVAL / "studies.json").read_text(encoding="utf-8"))["studies"]]


@pytest.fixture(scope="module")
def engine(pack: Pack) -> CriteriaEngine:
    return CriteriaEngine.load(pack)


def status(engine: CriteriaEngine, pack: Pack, who: Profile, kind: str, text: str) -> str:
    return engine.evaluate(Item(kind=kind, text=text), patient_facts(who, pack)).criterion.status  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "text", "name", "expected"), [
    ("inclusion", UNTREATED, "p02-cc-after-pembro-axi", "not_met"),
    ("inclusion", UNTREATED, "p01-cc-untreated", "met"),
    ("exclusion", PD1, "p01-cc-untreated", "met"),
    ("exclusion", PD1, "p18-cc-after-pembrolizumab", "not_met"),
    ("inclusion", "WHO/ECOG performance status of 2 or less", "p07-cc-ecog2-kidney-in-place", "met"),
    ("inclusion", "Karnofsky score ≥ 80%", "p07-cc-ecog2-kidney-in-place", "not_met"),
    ("inclusion", "Karnofsky score ≥ 80%", "p02-cc-after-pembro-axi", "unknown"),  # ECOG 1 is KPS 70-80
    ("inclusion", "Papillary renal cell carcinoma (type 1 or type 2)", "p04-papillary-untreated", "met"),
    ("inclusion", "Papillary renal cell carcinoma (type 1 or type 2)", "p01-cc-untreated", "not_met"),
    ("exclusion", "Known brain metastases", "p06-cc-brain-untreated", "not_met"),
    ("exclusion", "Untreated or symptomatic brain metastases", "p06-cc-brain-untreated", "unknown"),
    ("exclusion", "Untreated or symptomatic brain metastases", "p09-sparse", "met"),
    ("inclusion", "Platelets ≥ 75 × 10^9/L", "p15-cc-low-counts-after-axi-avelumab", "met"),
    ("inclusion", "Platelets ≥ 100 × 10^9/L", "p15-cc-low-counts-after-axi-avelumab", "not_met"),
    ("inclusion", "Signed informed consent", "p01-cc-untreated", "unknown"),
])
def test_items_worded_unlike_the_eval_set(engine: CriteriaEngine, pack: Pack, kind: str, text: str, name: str,
                                          expected: str) -> None:
    assert status(engine, pack, profile(name), kind, text) == expected


def test_parsers_of_numbers() -> None:
    assert ps_range(" 0 or 1", "ECOG") == (0, 1)
    assert ps_range(" ≥ 70", "KPS") == (70, 100)
    assert ps_range(" 0, 1 or 2", "ECOG") == (0, 2)
    assert lines_range("no more than 3 prior regimens") == (0, 3)
    assert lines_range("at least one prior line") == (1, 10**6)
    assert lines_range("more than two prior lines") == (3, 10**6)


def test_ranking_decisions_and_radius(pack: Pack, studies: list[Study]) -> None:
    origin = resolve_origin("31774")
    matches = match_profile(profile("p02-cc-after-pembro-axi"), studies, origin, 300, pack=pack)
    assert matches and all(m.nearest_site and m.nearest_site.distance_miles <= 300 for m in matches)
    order = {"likely_eligible": 0, "possibly_eligible": 1, "likely_ineligible": 2}
    assert [order[m.decision] for m in matches] == sorted(order[m.decision] for m in matches)
    assert any(m.decision == "likely_eligible" for m in matches)
    for m in matches:
        if m.status != "RECRUITING":
            assert m.decision != "likely_eligible"
    everywhere = match_profile(profile("p02-cc-after-pembro-axi"), studies, pack=pack)
    assert len(everywhere) == len(studies) > len(matches)
    assert all(m.nearest_site is None for m in everywhere)


def test_never_likely_eligible_with_an_unmet_criterion(pack: Pack, studies: list[Study]) -> None:
    for path in sorted((EVAL / "profiles").glob("*.json")):
        for m in match_profile(profile(path.stem), studies, pack=pack):
            if m.decision == "likely_eligible":
                assert all(c.status != "not_met" for c in m.criteria), (path.stem, m.nct_id)


def test_profile_built_from_a_real_record(pack: Pack, studies: list[Study]) -> None:
    case = REPO / "eval" / "records" / "cases" / "05-portal-nivo-ipi-imdc-poor" / "visit-note.txt"
    if not case.exists():
        pytest.skip("records case not present")
    built = build_profile(read_record(case, pack).facts, pack)
    by_id = {m.nct_id: m for m in match_profile(built, studies, pack=pack)}
    # Nivolumab + ipilimumab received: a trial that excludes prior checkpoint inhibitors cannot be likely.
    assert by_id["NCT90000009"].decision == "likely_ineligible"
    prior = [c for c in by_id["NCT90000009"].criteria if "checkpoint" in c.text]
    assert prior and prior[0].status == "not_met" and "nivolumab" in (prior[0].evidence or "")


def test_city_and_zip_resolve_to_the_same_place() -> None:
    by_zip, by_city = resolve_origin("31774"), resolve_origin("Ocilla, GA")
    assert abs(by_zip.lat - by_city.lat) < 0.2 and abs(by_zip.lon - by_city.lon) < 0.2
