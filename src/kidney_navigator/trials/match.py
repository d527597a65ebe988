"""Profile + studies -> ranked TrialMatch list (the `kidney-nav trials match --json` contract).

Public API: `match_profile(profile, studies, origin, radius_miles, pack=None, engine=None) -> list[TrialMatch]`.
Ranking: a decisive unmet criterion makes a study likely_ineligible; a study is likely_eligible only when it is
RECRUITING, nothing is unmet and every decisive item is known; then more met and fewer unknown rank higher, and
distance to the nearest site breaks ties.
"""

from __future__ import annotations

from functools import lru_cache

from kidney_navigator.knowledge.loader import Pack, default_pack
from kidney_navigator.profile.models import Profile
from kidney_navigator.trials.criteria import CriteriaEngine, ItemResult
from kidney_navigator.trials.geo import Origin, haversine_miles
from kidney_navigator.trials.models import Decision, NearestSite, Study, TrialMatch
from kidney_navigator.trials.patient import PatientFacts, patient_facts
from kidney_navigator.trials.split import Item

DECISION_RANK = {"likely_eligible": 0, "possibly_eligible": 1, "likely_ineligible": 2}


@lru_cache(maxsize=4)
def _engine(pack: Pack) -> CriteriaEngine:
    return CriteriaEngine.load(pack)


def nearest_site(study: Study, origin: Origin | None) -> NearestSite | None:
    """The closest site with coordinates, or None when there is no origin or no site has coordinates."""
    if origin is None:
        return None
    best: NearestSite | None = None
    for site in study.sites:
        if site.lat is None or site.lon is None:
            continue
        miles = haversine_miles(origin.lat, origin.lon, site.lat, site.lon)
        if best is None or miles < best.distance_miles:
            best = NearestSite(facility=site.facility, city=site.city, state=site.state,
                               distance_miles=round(miles, 1))
    return best


def judge(study: Study, facts: PatientFacts, engine: CriteriaEngine, site: NearestSite | None = None,
          memo: dict[Item, ItemResult] | None = None) -> tuple[TrialMatch, int, int]:
    """One study against one person: the match plus its met and unknown counts for ranking.

    `memo` shares item results across studies for the same person (the same items recur across trials)."""
    memo = {} if memo is None else memo
    results = []
    for item in study.items:
        result = memo.get(item)
        if result is None:
            result = memo[item] = engine.evaluate(item, facts)
        results.append(result)
    decision: Decision
    if any(r.decisive_fail for r in results):
        decision = "likely_ineligible"
    elif (study.status == "RECRUITING" and all(r.criterion.status != "not_met" for r in results)
          and not any(r.decisive_unknown for r in results) and any(r.decisive_met for r in results)):
        decision = "likely_eligible"
    else:
        decision = "possibly_eligible"
    criteria = [r.criterion for r in results]
    match = TrialMatch(nct_id=study.nct_id, title=study.title, phase=study.phase, status=study.status,
                       decision=decision, nearest_site=site, criteria=criteria)
    return (match, sum(c.status == "met" for c in criteria), sum(c.status == "unknown" for c in criteria))


def match_profile(profile: Profile, studies: list[Study], origin: Origin | None = None,
                  radius_miles: float | None = None, pack: Pack | None = None,
                  engine: CriteriaEngine | None = None) -> list[TrialMatch]:
    """Judge every study (within radius_miles of origin when both are given) and rank them."""
    pack = pack or default_pack()
    engine = engine or _engine(pack)
    facts = patient_facts(profile, pack)
    ranked = []
    memo: dict[Item, ItemResult] = {}
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
