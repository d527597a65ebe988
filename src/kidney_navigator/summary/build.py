"""Profile + OptionSet -> VisitSummary: everything the printed page shows, as plain data with its evidence.

The summary is built once and rendered to HTML and PDF by render.py, so both faces show the same facts. Nothing
here is a directive: options are "what guidelines list for a setting like yours", each with its sources.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, Field

from kidney_navigator.answers.personalise import (
    HISTOLOGY_LABELS,
    SITE_LABELS,
    STOP_REASONS,
    category_label,
    drug_label,
    facts_for,
    month,
)
from kidney_navigator.knowledge.loader import Pack, default_pack
from kidney_navigator.options.models import OptionSet
from kidney_navigator.profile.models import Fact, Lab, Profile, Risk
from kidney_navigator.profile.render import LABELS as FACTOR_LABELS

MAX_EVIDENCE = 2
MAX_SNIPPET = 160
SUPPORT_SENTENCES = 1
MAX_LINK = 48
LAB_LABELS = {
    "hemoglobin": "Hemoglobin", "calcium": "Calcium", "corrected_calcium": "Corrected calcium",
    "albumin": "Albumin", "neutrophils": "Neutrophils", "platelets": "Platelets", "ldh": "LDH",
}
CLASS_LABELS = {
    "vegf_tki": "VEGF-blocking pill", "pd1_pdl1": "PD-1/PD-L1 immunotherapy", "ctla4": "CTLA-4 immunotherapy",
    "mtor": "mTOR blocker", "hif2a": "HIF-2 alpha blocker", "anti_vegf_antibody": "VEGF antibody",
    "cytokine": "cytokine (IL-2 or interferon)", "chemotherapy": "chemotherapy", "bone_agent": "bone drug",
}
# What a record would need to show for a risk factor that cannot be judged yet.
NEEDS = {
    "kps_below_80": "a Karnofsky score",
    "diagnosis_to_treatment_under_1y": "the dates of diagnosis and of the first drug",
    "hemoglobin_below_lln": "a hemoglobin with its normal range",
    "calcium_above_uln": "a calcium with albumin (or a corrected calcium)",
    "calcium_above_10": "a calcium with albumin (or a corrected calcium)",
    "neutrophils_above_uln": "a neutrophil count",
    "platelets_above_uln": "a platelet count",
    "ldh_above_1_5_uln": "an LDH with its normal range",
}
FACTOR_LABS = {
    "hemoglobin_below_lln": ["hemoglobin"], "calcium_above_uln": ["corrected_calcium", "calcium", "albumin"],
    "calcium_above_10": ["corrected_calcium", "calcium", "albumin"], "neutrophils_above_uln": ["neutrophils"],
    "platelets_above_uln": ["platelets"], "ldh_above_1_5_uln": ["ldh"],
}


class EvidenceItem(BaseModel):
    """The words a fact came from, and where: shown so a person can check it against the paper."""

    document: str
    page: int | None = None
    text: str
    corrected: bool = False


class FactRow(BaseModel):
    label: str
    value: str
    evidence: list[EvidenceItem] = Field(default_factory=list)


class RiskFactorRow(BaseModel):
    label: str
    value: str  # "yes" | "no" | "not known"
    detail: str


class RiskBlock(BaseModel):
    name: str
    group: str | None
    count: int | None
    total: int
    factors: list[RiskFactorRow]
    missing: list[str]


class RiskRow(BaseModel):
    """One factor across both models: its value once, and whether it counts (yes/no/not known) in each."""

    label: str
    detail: str
    imdc: str | None = None  # None: not part of this model
    mskcc: str | None = None


class SourceItem(BaseModel):
    number: int
    id: str
    title: str
    publisher: str
    year: int | None = None
    url: str
    link: str  # the URL as printed: without the scheme, or just the site when the full address is very long
    label: str  # title, plus publisher and year only when the title does not already say them


class OptionRow(BaseModel):
    regimen: str
    category: str
    category_label: str
    why: str
    sources: list[int]


class NotListed(BaseModel):
    regimens: list[str]
    reason: str


class SupportRow(BaseModel):
    option: str
    why: str
    sources: list[int]


class TimelineBar(BaseModel):
    label: str
    start: str
    stop: str | None
    end: str  # where the bar is drawn to: the stop date, or the records' date for a treatment still going
    ongoing: bool
    stop_reason: str | None


class TimelineMarker(BaseModel):
    label: str
    date: str


class Timeline(BaseModel):
    bars: list[TimelineBar] = Field(default_factory=list)
    markers: list[TimelineMarker] = Field(default_factory=list)
    undated: list[str] = Field(default_factory=list)


class VisitSummary(BaseModel):
    """One printable page (two at most) to take to a clinic visit."""

    name: str | None = None
    generated: str
    as_of: str | None = None
    facts: list[FactRow]
    conflicts: list[str]
    risks: list[RiskBlock]
    risk_rows: list[RiskRow]
    risk_missing: list[str]
    setting: str
    options: list[OptionRow]
    already_had: list[str]
    not_listed: list[NotListed]
    supportive: list[SupportRow]
    missing: list[str]
    questions: list[str]
    timeline: Timeline
    sources: list[SourceItem]
    disclaimer: str


def build_summary(profile: Profile, options: OptionSet, *, pack: Pack | None = None, name: str | None = None,
                  generated: dt.date | None = None) -> VisitSummary:
    """Everything the visit summary shows, from a profile and the options engine's result for it."""
    pack = pack or default_pack()
    numbers: dict[str, int] = {}

    def cite(ids: list[str]) -> list[int]:
        out = []
        for sid in ids:
            if sid in pack.sources:
                numbers.setdefault(sid, len(numbers) + 1)
                out.append(numbers[sid])
        return list(dict.fromkeys(out))

    option_rows = [OptionRow(regimen=o.regimen, category=o.category,
                             category_label=category_label(o.category), why=o.why,
                             sources=cite(o.sources)) for o in options.options]
    supportive = [SupportRow(option=s.option, why=_first_sentences(s.why), sources=cite(s.sources))
                  for s in options.local_and_supportive]
    already = [n.regimen for n in options.not_applicable if "already had" in n.reason]
    grouped: dict[str, list[str]] = {}
    for n in options.not_applicable:
        if n.regimen not in already:  # first sentence only, so regimens left out for one reason share a line
            grouped.setdefault(_first_sentences(n.reason), []).append(n.regimen)
    sources = [_source_item(n, sid, pack) for sid, n in numbers.items()]
    risks = [_risk_block(label, risk, profile) for label, risk in (("IMDC", profile.imdc), ("MSKCC", profile.mskcc))
             if risk is not None]
    return VisitSummary(
        name=name,
        generated=(generated or dt.date.today()).isoformat(),
        as_of=profile.as_of,
        facts=_fact_rows(profile, pack),
        conflicts=[f"Your records disagree on {c.field.replace('_', ' ')}: this summary uses {_plain(c.chosen)} "
                   f"(the newest); also seen: {', '.join(_plain(o) for o in c.others)}." for c in profile.conflicts],
        risks=risks,
        risk_rows=_risk_rows(profile),
        risk_missing=list(dict.fromkeys(m for r in risks for m in r.missing)),
        setting=_setting(options),
        options=option_rows,
        already_had=already,
        not_listed=[NotListed(regimens=r, reason=reason) for reason, r in grouped.items()],
        supportive=supportive,
        missing=list(options.missing),
        questions=_questions(profile, options),
        timeline=build_timeline(profile, pack),
        sources=sources,
        disclaimer=options.disclaimer or pack.safety.disclaimer.strip(),
    )


def _first_sentences(text: str, count: int = SUPPORT_SENTENCES) -> str:
    """The first sentence(s) of a long reason, so the page stays at one or two sheets."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(text.split()))
    return " ".join(parts[:count])


def _source_item(number: int, sid: str, pack: Pack) -> SourceItem:
    src = pack.sources[sid]
    label = src.title.rstrip(".")
    if src.publisher.lower() not in label.lower():
        label += f". {src.publisher}"
    if str(src.year) not in label:
        label += f", {src.year}"
    return SourceItem(number=number, id=sid, title=src.title, publisher=src.publisher, year=src.year, url=src.url,
                      link=_link(src.url), label=label)


def _link(url: str) -> str:
    short = re.sub(r"^https?://(www\.)?", "", url)
    return short if len(short) <= MAX_LINK else short.split("/")[0]


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items() if v is not None)
    return str(value).replace("_", " ")


def _evidence(facts: list[Fact]) -> list[EvidenceItem]:
    out: list[EvidenceItem] = []
    seen: list[tuple[str, str]] = []
    for fact in facts:
        text = " ".join(fact.evidence.text.split())
        doc = fact.evidence.document
        if any(d == doc and text.lower() in t for d, t in seen):
            continue  # the same words, or words already inside a longer quote from the same document
        out = [e for e in out if not (e.document == doc and e.text.lower() in text.lower())]
        seen.append((doc, text.lower()))
        out.append(EvidenceItem(document=fact.evidence.document, page=fact.evidence.page,
                                text=text if len(text) <= MAX_SNIPPET else text[: MAX_SNIPPET - 1] + "\u2026",
                                corrected=fact.source == "user"))
    return out[:MAX_EVIDENCE]


def _row(rows: list[FactRow], label: str, value: str, facts: list[Fact]) -> None:
    rows.append(FactRow(label=label, value=value, evidence=_evidence(facts)))


def _lab_text(name: str, lab: Lab) -> str:
    rng = f" (normal {lab.low:g}\u2013{lab.high:g})" if lab.low is not None and lab.high is not None else ""
    marked = f" (marked {lab.flag} by the lab)" if lab.flag and not rng else ""
    return f"{lab.value:g} {lab.unit}{rng}{marked}" + (f", {lab.date}" if lab.date else "")


def _fact_rows(profile: Profile, pack: Pack) -> list[FactRow]:
    """One row per profile fact, in the order a clinician reads them, each with the words it came from."""
    rows: list[FactRow] = []
    if profile.histology:
        _row(rows, "Kidney cancer type", HISTOLOGY_LABELS.get(profile.histology, profile.histology),
             facts_for(profile, "histology", profile.histology))
    if profile.sarcomatoid is not None:
        _row(rows, "Sarcomatoid features", "yes" if profile.sarcomatoid else "no",
             facts_for(profile, "sarcomatoid", profile.sarcomatoid))
    if profile.grade:
        _row(rows, "Grade", str(profile.grade), facts_for(profile, "grade", profile.grade))
    stage = profile.stage
    parts = [(f, v) for f, v in (("stage.t", stage.t), ("stage.n", stage.n), ("stage.m", stage.m),
                                 ("stage.group", stage.group)) if v]
    if parts:
        _row(rows, "Stage", " ".join(v for _, v in parts), [x for f, v in parts for x in facts_for(profile, f, v)])
    if profile.diagnosis_date:
        _row(rows, "Diagnosed", profile.diagnosis_date, facts_for(profile, "diagnosis_date", profile.diagnosis_date))
    neph = profile.nephrectomy
    if neph.done is not None:
        value = ("yes" + (f", {neph.type}" if neph.type else "") + (f", {neph.date}" if neph.date else "")
                 if neph.done else "no")
        _row(rows, "Kidney removed", value, facts_for(profile, "nephrectomy"))
    if profile.metastatic_sites:
        evidence = [f for s in profile.metastatic_sites for f in facts_for(profile, "metastatic_sites", s)[:1]]
        _row(rows, "Where it has spread", ", ".join(SITE_LABELS.get(s, s) for s in profile.metastatic_sites),
             evidence)
    if profile.performance_status:
        ps = profile.performance_status
        _row(rows, "Performance status", f"{'Karnofsky' if ps.scale == 'KPS' else 'ECOG'} {ps.value}",
             facts_for(profile, "performance_status", ps.model_dump()))
    for name, lab in profile.labs.items():
        found = facts_for(profile, f"labs.{name}", lab.model_dump()) or facts_for(profile, f"labs.{name}")
        _row(rows, LAB_LABELS.get(name, name), _lab_text(name, lab), found)
    for therapy in profile.therapies:
        start, stop = month(therapy.start), month(therapy.stop)
        when = (f"{start or '?'} to {stop}" if stop else f"since {start}" if start else "dates not in records")
        reason = f"; {STOP_REASONS[therapy.stop_reason]}" if therapy.stop_reason else ""
        _row(rows, "Treatment", f"{drug_label(therapy.drug, pack)}: {when}{reason}",
             facts_for(profile, "therapies", therapy.drug))
    for marker in profile.biomarkers:
        _row(rows, "Biomarker", f"{marker.name}: {marker.value}", facts_for(profile, "biomarkers"))
    return rows


def _factor_detail(factor: str, profile: Profile) -> str:
    """The measured values behind one risk factor, or what the records lack."""
    if factor == "kps_below_80":
        ps = profile.performance_status
        if ps is None:
            return "no performance score in these records"
        if ps.scale == "KPS":
            return f"Karnofsky {ps.value}%"
        return f"ECOG {ps.value} (may not show which side of Karnofsky 80% it is)"
    if factor == "diagnosis_to_treatment_under_1y":
        starts = sorted(t.start for t in profile.therapies if t.start)
        first = starts[0] if starts else None
        if not profile.diagnosis_date:
            return "no diagnosis date in these records" + (f" (first drug {first})" if first else "")
        return f"diagnosed {profile.diagnosis_date}" + (f"; first drug {first}" if first else "; no drug yet")
    labs = [n for n in FACTOR_LABS.get(factor, []) if n in profile.labs]
    if not labs:
        wanted = FACTOR_LABS.get(factor, [factor])[0]
        label = LAB_LABELS.get(wanted, wanted)
        return f"no {label if label.isupper() else label.lower()} in these records"
    return "; ".join(f"{LAB_LABELS[n]} {_lab_text(n, profile.labs[n])}" for n in labs)


def _risk_block(name: str, risk: Risk, profile: Profile) -> RiskBlock:
    rows = [RiskFactorRow(label=FACTOR_LABELS.get(f, f.replace("_", " ")),
                          value={True: "yes", False: "no", None: "not known"}[v], detail=_factor_detail(f, profile))
            for f, v in risk.factors.items()]
    missing = list(dict.fromkeys(NEEDS.get(m, FACTOR_LABELS.get(m, m)) for m in risk.missing))
    return RiskBlock(name=name, group=risk.group, count=risk.count, total=len(risk.factors), factors=rows,
                     missing=missing)


def _risk_rows(profile: Profile) -> list[RiskRow]:
    rows: dict[str, RiskRow] = {}
    for model, risk in (("imdc", profile.imdc), ("mskcc", profile.mskcc)):
        if risk is None:
            continue
        for factor, value in risk.factors.items():
            row = rows.setdefault(factor, RiskRow(label=FACTOR_LABELS.get(factor, factor.replace("_", " ")),
                                                  detail=_factor_detail(factor, profile)))
            setattr(row, model, {True: "yes", False: "no", None: "not known"}[value])
    return list(rows.values())


def _setting(options: OptionSet) -> str:
    s = options.setting
    kind = HISTOLOGY_LABELS.get(s.histology_group, s.histology_group.replace("_", " "))
    done = s.line - 1
    lines = f"{done} line{'s' if done != 1 else ''} of drug treatment in your records" if done else \
        "no drug treatment in your records yet"
    risk = f"IMDC {s.imdc_group}" if s.imdc_group else "IMDC risk group not known"
    before = ", ".join(CLASS_LABELS.get(c, c) for c in s.prior_classes)
    return f"{kind.capitalize()} kidney cancer; {lines}" + (f" ({before})" if before else "") + f"; {risk}."


def _questions(profile: Profile, options: OptionSet) -> list[str]:
    questions = list(options.questions)
    if profile.imdc is not None and profile.imdc.group is None and profile.imdc.missing:
        questions.append("My records do not show everything needed for my risk group. Can we check what is missing?")
    for conflict in profile.conflicts:
        questions.append(f"My records disagree about my {conflict.field.replace('_', ' ').replace('.', ' ')}. "
                         "Which is right?")
    return list(dict.fromkeys(questions))


def build_timeline(profile: Profile, pack: Pack) -> Timeline:
    """Dated treatments as bars, with diagnosis and surgery markers; undated treatments are listed, not drawn."""
    end_default = profile.as_of
    bars: list[TimelineBar] = []
    undated: list[str] = []
    for therapy in profile.therapies:
        label = drug_label(therapy.drug, pack)
        end = therapy.stop or end_default
        if therapy.stop is None and therapy.start and (end is None or end < therapy.start):
            end = therapy.start  # started after the newest dated record: still a dated bar, drawn from its start
        if not therapy.start or not end or end < therapy.start:
            undated.append(label)
            continue
        bars.append(TimelineBar(label=label, start=therapy.start, stop=therapy.stop, end=end,
                                ongoing=therapy.stop is None,
                                stop_reason=STOP_REASONS[therapy.stop_reason] if therapy.stop_reason else None))
    markers = []
    if profile.diagnosis_date:
        markers.append(TimelineMarker(label="Diagnosis", date=profile.diagnosis_date))
    if profile.nephrectomy.done and profile.nephrectomy.date:
        markers.append(TimelineMarker(label="Kidney surgery", date=profile.nephrectomy.date))
    return Timeline(bars=bars, markers=markers, undated=undated)
