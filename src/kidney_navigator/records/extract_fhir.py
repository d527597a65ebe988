"""FHIR R4 (mCODE) JSON -> Facts. Each resource is validated with fhir.resources' R4B models; invalid or unknown
resources are skipped with a warning, never a crash. Evidence points at the value's text in the JSON file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Evidence, Fact, plausible_performance
from kidney_navigator.records.dates import parse_date
from kidney_navigator.records.performance import coded_score
from kidney_navigator.records.readers import ReadError
from kidney_navigator.records.results import StructuredResult
from kidney_navigator.records.text.disease import STATED_T, grade_facts, histology_facts, sarcomatoid_facts, stage_facts
from kidney_navigator.records.text.events import nephrectomy_facts
from kidney_navigator.records.text.source import TextSource, record_terms
from kidney_navigator.records.text.therapy_words import drug_patterns, given_for_other_use, stop_reason

KIDNEY_CODES = {
    ("icd-10", "C64"), ("icd-10", "C64.1"), ("icd-10", "C64.2"), ("icd-10", "C64.9"), ("snomed", "93849006"),
    ("snomed", "702391001"), ("snomed", "41607009"), ("snomed", "254915003"), ("snomed", "363518003"),
}
# "Clear cell carcinoma of kidney", "Malignant neoplasm of left kidney, except renal pelvis": the side may sit between.
KIDNEY_TEXT = re.compile(r"renal cell|kidney (cancer|carcinoma|neoplasm|tumou?r)"
                         r"|(malignant neoplasm|carcinoma|cancer|malignant tumou?r) of (the )?((left|right) )?kidney"
                         r"|renal carcinoma|\brcc\b", re.I)
# 2000-8 is total calcium in mmol/L ("Calcium [Moles/volume] in Serum or Plasma"; 17861-6 is the mg/dL code), as
# lab-to-LOINC maps such as MIMIC's d_labitems and FHIR lab profiles use it; checked 2026-12-07.
LOINC_LABS = {
    # 59260-0 is haemoglobin in mmol/L, as Dutch laboratories report it (HL7 Switzerland's CH LAB-Order
    # ObservationDefinition "Hemoglobin [Moles/volume] in Blood"; checked 2026-12-07)
    "718-7": "hemoglobin", "20509-6": "hemoglobin", "30313-1": "hemoglobin", "59260-0": "hemoglobin",
    "777-3": "platelets",
    "26515-7": "platelets", "751-8": "neutrophils", "753-4": "neutrophils", "26499-4": "neutrophils",
    "17861-6": "calcium", "49765-1": "calcium", "2000-8": "calcium", "29265-6": "corrected_calcium",
    "1751-7": "albumin", "2862-1": "albumin", "61151-7": "albumin", "2532-0": "ldh", "14804-9": "ldh", "14805-6": "ldh",
}
LOINC_TNM = {"21905-5": "t", "21899-0": "t", "21906-3": "n", "21900-6": "n", "21907-1": "m", "21901-4": "m",
             "21908-9": "group", "21902-2": "group"}
LOINC_ECOG, LOINC_KPS = "89247-1", "89243-0"
# ICD-O-3 morphology codes of kidney cancer types: 8310, 8317, 8319 and 8510 as SEER's kidney coding rules give them
# (checked 2026-12-07; 8312, renal cell carcinoma NOS, names no type). 8260, papillary adenocarcinoma NOS, is the
# code registries use for papillary RCC; it was not in the part of those rules that was checked.
ICDO3_KIDNEY = {"8310": "clear_cell", "8260": "papillary", "8317": "chromophobe", "8319": "collecting_duct",
                "8510": "medullary"}
# "Histology grade [Identifier] in Cancer specimen", the code of mCODE's Histologic Grade profile (checked
# 2026-12-07); its value may be a SNOMED low/intermediate/high concept (no ISUP number) or text ("WHO/ISUP graad 3")
LOINC_GRADE = "33732-9"


class FhirError(ReadError):
    """The file is not FHIR JSON we can read at all."""


def _system(system: str | None) -> str:
    s = (system or "").lower()
    return "snomed" if "snomed" in s else "loinc" if "loinc" in s else "icd-10" if "icd-10" in s or "icd10" in s \
        else "rxnorm" if "rxnorm" in s else s


def _codings(concept: Any) -> list[tuple[str, str, str]]:
    if not isinstance(concept, dict):
        return []
    out = [(_system(c.get("system")), str(c.get("code", "")), str(c.get("display", "")))
           for c in concept.get("coding", []) or [] if isinstance(c, dict)]
    if concept.get("text"):
        out.append(("text", "", str(concept["text"])))
    return out


def _text_of(concept: Any) -> str:
    return " ".join(d for _, _, d in _codings(concept) if d)


def iter_resources(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        for entry in data.get("entry", []) or []:
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                yield from iter_resources(entry["resource"])
    elif isinstance(data, dict) and "resourceType" in data:
        yield data
    elif isinstance(data, list):
        for item in data:
            yield from iter_resources(item)


def _validate(resource: dict[str, Any]) -> str | None:
    """None when the resource is valid R4 (via the R4B models), else a short reason."""
    from fhir.resources.R4B import get_fhir_model_class

    try:
        model = get_fhir_model_class(str(resource.get("resourceType")))
    except (KeyError, ValueError):
        return f"unknown resource type {resource.get('resourceType')!r}"
    try:
        model.model_validate(resource)
    except Exception as exc:  # the library raises several pydantic/fhir error types
        first = str(exc).splitlines()[0][:160]
        return f"invalid {resource.get('resourceType')} {resource.get('id', '')}: {first}"
    return None


class _Locator:
    """Find a value's span in the raw JSON text, searching from the resource's id so spans point at the right place."""

    def __init__(self, raw: str, document: str) -> None:
        self.raw, self.document = raw, document

    def evidence(self, resource: dict[str, Any], needle: str) -> Evidence:
        rid = str(resource.get("id", ""))
        anchor = self.raw.find(f'"{rid}"') if rid else 0
        anchor = max(anchor, 0)
        needle = needle.strip()
        pos = self.raw.find(needle, anchor) if needle else -1
        if pos < 0:
            pos = self.raw.find(needle) if needle else -1
        if pos < 0:
            pos, needle = anchor, f'"{rid}"' if rid else self.raw[anchor:anchor + 20]
        return Evidence(document=self.document, page=None, start=pos, end=pos + len(needle),
                        text=self.raw[pos:pos + len(needle)])


def read_fhir(raw: str, document: str, pack: Pack) -> StructuredResult:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FhirError(f"{document}: not valid JSON ({exc.msg} at line {exc.lineno}).") from exc
    resources = list(iter_resources(data))
    if not resources:
        raise FhirError(f"{document}: no FHIR resources found (expected a Bundle or resources with 'resourceType').")
    result = StructuredResult(units=len(resources))
    valid = []
    for resource in resources:
        problem = _validate(resource)
        if problem:
            result.warnings.append(f"{document}: skipped {problem}")
        elif resource.get("status") not in ("entered-in-error", "cancelled"):
            valid.append(resource)  # a record entered in error or cancelled says nothing about the patient
    loc = _Locator(raw, document)
    conditions = [r for r in valid if r.get("resourceType") == "Condition" and _confirmed(r)]
    primaries = [r for r in conditions if _is_kidney_cancer(r) and not _is_secondary(r)]
    if not primaries:
        return result  # nothing here is about kidney cancer: no facts at all
    for condition in primaries:
        result.facts += _condition_facts(condition, loc)
    for resource in valid:
        kind = resource.get("resourceType")
        if kind == "Condition" and resource in conditions and _is_secondary(resource):
            result.facts += _site_facts(resource, loc)
        elif kind == "Observation":
            result.facts += _observation_facts(resource, loc)
        elif kind in ("MedicationStatement", "MedicationRequest", "MedicationAdministration"):
            result.facts += _medication_facts(resource, loc, pack)
        elif kind == "Procedure":
            result.facts += _procedure_facts(resource, loc)
        elif kind == "DiagnosticReport":
            result.facts += _report_facts(resource, loc)
    return result


def _report_facts(report: dict[str, Any], loc: _Locator) -> list[Fact]:
    """A pathology DiagnosticReport's conclusion, read as the text it is ("papillary renal cell carcinoma, WHO/ISUP
    grade 3 ... Sarcomatoid or rhabdoid features: not identified ... pT2a pN0")."""
    if report.get("status") in ("entered-in-error", "cancelled"):
        return []
    text = " ".join(p for p in [str(report.get("conclusion") or ""),
                                *(_text_of(c) for c in report.get("conclusionCode", []) or [])] if p)
    if not text.strip():
        return []
    when = _date_of(report, "effectiveDateTime", "effectivePeriod", "issued")
    src = TextSource(document=loc.document, text=text)
    facts = []
    for reader in (histology_facts, grade_facts, sarcomatoid_facts, stage_facts):
        for found in reader(src):
            if found.field == "stage.t" and not STATED_T.search(found.evidence.text):
                continue  # a size in an imaging report ("3.4 cm") is not the primary's T category
            facts.append(Fact(field=found.field, value=found.value,
                              evidence=loc.evidence(report, found.evidence.text), date=when))
    return facts


UNCONFIRMED = {"refuted", "entered-in-error", "provisional", "differential", "unconfirmed"}


def _confirmed(condition: dict[str, Any]) -> bool:
    """A refuted, provisional or differential diagnosis is not a fact about the patient."""
    codes = {code for _, code, _ in _codings(condition.get("verificationStatus"))}
    return not codes & UNCONFIRMED


def _is_kidney_cancer(condition: dict[str, Any]) -> bool:
    for system, code, display in _codings(condition.get("code")):
        if (system, code) in KIDNEY_CODES or (system == "icd-10" and code.upper().startswith("C64")):
            return True
        if KIDNEY_TEXT.search(display):
            return True
    return False


def _is_secondary(condition: dict[str, Any]) -> bool:
    """A metastasis Condition: by its mCODE profile, or by its words. A primary kidney-cancer profile or code (C64)
    stays the primary even when its text adds "- METASTATIC" (the cancer has spread; the Condition is still it)."""
    profiles = " ".join((condition.get("meta") or {}).get("profile", []) or [])
    if "secondary-cancer-condition" in profiles:
        return True
    if "primary-cancer-condition" in profiles or any(
            (system, code) in KIDNEY_CODES or (system == "icd-10" and code.upper().startswith("C64"))
            for system, code, _ in _codings(condition.get("code"))):
        return False
    return bool(re.search(r"metasta|secondary malignant", _text_of(condition.get("code")), re.I))


def _date_of(resource: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = resource.get(key)
        if isinstance(value, dict):
            value = value.get("start")
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed:
                return parsed.isoformat()
    return None


def _condition_facts(condition: dict[str, Any], loc: _Locator) -> list[Fact]:
    facts: list[Fact] = []
    onset = _date_of(condition, "onsetDateTime", "onsetPeriod", "recordedDate")
    code_text = _text_of(condition.get("code"))
    if onset:
        facts.append(Fact(field="diagnosis_date", value=onset, evidence=loc.evidence(condition, onset[:10]),
                          date=onset))
    morph_texts = [code_text]
    for ext in condition.get("extension", []) or []:
        if isinstance(ext, dict) and "histology-morphology-behavior" in str(ext.get("url", "")):
            morph_texts.insert(0, _text_of(ext.get("valueCodeableConcept")))
    for text in morph_texts:
        found = histology_facts(TextSource(document=loc.document, text=text))
        if found:
            facts.append(Fact(field="histology", value=found[0].value,
                              evidence=loc.evidence(condition, found[0].evidence.text), date=onset))
            break
    else:
        # the ICD-O-3 morphology code when its words are in another language ("8260/3 Papilläres Adenokarzinom")
        for ext in condition.get("extension", []) or []:
            if isinstance(ext, dict) and "histology-morphology-behavior" in str(ext.get("url", "")):
                for system, code, _ in _codings(ext.get("valueCodeableConcept")):
                    histology = ICDO3_KIDNEY.get(code.split("/")[0]) if "icd-o" in system else None
                    if histology:
                        facts.append(Fact(field="histology", value=histology,
                                          evidence=loc.evidence(condition, code), date=onset))
                        break
    # Grade and sarcomatoid features are often only in words: "Clear cell RCC, left kidney, ISUP grade 2", also in
    # the morphology extension's text ("Clear cell RCC, WHO/ISUP grade 2")
    notes = [n.get("text", "") for n in condition.get("note", []) or [] if isinstance(n, dict)]
    readers = ((grade_facts, "grade"), (sarcomatoid_facts, "sarcomatoid"), (nephrectomy_facts, "nephrectomy"))
    for reader, field in readers:
        # ... and so is a tumour board's "not a candidate for cytoreductive nephrectomy" in a note
        texts = [*morph_texts, *notes] if field != "nephrectomy" else [code_text, *notes]
        for text in dict.fromkeys(texts):
            found = reader(TextSource(document=loc.document, text=text)) if text else []
            if found:
                facts.append(Fact(field=field, value=found[0].value,
                                  evidence=loc.evidence(condition, found[0].evidence.text),
                                  date=onset if field != "nephrectomy" else found[0].date))
                break
    return facts


def _site_facts(condition: dict[str, Any], loc: _Locator) -> list[Fact]:
    text = " ".join([_text_of(s) for s in condition.get("bodySite", []) or []] + [_text_of(condition.get("code"))])
    for site, words in record_terms().metastatic_sites.items():
        m = re.search(r"(?<![a-z])(" + "|".join(words) + r")(?![a-z])", text, re.I)
        if m:
            return [Fact(field="metastatic_sites", value=site, evidence=loc.evidence(condition, m.group(0)),
                         date=_date_of(condition, "onsetDateTime", "recordedDate"))]
    return [Fact(field="metastatic_sites", value="other", evidence=loc.evidence(condition, text[:40]))] if text \
        else []


def _observation_facts(obs: dict[str, Any], loc: _Locator) -> list[Fact]:
    codes = {code for system, code, _ in _codings(obs.get("code")) if system == "loinc"}
    when = _date_of(obs, "effectiveDateTime", "effectivePeriod", "issued")
    facts: list[Fact] = []
    value = obs.get("valueQuantity") or {}
    concept = obs.get("valueCodeableConcept")
    if LOINC_ECOG in codes or LOINC_KPS in codes:
        scale = "ECOG" if LOINC_ECOG in codes else "KPS"
        number = value.get("value") if isinstance(value, dict) else None
        if number is None and isinstance(obs.get("valueInteger"), int):
            number = obs["valueInteger"]
        if number is None and concept:
            answers = _codings(concept)
            number = coded_score(scale, [c for _, c, _ in answers], [d for _, _, d in answers])
        if isinstance(number, int | float) and number == int(number) and plausible_performance(scale, int(number)):
            facts.append(Fact(field="performance_status", value={"scale": scale, "value": int(number)},
                              evidence=loc.evidence(obs, str(int(number))), date=when))
    if LOINC_GRADE in codes and concept:
        # only a written number counts: "Intermediate histologic grade" is not an ISUP grade
        for found in grade_facts(TextSource(document=loc.document, text=" ".join(
                [_text_of(concept), *(d for _, _, d in _codings(concept))]))):
            facts.append(Fact(field="grade", value=found.value, evidence=loc.evidence(obs, found.evidence.text),
                              date=when))
    for code in codes & set(LOINC_LABS):
        if isinstance(value, dict) and isinstance(value.get("value"), int | float):
            low = high = None
            for ref in obs.get("referenceRange", []) or []:
                low = (ref.get("low") or {}).get("value", low)
                high = (ref.get("high") or {}).get("value", high)
            lab = {"value": float(value["value"]), "unit": str(value.get("unit") or value.get("code") or ""),
                   "low": low, "high": high, "date": when}
            facts.append(Fact(field=f"labs.{LOINC_LABS[code]}", value=lab,
                              evidence=loc.evidence(obs, json.dumps(value["value"])), date=when))
    for code in codes & set(LOINC_TNM):
        part = LOINC_TNM[code]
        text = " ".join(f"{c} {d}" for _, c, d in _codings(concept))
        rx = {"t": r"\b[cp]?T([0-4x])([abc])?\b", "n": r"\b[cp]?N([0-3x])\b", "m": r"\b[cp]?M([01x])\b",
              "group": r"\b(?:stage\s*)?(IV|III|II|I|[1-4])[ABC]?\b"}[part]
        m = re.search(rx, text, re.I)
        if m:
            if part == "group":
                staged = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(m.group(1), m.group(1).upper())
            else:
                staged = part.upper() + m.group(1).upper() + ((m.group(2) or "").lower() if part == "t" else "")
            facts.append(Fact(field=f"stage.{part}", value=staged, evidence=loc.evidence(obs, m.group(0)), date=when))
    return facts


def _medication_facts(med: dict[str, Any], loc: _Locator, pack: Pack) -> list[Fact]:
    text = _text_of(med.get("medicationCodeableConcept"))
    if not text:
        ref = (med.get("medicationReference") or {}).get("display")
        text = str(ref or "")
    if med.get("status") in ("entered-in-error", "not-taken", "cancelled", "draft", "intended", "not-done"):
        return []  # not given ("not-done" is a MedicationAdministration whose dose was withheld)
    if med.get("intent") in NOT_ORDERED:
        return []  # a plan or proposal is a drug someone may give later, not one the patient has received
    facts = []
    seen: set[str] = set()
    for rx, drug_id in drug_patterns(pack):
        m = rx.search(text)
        if not m or drug_id in seen:
            continue
        seen.add(drug_id)
        drug = pack.drugs.get(drug_id)
        if drug is not None and "bone_agent" in drug.classes:
            continue
        notes = " ".join(str(n.get("text", "")) for n in med.get("note", []) or [] if isinstance(n, dict))
        reasons = " ".join(_text_of(r) for r in med.get("reasonCode", []) or [] if isinstance(r, dict))
        if given_for_other_use(drug_id, " ".join((text, notes, reasons))):
            continue  # "Everolimus 1 mg PO twice daily (transplant dosing, trough 3-8 ug/L)"
        period = med.get("effectivePeriod") or {}
        start = _date_of(med, "effectiveDateTime", "effectivePeriod", "authoredOn")
        stop = parse_date(str(period.get("end"))) if isinstance(period, dict) and period.get("end") else None
        reason_text = " ".join(_text_of(r) for r in med.get("statusReason", []) or []) if isinstance(
            med.get("statusReason"), list) else _text_of(med.get("statusReason"))
        therapy = {"drug": drug.generic if drug else drug_id, "start": start,
                   "stop": stop.isoformat() if stop else None,
                   "stop_reason": status_stop_reason(med.get("resourceType"), med.get("status"), reason_text)}
        facts.append(Fact(field="therapies", value=therapy, evidence=loc.evidence(med, m.group(0)), date=start))
    return facts


# MedicationRequest.intent values that are not an order to give the drug (FHIR R4 value set medicationrequest-intent):
# "proposal" (a suggestion), "plan" (an intention), "option" (one of several choices).
NOT_ORDERED = frozenset({"proposal", "plan", "option"})


DOSE_CHANGE = re.compile(r"\bdose (?:reduc\w*|chang\w*|adjust\w*|increas\w*|escalat\w*|modif\w*)|\breduced to\b"
                         r"|\breplaced by (?:a |an |the )?(?:new |\d+\s*mg )?(?:order|dose|prescription|strength)"
                         r"|\bnew (?:dose|strength)\b", re.I)
ENDED = re.compile(r"\bdiscontinu\w*|\bpermanently\b|\bstopped\b|\bintoleran\w*", re.I)
HOLD = re.compile(r"\b(?:with)?held\b|\bon hold\b|\bpaused\b|\b(?:to|will|may|plan to) (?:resume|restart)\b", re.I)


def status_stop_reason(kind: object, status: object, reason_text: str) -> str | None:
    """Why a medication ended: its statusReason when it names progression, toxicity or completion; otherwise a
    MedicationRequest or MedicationStatement with status "completed" (the course was given as ordered) is completed.
    A completed MedicationAdministration is one dose given, not the end of the course."""
    if reason_text and DOSE_CHANGE.search(reason_text) and not ENDED.search(reason_text):
        return None  # "Dose reduced for grade 3 hypertension - replaced by 14 mg order": the drug goes on
    if status == "on-hold" or (status not in ("stopped", "completed") and reason_text and HOLD.search(reason_text)):
        return None  # "Dose withheld - grade 2 diarrhoea; to resume when grade 1 or less": a pause, not an end
    reason = stop_reason(reason_text + " stopped") if reason_text else None
    if reason is None and status == "completed" and kind in ("MedicationRequest", "MedicationStatement"):
        return "completed"
    return reason


def _procedure_facts(proc: dict[str, Any], loc: _Locator) -> list[Fact]:
    text = _text_of(proc.get("code"))
    m = re.search(r"(radical|partial|cytoreductive)?\s*nephrectomy", text, re.I)
    if m and proc.get("status") == "not-done":
        # A nephrectomy Procedure with status not-done says the operation did not happen.
        return [Fact(field="nephrectomy", value={"done": False, "date": None, "type": None},
                     evidence=loc.evidence(proc, m.group(0)))]
    if not m or proc.get("status") in ("entered-in-error", "preparation"):
        return []
    when = _date_of(proc, "performedDateTime", "performedPeriod")
    value = {"done": True, "date": when, "type": (m.group(1) or "").lower() or None}
    return [Fact(field="nephrectomy", value=value, evidence=loc.evidence(proc, m.group(0)), date=when)]
