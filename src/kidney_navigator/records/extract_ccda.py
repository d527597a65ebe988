"""C-CDA XML -> Facts from the problems, medications, results and procedures sections.

Parsed with defusedxml: no DTDs, no entity expansion, no external entities (an XML bomb or XXE is refused).
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Evidence, Fact, plausible_performance
from kidney_navigator.records.context import affirmed, modifiers
from kidney_navigator.records.dates import parse_date
from kidney_navigator.records.extract_fhir import KIDNEY_TEXT, LOINC_ECOG, LOINC_KPS, LOINC_LABS
from kidney_navigator.records.performance import coded_score
from kidney_navigator.records.readers import ReadError
from kidney_navigator.records.results import StructuredResult
from kidney_navigator.records.text.disease import STATED_T, grade_facts, histology_facts, sarcomatoid_facts, stage_facts
from kidney_navigator.records.text.events import nephrectomy_facts
from kidney_navigator.records.text.source import KIDNEY_CANCER, TextSource, record_terms
from kidney_navigator.records.text.therapy_words import drug_patterns, given_for_other_use, stop_reason

NS = {"h": "urn:hl7-org:v3"}
SECTIONS = {
    "2.16.840.1.113883.10.20.22.2.5.1": "problems", "2.16.840.1.113883.10.20.22.2.5": "problems",
    "2.16.840.1.113883.10.20.22.2.1.1": "medications", "2.16.840.1.113883.10.20.22.2.1": "medications",
    "2.16.840.1.113883.10.20.22.2.3.1": "results", "2.16.840.1.113883.10.20.22.2.3": "results",
    "2.16.840.1.113883.10.20.22.2.7.1": "procedures", "2.16.840.1.113883.10.20.22.2.7": "procedures",
    # Plan of Treatment (V2), LOINC 18776-5, as HL7's C-CDA samples carry it
    "2.16.840.1.113883.10.20.22.2.10": "plan",
    # Hospital Discharge Diagnosis, whose problem observations are a discharge summary's diagnoses (HL7's
    # Discharge_Summary and Transfer_Summary samples, with LOINC 11535-2 on the diagnosis act)
    "2.16.840.1.113883.10.20.22.2.24": "problems",
    # Discharge Medications (HL7's Discharge_Summary sample: section LOINC 75311-1, each medication wrapped in a
    # Discharge Medication act with LOINC 10183-2)
    "2.16.840.1.113883.10.20.22.2.11.1": "medications", "2.16.840.1.113883.10.20.22.2.11": "medications",
}
# A section may carry only its LOINC section code (templateId left out, or an older or local template): the code is
# what the C-CDA R2.1 section templates fix (SHALL), so it identifies the section too.
SECTION_CODES = {"11450-4": "problems", "10160-0": "medications", "30954-2": "results", "47519-4": "procedures",
                 "18776-5": "plan", "11535-2": "problems", "75311-1": "medications", "10183-2": "medications"}
# SNOMED CT disorders that mean a primary kidney cancer, for problems coded without a matching display name.
KIDNEY_SNOMED = frozenset({"254915003", "93849006", "363518003", "702391001"})


class CcdaError(ReadError):
    """The XML is unsafe or not a C-CDA document."""


def parse_xml(raw: str, document: str) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root: Element = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise CcdaError(f"{document}: refused unsafe XML ({type(exc).__name__}: DTDs and entities are not allowed)."
                        ) from exc
    except ParseError as exc:
        raise CcdaError(f"{document}: not well-formed XML ({exc}).") from exc
    return root


def _text(el: Element | None) -> str:
    """An element's words; the text of each child (a table cell, a list item) stays a separate word."""
    return " ".join(" ".join(el.itertext()).split()) if el is not None else ""


def _code_text(code: Element | None, root_refs: dict[str, str]) -> str:
    if code is None:
        return ""
    parts = [code.get("displayName") or ""]
    original = code.find("h:originalText", NS)
    if original is not None:
        ref = original.find("h:reference", NS)
        parts.append(_text(original) or root_refs.get((ref.get("value") or "").lstrip("#"), "") if ref is not None
                     else _text(original))
    for tr in code.findall("h:translation", NS):
        parts.append(tr.get("displayName") or "")
    return " ".join(p for p in parts if p)


def _when(el: Element | None, which: str = "low") -> str | None:
    if el is None:
        return None
    node = el.find(f"h:{which}", NS)
    value = (node.get("value") if node is not None else None) or (el.get("value") if which == "low" else None)
    if not value or len(value) < 8:
        return None
    parsed = parse_date(f"{value[:4]}-{value[4:6]}-{value[6:8]}")
    return parsed.isoformat() if parsed else None


def read_ccda(raw: str, document: str, pack: Pack) -> StructuredResult:
    root = parse_xml(raw, document)
    if not root.tag.endswith("ClinicalDocument"):
        raise CcdaError(f"{document}: this XML is not a C-CDA ClinicalDocument.")
    refs = {el.get("ID") or "": _text(el) for el in root.iter() if el.get("ID")}
    # a problem that points at one cell of the narrative table: its row's other cells (status, comments) often say
    # more ("no sarcomatoid differentiation", "grading not applicable")
    rows = {el.get("ID") or "": _text(tr) for tr in root.iter("{urn:hl7-org:v3}tr") for el in tr.iter()
            if el.get("ID") and el is not tr}
    result = StructuredResult()

    def ev(needle: str) -> Evidence:
        pos = raw.find(needle) if needle else -1
        if pos < 0:
            return Evidence(document=document, page=None, start=0, end=0, text="")
        return Evidence(document=document, page=None, start=pos, end=pos + len(needle), text=needle)

    sections: dict[str, list[Element]] = {}
    for section in root.iter("{urn:hl7-org:v3}section"):
        kind = section_kind(section)
        if kind:
            sections.setdefault(kind, []).append(section)
    problems = [(obs, problem_text(obs, refs, rows))
                for s in sections.get("problems", []) for obs in s.iter("{urn:hl7-org:v3}observation")]
    result.units = sum(len(list(s.iter("{urn:hl7-org:v3}entry"))) for v in sections.values() for s in v)
    # Labs and performance status belong to the person whatever the document is about (as in free text); only the
    # cancer facts below need a kidney-cancer problem.
    result.facts += _results(sections.get("results", []), ev)
    result.facts += performance_facts(root, ev)
    # negationInd="true" states the problem is absent ("brain metastasis - ruled out"): never a fact.
    problems = [(obs, text) for obs, text in problems if (obs.get("negationInd") or "").lower() != "true"]
    kidney = [(obs, text) for obs, text in problems if is_kidney_problem(obs, text)]
    if not kidney:
        return result
    # the cancer itself before a problem that only mentions it ("Von Hippel-Lindau syndrome ... RCC follow-up")
    kidney.sort(key=lambda p: not histology_facts(TextSource(document=document, text=p[1])))
    for obs, text in kidney:
        onset = _when(obs.find("h:effectiveTime", NS))
        if onset:
            result.facts.append(Fact(field="diagnosis_date", value=onset, evidence=ev(text.split()[0]), date=onset))
        found = histology_facts(TextSource(document=document, text=text))
        if found:
            result.facts.append(Fact(field="histology", value=found[0].value, evidence=ev(found[0].evidence.text),
                                     date=onset))
        grade = grade_facts(TextSource(document=document, text=text))  # "clear cell type, right kidney (ISUP 2, pT2a)"
        if grade:
            result.facts.append(Fact(field="grade", value=grade[0].value, evidence=ev(grade[0].evidence.text),
                                     date=onset))
        sarcomatoid = sarcomatoid_facts(TextSource(document=document, text=text))
        if sarcomatoid:
            result.facts.append(Fact(field="sarcomatoid", value=sarcomatoid[0].value,
                                     evidence=ev(sarcomatoid[0].evidence.text), date=onset))
        for stage in stage_facts(TextSource(document=document, text=text)):  # "pT2a pN0 at diagnosis"
            result.facts.append(Fact(field=stage.field, value=stage.value, evidence=ev(stage.evidence.text),
                                     date=onset))
        # "Not a candidate for cytoreductive nephrectomy (tumor board 08/01/2024)" in the problem's row
        for operation in nephrectomy_facts(TextSource(document=document, text=text)):
            result.facts.append(Fact(field="nephrectomy", value=operation.value,
                                     evidence=ev(operation.evidence.text), date=onset))
        break
    for _obs, text in problems:
        # "Hemangioma of liver - benign, not metastatic": the word must be said of this problem, not denied
        if any(affirmed(text, m.start(), m.end()) for m in METASTASIS_WORD.finditer(text)):
            for site, words in record_terms().metastatic_sites.items():
                m = re.search(r"(?<![a-z])(" + "|".join(words) + r")(?![a-z])", text, re.I)
                if m:
                    result.facts.append(Fact(field="metastatic_sites", value=site, evidence=ev(m.group(0))))
                    break
    result.facts += _pathology_results(sections.get("results", []), document, ev)
    result.facts += _medications(sections.get("medications", []), refs, pack, ev)
    for section in sections.get("procedures", []):
        # a biopsy's or an operation's result row gives the grade ("Core needle biopsy ... | Papillary RCC, WHO/ISUP
        # grade 3"), when no problem entry did
        if not any(f.field == "grade" for f in result.facts):
            for graded in grade_facts(TextSource(document=document, text=_text(section.find("h:text", NS)))):
                result.facts.append(Fact(field="grade", value=graded.value, evidence=ev(graded.evidence.text)))
        for proc in section.iter("{urn:hl7-org:v3}procedure"):
            own = proc.find("h:text", NS)
            ref = own.find("h:reference", NS) if own is not None else None
            narrative = _text(own) or (refs.get((ref.get("value") or "").lstrip("#"), "") if ref is not None else "")
            text = " ".join(p for p in (_code_text(proc.find("h:code", NS), refs), narrative) if p)
            m = NEPHRECTOMY_WORD.search(text)
            if m is None or proc.get("moodCode", "EVN") != "EVN":
                continue  # a planned or proposed operation (moodCode INT/PRP) says nothing yet
            status_element = proc.find("h:statusCode", NS)
            status = status_element.get("code") if status_element is not None else None
            # negationInd, a cancelled status or "NOT performed" in its narrative: the operation was not done
            not_done = (proc.get("negationInd") or "").lower() == "true" or status in ("cancelled", "nullified") \
                or any("negated" in modifiers(narrative, n.start(), n.end())
                       for n in NEPHRECTOMY_WORD.finditer(narrative))
            when = None if not_done else _when(proc.find("h:effectiveTime", NS))
            value = {"done": not not_done, "date": when,
                     "type": None if not_done else (m.group(1) or "").lower() or None}
            result.facts.append(Fact(field="nephrectomy", value=value, evidence=ev(m.group(0)), date=when))
            if not not_done:
                # the operation's result cell: "Chromophobe RCC, 8.3 cm ...; no sarcomatoid change"
                for feature in sarcomatoid_facts(TextSource(document=document, text=text)):
                    result.facts.append(Fact(field="sarcomatoid", value=feature.value,
                                             evidence=ev(feature.evidence.text), date=when))
    # "Not a candidate for cytoreductive nephrectomy at this time" in the plan's narrative: a plan can rule the
    # operation out, never show it was done; so can a procedures table row that has no entry of its own
    # ("Cytoreductive nephrectomy | | Not performed - not a surgical candidate"), when no entry spoke of the operation
    entry_said = any(f.field == "nephrectomy" for f in result.facts)
    narrated = sections.get("plan", []) + ([] if entry_said else sections.get("procedures", []))
    for section in narrated:
        narrative = _text(section.find("h:text", NS))
        for operation in nephrectomy_facts(TextSource(document=document, text=narrative)) if narrative else []:
            if isinstance(operation.value, dict) and operation.value.get("done") is False:
                # the narrative joins table cells with spaces the XML does not have: quote the operation's name
                named = NEPHRECTOMY_WORD.search(operation.evidence.text)
                quoted = operation.evidence.text if raw.find(operation.evidence.text) >= 0 or named is None \
                    else named.group(0).strip()
                result.facts.append(Fact(field="nephrectomy", value=operation.value, evidence=ev(quoted)))
    return result


METASTASIS_WORD = re.compile(r"metasta\w*|secondary malignant", re.I)
NEPHRECTOMY_WORD = re.compile(r"(radical|partial|cytoreductive)?\s*nephrectomy", re.I)


def section_kind(section: Element) -> str | None:
    """problems / medications / results / procedures, by templateId (any version extension) or else by the
    section's LOINC code; None for every other section (family and social history are never read)."""
    for tid in section.findall("h:templateId", NS):
        kind = SECTIONS.get(tid.get("root") or "")
        if kind:
            return kind
    code = section.find("h:code", NS)
    return SECTION_CODES.get(code.get("code") or "") if code is not None else None


def problem_text(obs: Element, refs: dict[str, str], rows: dict[str, str] | None = None) -> str:
    """Everything a problem observation says in words: its value and code (display names, originalText,
    translations) and its own <text>, which R2.1 points at the narrative row with <reference value="#id"/>. When
    the reference is one cell of a table row, the whole row is read."""
    parts = [_code_text(obs.find("h:value", NS), refs), _code_text(obs.find("h:code", NS), refs)]
    own = obs.find("h:text", NS)
    if own is not None:
        ref = own.find("h:reference", NS)
        key = (ref.get("value") or "").lstrip("#") if ref is not None else ""
        parts.append(_text(own) or (rows or {}).get(key) or refs.get(key, ""))
    return " ".join(p for p in parts if p)


def _codes(obs: Element) -> list[str]:
    value = obs.find("h:value", NS)
    if value is None:
        return []
    return [(c.get("code") or "").upper() for c in (value, *value.findall("h:translation", NS))]


def is_kidney_problem(obs: Element, text: str) -> bool:
    """A primary kidney cancer problem: by its words, an ICD-10 C64 code (on the value or a translation) or a
    SNOMED CT kidney-cancer disorder code."""
    return bool(KIDNEY_TEXT.search(text)) or any(c.startswith("C64") or c in KIDNEY_SNOMED for c in _codes(obs))


def _first_drug(text: str, pack: Pack) -> tuple[re.Match[str], str] | None:
    """The drug named first in the text ("Nivolumab ... (with ipilimumab)" is nivolumab)."""
    hits = [(m, drug_id) for rx, drug_id in drug_patterns(pack) if (m := rx.search(text))]
    return min(hits, key=lambda h: (h[0].start(), -len(h[0].group(0)))) if hits else None


def _narrative_rows(section: Element) -> list[str]:
    """The rows of a section's human-readable table: stop reasons often live only there."""
    return [_text(tr) for tr in section.iter("{urn:hl7-org:v3}tr")]


def _medications(sections: list[Element], refs: dict[str, str], pack: Pack, ev: Any) -> list[Fact]:
    facts = []
    for section in sections:
        rows = _narrative_rows(section)
        for sa in section.iter("{urn:hl7-org:v3}substanceAdministration"):
            if sa.get("moodCode") not in (None, "EVN"):
                continue  # intended or proposed, not given
            material = sa.find(".//h:manufacturedMaterial/h:code", NS)
            found = _first_drug(_code_text(material, refs), pack)
            if found is None:
                continue
            m, drug_id = found
            drug = pack.drugs.get(drug_id)
            if drug is not None and "bone_agent" in drug.classes:
                continue
            own_text = " ".join([_code_text(material, refs), _text(sa)] + [
                row for row in rows if (hit := _first_drug(row, pack)) and hit[1] == drug_id])
            if given_for_other_use(drug_id, own_text):
                continue  # everolimus kept for a kidney transplant, not for the cancer
            times = sa.findall("h:effectiveTime", NS)
            start = _when(times[0]) if times else None
            stop = _when(times[0], "high") if times else None
            status = sa.find("h:statusCode", NS)
            reason = None
            if stop or (status is not None and status.get("code") in ("completed", "aborted")):
                own_rows = [row for row in rows if (hit := _first_drug(row, pack)) and hit[1] == drug_id]
                reason = stop_reason(" ".join([_text(sa), *own_rows]))
            value = {"drug": drug.generic if drug else drug_id, "start": start, "stop": stop, "stop_reason": reason}
            facts.append(Fact(field="therapies", value=value, evidence=ev(m.group(0)), date=start))
    return facts


def performance_facts(root: Element, ev: Any) -> list[Fact]:
    """ECOG / Karnofsky observations (LOINC 89247-1 / 89243-0), usually in the functional status section."""
    facts = []
    for obs in root.iter("{urn:hl7-org:v3}observation"):
        code = obs.find("h:code", NS)
        scale = {LOINC_ECOG: "ECOG", LOINC_KPS: "KPS"}.get(code.get("code") or "") if code is not None else None
        value = obs.find("h:value", NS)
        if scale is None or value is None or (obs.get("negationInd") or "").lower() == "true":
            continue
        number: int | None
        try:
            raw = float(value.get("value") or "")
            number = int(raw) if raw == int(raw) else None
        except ValueError:
            # a coded answer (xsi:type="CD" code="LA9624-3" displayName="...") or a bare-number text
            number = coded_score(scale, [value.get("code") or ""], [value.get("displayName") or "", _text(value)])
        if number is None or not plausible_performance(scale, number):
            continue
        when = _when(obs.find("h:effectiveTime", NS))
        facts.append(Fact(field="performance_status", value={"scale": scale, "value": number},
                          evidence=ev(f'code="{code.get("code") if code is not None else ""}"'), date=when))
    return facts


def _pathology_results(sections: list[Element], document: str, ev: Any) -> list[Fact]:
    """A result whose value is a pathology diagnosis in words (xsi:type="ST": "RIGHT KIDNEY, RADICAL NEPHRECTOMY
    (07/18/2023): Renal cell carcinoma, clear cell type, WHO/ISUP grade 4 ... Sarcomatoid features: not identified
    ... pT3a pN0"): read as the text it is. Only a T category the text writes counts (a size in it is not staged)."""
    facts: list[Fact] = []
    for section in sections:
        for obs in section.iter("{urn:hl7-org:v3}observation"):
            value = obs.find("h:value", NS)
            if value is None or value.get(XSI_TYPE) != "ST" or (obs.get("negationInd") or "").lower() == "true":
                continue
            text = _text(value)
            if not KIDNEY_CANCER.search(text):
                continue
            when = _when(obs.find("h:effectiveTime", NS))
            src = TextSource(document=document, text=text)
            for reader in (histology_facts, grade_facts, sarcomatoid_facts, stage_facts):
                for found in reader(src):
                    if found.field == "stage.t" and not STATED_T.search(found.evidence.text):
                        continue
                    facts.append(Fact(field=found.field, value=found.value, evidence=ev(found.evidence.text),
                                      date=when))
    return facts


XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _results(sections: list[Element], ev: Any) -> list[Fact]:
    facts = []
    for section in sections:
        for obs in section.iter("{urn:hl7-org:v3}observation"):
            code = obs.find("h:code", NS)
            name = LOINC_LABS.get(code.get("code") or "") if code is not None else None
            value = obs.find("h:value", NS)
            if not name or value is None or value.get("value") is None:
                continue
            try:
                number = float(value.get("value") or "")
            except ValueError:
                continue
            low = high = None
            rng = obs.find(".//h:referenceRange/h:observationRange/h:value", NS)
            if rng is not None:
                lo, hi = rng.find("h:low", NS), rng.find("h:high", NS)
                low = float(lo.get("value") or 0) if lo is not None and lo.get("value") else None
                high = float(hi.get("value") or 0) if hi is not None and hi.get("value") else None
            when = _when(obs.find("h:effectiveTime", NS))
            lab = {"value": number, "unit": value.get("unit") or "", "low": low, "high": high, "date": when}
            facts.append(Fact(field=f"labs.{name}", value=lab, evidence=ev(f'value="{value.get("value")}"'),
                              date=when))
    return facts
