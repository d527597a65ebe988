"""Turn result objects into what the templates show: field rows, highlighted evidence, risk factors, sources.

Kept apart from the routes so the pages stay thin and each piece can be read (and tested) on its own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import get_args

from markupsafe import Markup, escape

from kidney_navigator.answers.models import Answer
from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact, Histology, LabName, Profile, Risk, Site
from kidney_navigator.trials.models import Criterion
from kidney_navigator.web.store import StoredDocument

FACTOR_LABELS = {
    "kps_below_80": "Karnofsky performance status below 80%",
    "diagnosis_to_treatment_under_1y": "Less than 1 year from diagnosis to first treatment",
    "hemoglobin_below_lln": "Hemoglobin below normal",
    "calcium_above_uln": "Corrected calcium above normal",
    "calcium_above_10": "Corrected calcium above 10 mg/dL",
    "neutrophils_above_uln": "Neutrophils above normal",
    "platelets_above_uln": "Platelets above normal",
    "ldh_above_1_5_uln": "LDH above 1.5 times normal",
}
LAB_LABELS = {"hemoglobin": "Hemoglobin", "calcium": "Calcium", "corrected_calcium": "Corrected calcium",
              "albumin": "Albumin", "neutrophils": "Neutrophils", "platelets": "Platelets", "ldh": "LDH"}
YES_NO = ["true", "false"]


@dataclass
class Row:
    """One correctable line of the profile: what we show, what the form posts, and which evidence backs it."""

    field: str
    label: str
    shown: str
    current: str
    hint: str
    choices: list[str] | None = None
    evidence: list[int] = dataclasses.field(default_factory=list)


def _choices(values: tuple[str, ...]) -> list[str]:
    return list(values)


def _lab_text(profile: Profile, name: str) -> tuple[str, str]:
    lab = profile.labs.get(name)  # type: ignore[call-overload]
    if lab is None:
        return "not found", ""
    rng = f" ({lab.low:g}-{lab.high:g})" if lab.low is not None and lab.high is not None else ""
    marked = f" (marked {lab.flag} by the lab)" if lab.flag and not rng else ""
    shown = f"{lab.value:g} {lab.unit}{rng}{marked}" + (f" on {lab.date}" if lab.date else "")
    return shown, f"{lab.value:g} {lab.unit}{rng}".strip()


def rows(profile: Profile) -> list[Row]:
    """Every field a person can correct, found or not, in reading order."""
    by_field: dict[str, list[int]] = {}
    for i, fact in enumerate(profile.facts):
        by_field.setdefault(fact.field, []).append(i)
    ps = profile.performance_status
    neph = profile.nephrectomy.done
    out = [
        Row("histology", "Kidney cancer type", (profile.histology or "not found").replace("_", " "),
            profile.histology or "", "", _choices(get_args(Histology))),
        Row("sarcomatoid", "Sarcomatoid features", {True: "yes", False: "no", None: "not found"}[profile.sarcomatoid],
            "" if profile.sarcomatoid is None else str(profile.sarcomatoid).lower(), "", YES_NO),
        Row("grade", "Grade (WHO/ISUP)", str(profile.grade or "not found"), str(profile.grade or ""), "",
            ["1", "2", "3", "4"]),
        Row("stage.t", "Tumour (T)", profile.stage.t or "not found", profile.stage.t or "", "for example T3a"),
        Row("stage.n", "Lymph nodes (N)", profile.stage.n or "not found", profile.stage.n or "", "for example N1"),
        Row("stage.m", "Spread (M)", profile.stage.m or "not found", profile.stage.m or "", "M0 or M1"),
        Row("diagnosis_date", "Date of diagnosis", profile.diagnosis_date or "not found",
            profile.diagnosis_date or "", "YYYY-MM-DD"),
        Row("nephrectomy", "Kidney removed (nephrectomy)", {True: "yes", False: "no", None: "not found"}[neph],
            "" if neph is None else str(neph).lower(), "", YES_NO),
        Row("performance_status", "Performance status", f"{ps.scale} {ps.value}" if ps else "not found",
            f"{ps.scale}:{ps.value}" if ps else "", "for example KPS:70 or ECOG:1"),
    ]
    for name in get_args(LabName):
        shown, current = _lab_text(profile, name)
        out.append(Row(f"labs.{name}", LAB_LABELS[name], shown, current, "for example 10.9 g/dL (13.5-17.5)"))
    for row in out:
        row.evidence = by_field.get(row.field, [])
    return out


def site_evidence(profile: Profile) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for i, fact in enumerate(profile.facts):
        if fact.field == "metastatic_sites":
            found.setdefault(str(fact.value), []).append(i)
    return found


def therapy_evidence(profile: Profile) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for i, fact in enumerate(profile.facts):
        if fact.field == "therapies" and isinstance(fact.value, dict):
            found.setdefault(str(fact.value.get("drug")), []).append(i)
    return found


ALL_SITES = list(get_args(Site))


def highlight(text: str, spans: list[tuple[int, int, int]]) -> tuple[Markup, list[tuple[int, int, int]]]:
    """The document text, escaped, with <mark id="ev-N"> around each evidence span; overlapping spans are not
    marked twice (the caller links them to the mark that covers them). Returns the marks actually placed."""
    out: list[str] = []
    placed: list[tuple[int, int, int]] = []
    pos = 0
    for start, end, number in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark id="ev-{number}">{escape(text[start:end])}</mark>')
        placed.append((start, end, number))
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out)), placed


@dataclass
class DocumentView:
    filename: str
    kind: str
    pages: list[tuple[int | None, Markup]]
    warnings: list[str]
    marks: int


def document_views(profile: Profile, documents: list[StoredDocument]) -> tuple[list[DocumentView], dict[int, int]]:
    """Each stored document with its facts' evidence marked, and for each fact number the mark to link to."""
    views: list[DocumentView] = []
    anchors: dict[int, int] = {}
    for doc in documents:
        pages: list[tuple[int | None, Markup]] = []
        count = 0
        for number, text in doc.pages:
            spans = [(f.evidence.start, f.evidence.end, i) for i, f in enumerate(profile.facts)
                     if _on_page(f, doc.filename, number) and f.evidence.end > f.evidence.start]
            rendered, placed = highlight(text, spans)
            count += len(placed)
            for start, end, fact in spans:
                cover = next((n for s, e, n in placed if s <= start and end <= e), None)
                if cover is None:  # a partial overlap: link to the mark it starts in
                    cover = next((n for s, e, n in placed if s <= start < e), None)
                if cover is not None:
                    anchors[fact] = cover
            pages.append((number, rendered))
        views.append(DocumentView(doc.filename, doc.kind, pages, doc.warnings, count))
    return views, anchors


def _on_page(fact: Fact, filename: str, page: int | None) -> bool:
    return fact.source != "user" and fact.evidence.document == filename and fact.evidence.page == page


def risk_factors(risk: Risk | None, profile: Profile) -> list[tuple[str, str, str]]:
    """(factor, yes/no/unknown, the value it was judged on) for each factor of a risk model."""
    if risk is None:
        return []
    out = []
    for factor, value in risk.factors.items():
        out.append((FACTOR_LABELS.get(factor, factor.replace("_", " ")),
                    {True: "yes", False: "no", None: "unknown"}[value], _basis(factor, profile)))
    return out


def _basis(factor: str, current: Profile) -> str:
    """The values a factor was judged on: those from before the first treatment when the records have them (the
    risk models are pre-treatment models), which may differ from the current values shown with the profile."""
    profile = current.risk_inputs
    before = " (before the first treatment)" if profile is not current else ""
    return _basis_text(factor, profile) + (before if _basis_text(factor, profile) != _basis_text(factor, current)
                                             else "")


def _basis_text(factor: str, profile: Profile) -> str:
    lab_for = {"hemoglobin_below_lln": "hemoglobin", "neutrophils_above_uln": "neutrophils",
               "platelets_above_uln": "platelets", "ldh_above_1_5_uln": "ldh"}
    if factor == "kps_below_80":
        ps = profile.performance_status
        return f"{ps.scale} {ps.value}" if ps else "no performance status in your records"
    if factor == "diagnosis_to_treatment_under_1y":
        first = min((t.start for t in profile.therapies if t.start), default=None)
        diagnosed = profile.diagnosis_date or "unknown"
        return f"diagnosed {diagnosed}; first treatment {first or 'not found'}"
    if factor.startswith("calcium_above"):
        names = [n for n in ("calcium", "albumin", "corrected_calcium") if n in profile.labs]
        found = [f"{_lab_name(n)} {_lab_text(profile, n)[0]}" for n in names]
        return "; ".join(found) or "no calcium found"
    if factor in lab_for:
        name = lab_for[factor]
        return f"{_lab_name(name)} {_lab_text(profile, name)[0]}"
    return ""


def _lab_name(name: str) -> str:
    return LAB_LABELS[name] if name == "ldh" else LAB_LABELS[name].lower()


def missing_labels(risk: Risk | None) -> list[str]:
    return [FACTOR_LABELS.get(m, m.replace("_", " ")) for m in (risk.missing if risk else [])]


def numbered_sources(ids: list[str], pack: Pack) -> list[dict[str, str]]:
    """Pack sources in first-cited order, with the fields a reader needs to find them."""
    out = []
    for sid in dict.fromkeys(ids):
        src = pack.sources.get(sid)
        if src is not None:
            out.append({"id": sid, "title": src.title, "publisher": src.publisher, "url": src.url,
                        "reviewed": src.accessed.isoformat()})
    return out


def follow_ups(topic_ids: list[str], pack: Pack, limit: int = 4) -> list[str]:
    """Questions a reader might ask next: the first phrasing of each related topic of the topics that answered."""
    seen = set(topic_ids)
    out: list[str] = []
    for tid in topic_ids[:1] + topic_ids[1:2]:
        topic = pack.topics.get(tid)
        for rid in topic.related if topic else []:
            related = pack.topics.get(rid)
            if related is None or rid in seen:
                continue
            seen.add(rid)
            out.append(related.phrasings[0])
            if len(out) >= limit:
                return out
    return out


def team_questions(answer: Answer) -> list[str]:
    for section in answer.sections:
        if section.title.startswith("Questions"):
            return [q.strip() + "?" for q in section.text.split("?") if q.strip()]
    return []


# Trial decisions and criterion statuses in words: never "you are eligible"; colour only repeats what the words say.
DECISION_WORDS = {
    "likely_eligible": ("May fit", "The key points in your records fit this study. Only the study team can "
                        "say whether you can join: ask them."),
    "possibly_eligible": ("Might fit", "Some points cannot be checked from your records. Ask the study team."),
    "likely_ineligible": ("Likely does not fit", "At least one key point in your records does not fit. Records can "
                          "be wrong or out of date: ask the study team to be sure."),
}
DECISION_GROUPS = {"likely_eligible": "Studies that may fit", "possibly_eligible": "Studies that might fit",
                   "likely_ineligible": "Studies that likely do not fit"}
CRITERION_WORDS = {"met": ("Fits", "✓"), "not_met": ("Does not fit", "✗"),
                   "unknown": ("Not known from your records", "?")}
KIND_WORDS = {"inclusion": "Needed", "exclusion": "Rules out"}


def trial_status(status: str) -> str:
    """'NOT_YET_RECRUITING' -> 'Not yet recruiting'."""
    return status.replace("_", " ").capitalize()


def trial_phase(phase: str) -> str:
    """'PHASE1/PHASE2' -> 'Phase 1/2'; 'NA' -> 'Phase not given'."""
    if phase in ("NA", ""):
        return "Phase not given"
    parts = [p.replace("EARLY_PHASE", "early ").replace("PHASE", "") for p in phase.split("/")]
    return "Phase " + "/".join(parts)


def status_counts(criteria: list[Criterion]) -> str:
    """'4 fit, 1 does not fit, 2 not known' (only the non-zero parts)."""
    counts = {s: sum(c.status == s for c in criteria) for s in ("met", "not_met", "unknown")}
    words = {"met": "fit" if counts["met"] != 1 else "fits", "not_met": "do not fit" if counts["not_met"] != 1
             else "does not fit", "unknown": "not known"}
    return ", ".join(f"{n} {words[s]}" for s, n in counts.items() if n) or "no items listed"
