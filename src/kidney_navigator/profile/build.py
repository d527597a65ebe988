"""Facts from several documents -> one Profile: newest wins, conflicts kept, user corrections win over all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import (
    Conflict,
    Fact,
    Lab,
    Nephrectomy,
    PerformanceStatus,
    Profile,
    Stage,
    Therapy,
    plausible_performance,
)
from kidney_navigator.profile.risk import assess_all
from kidney_navigator.records.text.disease import STATED_T

SINGLE = ["histology", "sarcomatoid", "grade", "stage.t", "stage.n", "stage.m", "stage.group", "diagnosis_date",
          "nephrectomy", "performance_status"]


def _key(fact: Fact, order: int) -> tuple[int, str, int, int]:
    # User corrections first, then the newest dated fact; at the same date a Karnofsky score beats ECOG (IMDC is
    # defined on Karnofsky), then the later document.
    kps = 1 if isinstance(fact.value, dict) and fact.value.get("scale") == "KPS" else 0
    return (1 if fact.source == "user" else 0, fact.date or "", kps, order)


def _lab_key(fact: Fact, order: int) -> tuple[int, str, int, int]:
    # At the same date, the lab's printout (with its reference range) beats a letter restating the value without
    # it: the range is what decides whether the value is above or below the limit.
    ranged = 1 if isinstance(fact.value, dict) and (fact.value.get("low") is not None
                                                     or fact.value.get("high") is not None) else 0
    return (1 if fact.source == "user" else 0, fact.date or "", ranged, order)


def _done(fact: Fact) -> bool:
    return fact.source != "user" and isinstance(fact.value, dict) and fact.value.get("done") is True


def _staging_t(candidates: list[tuple[int, Fact]], therapies: list[tuple[int, Fact]]) -> list[tuple[int, Fact]]:
    """T categories that stage the cancer: one worked out from a tumour size measured after systemic treatment began
    ("L renal mass 7.1 cm (was 9.4 cm)" on a response scan) measures the response, not the stage. A written T
    ("cT3a", "ypT2") and the user's own correction always count."""
    starts = [str(f.value.get("start")) for _, f in therapies if isinstance(f.value, dict) and f.value.get("start")]
    if not starts:
        return candidates
    first = min(starts)
    kept = [c for c in candidates if c[1].source == "user" or STATED_T.search(c[1].evidence.text)
            or not c[1].date or c[1].date <= first]
    return kept or candidates


def _with_own_range(lab: Fact, candidates: list[tuple[int, Fact]]) -> Fact:
    """A value written without its range ("Hb 121 g/L" in a baseline line) takes the range the same document prints
    for the same test in the same unit ("Hb 124 g/L (130-170)"): the lab's own limits, before any default."""
    value = lab.value if isinstance(lab.value, dict) else {}
    if value.get("low") is not None or value.get("high") is not None or lab.source == "user":
        return lab
    unit = str(value.get("unit") or "").lower()
    for _, other in candidates:
        theirs = other.value if isinstance(other.value, dict) else {}
        if other.evidence.document == lab.evidence.document and unit and str(theirs.get("unit") or "").lower() == unit \
                and (theirs.get("low") is not None or theirs.get("high") is not None):
            return lab.model_copy(update={"value": {**value, "low": theirs.get("low"), "high": theirs.get("high")}})
    return lab


def _until(candidates: list[tuple[int, Fact]], as_of: dt.date | None) -> list[tuple[int, Fact]]:
    """The state on `as_of`: a score or a lab measured after the chosen day is not yet known then (all of them are
    kept when every one is later, so a value is never lost)."""
    if as_of is None:
        return candidates
    day = as_of.isoformat()
    return [c for c in candidates if not c[1].date or c[1].date[:10] <= day or c[1].source == "user"] or candidates


def build_profile(facts: list[Fact], pack: Pack, as_of: dt.date | None = None) -> Profile:
    ordered = list(enumerate(facts))
    by_field: dict[str, list[tuple[int, Fact]]] = defaultdict(list)
    for order, fact in ordered:
        by_field[fact.field].append((order, fact))
    chosen: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for name in SINGLE:
        candidates = by_field.get(name, [])
        if name == "performance_status":
            # an impossible score (ECOG 9623 from an answer code) must never reach the profile or the IMDC count
            candidates = [c for c in candidates if isinstance(c[1].value, dict)
                          and plausible_performance(c[1].value.get("scale"), c[1].value.get("value"))]
            candidates = _until(candidates, as_of)
        if not candidates:
            continue
        if name == "stage.t":
            candidates = _staging_t(candidates, by_field.get("therapies", []))
        if name == "nephrectomy" and any(_done(f) for _, f in candidates):
            # An operation cannot be undone: a report that it was done beats a later "no nephrectomy" (unless the
            # user corrected it, which still wins).
            candidates = [c for c in candidates if _done(c[1]) or c[1].source == "user"]
            # a later record's "nephrectomy 2021" says less than the operation note's date: keep the dated one
            dated = [c for c in candidates if c[1].source == "user" or (isinstance(c[1].value, dict)
                                                                         and c[1].value.get("date"))]
            candidates = dated or candidates
        best = max(candidates, key=lambda c: _key(c[1], c[0]))[1]
        chosen[name] = best.value
        others = []
        for _, f in candidates:
            if f.value != best.value and f.value not in others:
                others.append(f.value)
        if others:
            conflicts.append(Conflict(field=name, chosen=best.value, others=others))
    sites = sorted({f.value for _, f in by_field.get("metastatic_sites", []) if f.value})
    removed_sites = {f.value for _, f in by_field.get("metastatic_sites.removed", [])}
    labs: dict[str, Lab] = {}
    for name in [n for n in by_field if n.startswith("labs.")]:
        best = max(_until(by_field[name], as_of), key=lambda c: _lab_key(c[1], c[0]))[1]
        labs[name.removeprefix("labs.")] = Lab.model_validate(best.value)
    therapies = _merge_therapies([f for _, f in by_field.get("therapies", [])])
    dates = [f.date for f in facts if f.date and f.source != "user"]
    today = as_of or (dt.date.fromisoformat(max(dates)) if dates else None)
    diagnosis = chosen.get("diagnosis_date")
    extra: list[Fact] = []
    if diagnosis is None and chosen.get("histology"):
        # no record says when: the first dated naming of the histology, or the day of the nephrectomy if that was
        # earlier (a letter written years later names the histology with its own date; the cancer was known by
        # the operation that removed it at the latest)
        pathology = [f for _, f in by_field.get("histology", []) if f.date]
        operations = [f for _, f in by_field.get("nephrectomy", []) if _done(f) and isinstance(f.value, dict)
                      and f.value.get("date") and f.source != "user"]
        first = min(pathology + operations, key=lambda f: (f.value["date"] if f in operations else f.date) or "",
                    default=None)
        if first is not None:
            diagnosis = str(first.value["date"] if first in operations else first.date)[:10]
            extra.append(Fact(field="diagnosis_date", value=diagnosis, evidence=first.evidence, date=diagnosis))
    nephrectomy = chosen.get("nephrectomy")
    profile = Profile(
        histology=chosen.get("histology"),
        sarcomatoid=chosen.get("sarcomatoid"),
        grade=chosen.get("grade"),
        stage=Stage(t=chosen.get("stage.t"), n=chosen.get("stage.n"), m=chosen.get("stage.m"),
                    group=chosen.get("stage.group")),
        diagnosis_date=diagnosis,
        nephrectomy=Nephrectomy.model_validate(nephrectomy) if isinstance(nephrectomy, dict) else Nephrectomy(),
        metastatic_sites=[s for s in sites if s not in removed_sites],
        performance_status=PerformanceStatus.model_validate(chosen["performance_status"])
        if isinstance(chosen.get("performance_status"), dict) else None,
        labs=labs,
        therapies=therapies,
        facts=[*facts, *extra],
        conflicts=conflicts,
        as_of=today.isoformat() if today else None,
    )
    inputs = _at_first_treatment(profile, by_field)
    profile.imdc, profile.mskcc = assess_all(inputs, pack.risk)
    profile._risk_inputs = inputs if inputs is not profile else None
    return profile


def _at_first_treatment(profile: Profile, by_field: dict[str, list[tuple[int, Fact]]]) -> Profile:
    """The profile as it stood when the first systemic therapy started, for the risk models.

    IMDC and MSKCC are pre-treatment models: a performance status or a blood count measured before the first dose
    is the one they use ("ECOG 0 before treatment; ECOG 1 today"). A blood count measured only after the first
    dose says nothing about the value before it, so that factor is unknown. A performance status with no earlier
    record, an undated value, or the user's correction stands as it is.
    """
    starts = [t.start for t in profile.therapies if t.start]
    if not starts:
        return profile
    first = min(starts)

    def before(name: str) -> Fact | None:
        candidates = by_field.get(name, [])
        if any(f.source == "user" for _, f in candidates):
            return None
        dated = [(o, f) for o, f in candidates if f.date and f.date <= first]
        if name == "performance_status":
            dated = [(o, f) for o, f in dated if isinstance(f.value, dict)
                     and plausible_performance(f.value.get("scale"), f.value.get("value"))]
        rank = _lab_key if name.startswith("labs.") else _key
        return max(dated, key=lambda c: rank(c[1], c[0]))[1] if dated else None

    update: dict[str, Any] = {}
    stated = [(o, f) for o, f in by_field.get("performance_status.baseline", []) if isinstance(f.value, dict)
              and plausible_performance(f.value.get("scale"), f.value.get("value"))]
    ps = None if any(f.source == "user" for _, f in by_field.get("performance_status", [])) else \
        max(stated, key=lambda c: _key(c[1], c[0]))[1] if stated else before("performance_status")
    if ps is not None:
        update["performance_status"] = PerformanceStatus.model_validate(ps.value)
    labs: dict[str, Lab] = {str(k): v for k, v in profile.labs.items()}
    for name in [n for n in by_field if n.startswith("labs.")]:
        lab = before(name)
        if lab is not None:
            labs[name.removeprefix("labs.")] = Lab.model_validate(_with_own_range(lab, by_field[name]).value)
        elif all(f.date and f.date > first for _, f in by_field[name]) and not any(
                f.source == "user" for _, f in by_field[name]):
            # measured only after treatment began: the value before it is unknown, not today's value
            labs.pop(name.removeprefix("labs."), None)
    update["labs"] = labs
    return profile.model_copy(update=update)


def _merge_therapies(facts: list[Fact]) -> list[Therapy]:
    merged: dict[str, dict[str, Any]] = {}
    for fact in sorted(facts, key=lambda f: (f.source == "user", f.date or "")):
        value = dict(fact.value)
        current = merged.setdefault(value["drug"], {"drug": value["drug"], "start": None, "stop": None,
                                                    "stop_reason": None})
        if fact.source == "user":
            current.update({k: v for k, v in value.items() if v is not None})
            continue
        if value.get("start") and current["stop"] and value["start"] > current["stop"] and not value.get("stop"):
            # a later record has the drug started again after the stop an earlier one gave ("restarted 3 mg BID on
            # 03-25" after an ED note's hold): it goes on, so that stop was a pause
            current["stop"] = current["stop_reason"] = None
        if value.get("start") and (current["start"] is None or value["start"] < current["start"]):
            current["start"] = value["start"]
        if value.get("stop") and (current["stop"] is None or value["stop"] > current["stop"]):
            current["stop"] = value["stop"]
        if value.get("stop_reason"):
            current["stop_reason"] = value["stop_reason"]
    therapies = [Therapy.model_validate(v) for v in merged.values()]
    return sorted(therapies, key=lambda t: (t.start is None, t.start or ""))
