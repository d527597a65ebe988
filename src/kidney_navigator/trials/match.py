"""Profile + studies -> ranked TrialMatch list (the `kidney-nav trials match --json` contract).

Public API: `match_profile(profile, studies, origin, radius_miles, pack=None, engine=None) -> list[TrialMatch]`.
Ranking (`decide`): a decisive unmet criterion makes a study likely_ineligible; a study is likely_eligible only when it
is RECRUITING, nothing is unmet and every decisive item is known; then more met and fewer unknown rank higher, and
distance to the nearest site breaks ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from kidney_navigator.knowledge.loader import Pack, default_pack
from kidney_navigator.profile.models import Profile
from kidney_navigator.trials.criteria import CriteriaEngine, ItemResult
from kidney_navigator.trials.geo import Origin, haversine_miles
from kidney_navigator.trials.models import Decision, NearestSite, Site, Status, Study, TrialMatch
from kidney_navigator.trials.patient import PatientFacts, patient_facts

DECISION_RANK = {"likely_eligible": 0, "possibly_eligible": 1, "likely_ineligible": 2}


@lru_cache(maxsize=4)
def criteria_engine(pack: Pack) -> CriteriaEngine:
    """One compiled engine per pack for the process: its regexes and item analyses are reused by every match."""
    return CriteriaEngine.load(pack)


def nearest_site(study: Study, origin: Origin | None) -> NearestSite | None:
    """The closest site with coordinates, or None when there is no origin or no site has coordinates."""
    if origin is None:
        return None
    best: Site | None = None
    best_miles = 0.0
    for site in study.sites:
        if site.lat is None or site.lon is None:
            continue
        miles = haversine_miles(origin.lat, origin.lon, site.lat, site.lon)
        if best is None or miles < best_miles:  # against the best's rounded distance, as the contract always has
            best, best_miles = site, round(miles, 1)
    if best is None:
        return None
    # Built once per study for the winner only (not on every closer site): pydantic construction is the cost.
    return NearestSite(facility=best.facility, city=best.city, state=best.state, distance_miles=best_miles)


def decide(study_status: str, items: Sequence[tuple[Status, bool]]) -> Decision:
    """The decision from the criteria alone: (status, decisive) per item.

    Written so the unsafe outcome cannot be reached: "likely_eligible" needs every item to be not not_met (checked
    here on the statuses themselves, whatever the decisive flags say), a RECRUITING study, no decisive unknown and at
    least one decisive item met. A decisive not_met is "likely_ineligible"; everything else is "possibly"."""
    if any(status == "not_met" and decisive for status, decisive in items):
        return "likely_ineligible"
    if any(status == "not_met" for status, _ in items):
        return "possibly_eligible"
    if (study_status == "RECRUITING" and any(status == "met" and decisive for status, decisive in items)
            and not any(status == "unknown" and decisive for status, decisive in items)):
        return "likely_eligible"
    return "possibly_eligible"


def judge(study: Study, facts: PatientFacts, engine: CriteriaEngine, site: NearestSite | None = None,
          memo: dict[tuple[str, str], ItemResult] | None = None) -> tuple[TrialMatch, int, int]:
    """One study against one person: the match plus its met and unknown counts for ranking.

    `memo` shares item results across studies for the same person (the same items recur across trials); it is keyed
    by (kind, text) because hashing plain strings is much cheaper than the dataclass's generated __hash__/__eq__."""
    memo = {} if memo is None else memo
    stored = study.stored_analyses
    analyses = stored[1] if stored is not None and stored[0] == engine.fingerprint else None
    criteria = []
    judged: list[tuple[Status, bool]] = []
    met = unknown = 0
    for index, item in enumerate(study.items):
        key = (item.kind, item.text)
        result = memo.get(key)
        if result is None:
            if analyses is not None and index < len(analyses):
                engine.adopt(item.text, analyses[index])  # the store's analysis: no trigger scan in a fresh process
            result = memo[key] = engine.evaluate(item, facts)
        criterion = result.criterion
        criteria.append(criterion)
        judged.append((criterion.status, result.decisive_fail or result.decisive_unknown or result.decisive_met))
        if criterion.status == "met":
            met += 1
        elif criterion.status == "unknown":
            unknown += 1
    decision = decide(study.status, judged)
    # Validated construction stays: it is cheaper than model_construct (measured) and keeps the contract checked.
    match = TrialMatch(nct_id=study.nct_id, title=study.title, phase=study.phase, status=study.status,
                       decision=decision, nearest_site=site, criteria=criteria)
    return match, met, unknown


def match_profile(profile: Profile, studies: list[Study], origin: Origin | None = None,
                  radius_miles: float | None = None, pack: Pack | None = None,
                  engine: CriteriaEngine | None = None) -> list[TrialMatch]:
    """Judge every study (within radius_miles of origin when both are given) and rank them."""
    pack = pack or default_pack()
    engine = engine or criteria_engine(pack)
    facts = patient_facts(profile, pack)
    ranked = []
    memo: dict[tuple[str, str], ItemResult] = {}
    for study in studies:
        site = nearest_site(study, origin)
        if origin is not None and radius_miles is not None and (site is None or site.distance_miles > radius_miles):
            continue
        match, met, unknown = judge(study, facts, engine, site, memo)
        distance = site.distance_miles if site else float("inf")
        ranked.append(((DECISION_RANK[match.decision], study.status != "RECRUITING", -met, unknown, distance,
                        study.nct_id), match))
    ranked.sort(key=lambda pair: pair[0])
    return [m for _, m in ranked]
