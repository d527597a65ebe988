"""Answer + Profile + OptionSet -> a personal Answer: facts from the records, each with its evidence, never advice.

Pure functions. Triage has already run in the composer; urgent and out-of-scope answers are returned unchanged
(only `personalised` is set to False), so a profile can never soften or hide an urgent message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from kidney_navigator.answers.models import Answer, Section, SourceRef
from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.models import OptionSet
from kidney_navigator.profile.models import Fact, Profile, Therapy

FOR_YOU = "For you: what your records show"
FOR_YOU_OPTIONS = "For you: what guidelines list for a setting like yours"
RECORDS_PUBLISHER = "Your own records"
MAX_THERAPIES = 6
MAX_SNIPPET = 90
MAX_EXTRA_QUESTIONS = 2

HISTOLOGY_LABELS = {
    "clear_cell": "clear cell", "papillary": "papillary", "chromophobe": "chromophobe",
    "collecting_duct": "collecting duct", "medullary": "medullary", "translocation": "translocation",
    "fh_deficient": "FH-deficient", "unclassified": "unclassified", "other": "another type",
}
SITE_LABELS = {
    "lung": "lung", "bone": "bone", "liver": "liver", "brain": "brain", "adrenal": "adrenal gland",
    "lymph_node": "lymph nodes", "pancreas": "pancreas", "other": "another place",
}
STOP_REASONS = {
    "progression": "stopped because the cancer grew (progression)",
    "toxicity": "stopped because of side effects",
    "completed": "finished as planned",
    "other": "stopped for another reason",
}
CATEGORY_LABELS = {
    "preferred": "preferred",
    "other_recommended": "other recommended",
    "certain_circumstances": "in certain cases",
    "fda_approved": "FDA approved",
}
# Questions where the options table is worth showing: treatment choice, drugs, lines, trials.
TREATMENT_WORDS = re.compile(
    r"\b(treat\w*|options?|next|drugs?|therap\w*|medicines?|medications?|pills?|immunotherap\w*|lines?|"
    r"stopped working|what now|trials?|choices?|switch\w*|tki|infusions?)\b",
    re.IGNORECASE,
)


def category_label(category: str) -> str:
    """How the options table ranks a regimen, in words (unknown categories are shown, not dropped)."""
    return CATEGORY_LABELS.get(category, category.replace("_", " "))


def drug_label(drug_id: str, pack: Pack) -> str:
    """'sunitinib (Sutent)': the generic name people see on letters plus the brand on the box."""
    drug = pack.drugs.get(drug_id) or next((d for d in pack.drugs.values() if d.generic == drug_id), None)
    if drug is None:
        return drug_id
    return f"{drug.generic} ({drug.brands[0]})" if drug.brands else drug.generic


def month(date: str | None) -> str | None:
    """YYYY-MM: records rarely give the exact day a drug started, so a month reads more honestly."""
    return date[:7] if date else None


def therapy_phrase(therapy: Therapy, pack: Pack) -> str:
    """'sunitinib (Sutent) from 2023-02 to 2023-11, stopped because the cancer grew'."""
    text = drug_label(therapy.drug, pack)
    start, stop = month(therapy.start), month(therapy.stop)
    if start and stop:
        text += f" from {start} to {stop}"
    elif start:
        text += f" from {start}, with no stop date in these records"
    elif stop:
        text += f" until {stop}"
    if therapy.stop_reason:
        text += ", " + STOP_REASONS[therapy.stop_reason]
    return text


def facts_for(profile: Profile, field: str, value: object = None) -> list[Fact]:
    """The record facts behind one profile field (and value), user corrections first."""
    found = [f for f in profile.facts if f.field == field and (value is None or _same(f.value, value))]
    return sorted(found, key=lambda f: f.source != "user")


def _same(fact_value: object, value: object) -> bool:
    if isinstance(fact_value, dict) and isinstance(value, str):
        return fact_value.get("drug") == value
    return fact_value == value


def snippet(text: str, limit: int = MAX_SNIPPET) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def where(fact: Fact) -> str:
    """'visit-note.txt p.2': the document (and page) a fact came from."""
    ev = fact.evidence
    return ev.document + (f" p.{ev.page}" if ev.page else "")


def quote(fact: Fact) -> str:
    """'(visit-note.txt: “sunitinib”)': the record's own words, so a person can check them."""
    return f"({where(fact)}: \u201c{snippet(fact.evidence.text)}\u201d)"


def record_source_id(document: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", document.lower()).strip("-") or "document"
    return f"record-{slug}"


def _record_refs(facts: Iterable[Fact], as_of: str) -> list[SourceRef]:
    refs: dict[str, SourceRef] = {}
    for fact in facts:
        doc = fact.evidence.document
        sid = record_source_id(doc)
        if sid not in refs:
            refs[sid] = SourceRef(id=sid, title=doc, publisher=RECORDS_PUBLISHER, url=f"file:{doc}", reviewed=as_of)
    return list(refs.values())


def _pack_refs(ids: Iterable[str], pack: Pack) -> list[SourceRef]:
    out = []
    for sid in dict.fromkeys(ids):
        src = pack.sources.get(sid)
        if src is not None:
            out.append(SourceRef(id=sid, title=src.title, publisher=src.publisher, url=src.url,
                                 reviewed=src.accessed.isoformat()))
    return out


def records_section(profile: Profile, pack: Pack) -> tuple[Section, list[Fact]] | None:
    """Plain statements of what the records show, each followed by the words it came from."""
    sentences: list[str] = []
    used: list[Fact] = []

    def add(sentence: str, fact: Fact | None) -> None:
        if fact is not None:
            sentence = f"{sentence} {quote(fact)}"
            used.append(fact)
        sentences.append(sentence + ".")

    therapies = profile.therapies
    for therapy in therapies[:MAX_THERAPIES]:
        ev = next(iter(facts_for(profile, "therapies", therapy.drug)), None)
        add(f"Your records show {therapy_phrase(therapy, pack)}", ev)
    if len(therapies) > MAX_THERAPIES:
        sentences.append(f"They show {len(therapies) - MAX_THERAPIES} more treatments as well.")
    if profile.histology:
        ev = next(iter(facts_for(profile, "histology", profile.histology)), None)
        kind = HISTOLOGY_LABELS.get(profile.histology, profile.histology)
        add(f"The kidney cancer type in your records is {kind}", ev)
    if profile.sarcomatoid:
        add("They mention sarcomatoid features", next(iter(facts_for(profile, "sarcomatoid", True)), None))
    if profile.metastatic_sites:
        names = [SITE_LABELS.get(s, s) for s in profile.metastatic_sites]
        ev = next(iter(facts_for(profile, "metastatic_sites", profile.metastatic_sites[0])), None)
        add("They show spread to the " + _join(names), ev)
    if profile.imdc is not None:
        if profile.imdc.group:
            count = f" ({profile.imdc.count} of {len(profile.imdc.factors)} risk factors)" \
                if profile.imdc.count is not None else ""
            sentences.append(f"From these records, the IMDC risk group works out as {profile.imdc.group}{count}.")
        elif therapies or profile.histology:
            sentences.append("The records do not hold enough to work out the IMDC risk group yet.")
    if not sentences:
        return None
    sentences.append("Please check each line against your own papers; records can be wrong or out of date.")
    return Section(title=FOR_YOU, text=" ".join(sentences), citations=[]), used


def options_section(options: OptionSet, pack: Pack) -> Section:
    """What the options table lists for the next line after the records' treatments, with sources; no choice."""
    setting = options.setting
    kind = HISTOLOGY_LABELS.get(setting.histology_group, setting.histology_group.replace("_", " "))
    risk = f"IMDC {setting.imdc_group}" if setting.imdc_group else "IMDC risk group not known"
    done = setting.line - 1
    before = f"{done} line{'s' if done != 1 else ''} of drug treatment so far" if done else "no drug treatment yet"
    parts = [f"A setting like yours: {kind} kidney cancer, {before}, {risk}."]
    cites: list[str] = []
    if options.options:
        listed = "; ".join(f"{o.regimen} ({category_label(o.category)})" for o in options.options)
        parts.append(f"For the next treatment in this setting, guidelines list: {listed}.")
        for option in options.options:
            cites += option.sources
    else:
        parts.append("The options table in this app lists no drug for this exact setting yet.")
    already = [n.regimen for n in options.not_applicable if "already had" in n.reason]
    if already:
        parts.append("Not repeated here because your records show you had them: " + "; ".join(already) + ".")
    general = [local for local in options.local_and_supportive if local.sources]
    if general:
        parts.append("Also listed: " + "; ".join(local.option.split(" (")[0] for local in general) + ".")
        for local in general:
            cites += local.sources
    parts.append("A list is not a choice. Which one fits, if any, is for you and your cancer team to weigh. "
                 "Your visit summary shows why each one is listed, with its sources.")
    known = [sid for sid in dict.fromkeys(cites) if sid in pack.sources]
    return Section(title=FOR_YOU_OPTIONS, text=" ".join(parts), citations=known)


def wants_options(answer: Answer, pack: Pack) -> bool:
    """Show the options table for treatment questions, or when the question names a drug in the pack."""
    question = answer.question.lower()
    if TREATMENT_WORDS.search(question):
        return True
    names = {d.generic.lower() for d in pack.drugs.values()} | {
        b.lower() for d in pack.drugs.values() for b in d.brands}
    return any(re.search(rf"\b{re.escape(name)}\b", question) for name in names)


def personalise(answer: Answer, profile: Profile, options: OptionSet, pack: Pack) -> Answer:
    """Add 'For you' sections before the questions; urgent, out-of-scope and no-answer results stay as they were."""
    if answer.status != "answered":
        return answer.model_copy(update={"personalised": False})
    found = records_section(profile, pack)
    if found is None:
        return answer.model_copy(update={"personalised": False})
    records, used = found
    refs = _record_refs(used, profile.as_of or dt.date.today().isoformat())
    records.citations = [r.id for r in refs]
    extra = [records]
    if wants_options(answer, pack):
        extra.append(options_section(options, pack))
    sections = list(answer.sections)
    at = next((i for i, s in enumerate(sections) if s.title.startswith("Questions")), len(sections))
    sections[at:at] = extra
    sections = _add_questions(sections, options.questions)
    known = {s.id for s in answer.sources}
    new_refs = [r for r in refs if r.id not in known]
    new_refs += [r for r in _pack_refs((c for s in extra for c in s.citations), pack) if r.id not in known]
    return answer.model_copy(update={"sections": sections, "sources": [*answer.sources, *new_refs],
                                     "personalised": True})


def _add_questions(sections: list[Section], questions: list[str]) -> list[Section]:
    """Append a few questions from the options engine (about this person's setting) to the questions section."""
    out = []
    for section in sections:
        if section.title.startswith("Questions"):
            have = section.text.lower()
            new = [q for q in questions if q.lower() not in have][:MAX_EXTRA_QUESTIONS]
            section = section.model_copy(update={"text": " ".join([section.text, *new]).strip()})
        out.append(section)
    return out


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
