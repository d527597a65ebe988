"""Read one record file of any supported kind (text, PDF, FHIR JSON, C-CDA XML) into Facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.extract_ccda import read_ccda
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.extract_text import TextSource, document_date, extract, is_kidney_cancer_text
from kidney_navigator.records.readers import MAX_FILE_BYTES, ReadError, _decode_text, megabytes, read_document
from kidney_navigator.records.results import StructuredResult

MAX_RECORD_BYTES = MAX_FILE_BYTES
STRUCTURED: dict[str, tuple[str, Callable[[str, str, Pack], StructuredResult]]] = {
    ".json": ("fhir", read_fhir),
    ".xml": ("ccda", read_ccda),
}


@dataclass
class RecordResult:
    document: str
    kind: str
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    date: dt.date | None = None
    pages: int = 1
    text: str = ""


def read_record(path: Path, pack: Pack) -> RecordResult:
    """Facts from one file, or ReadError with a message a person can act on."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"{path}: cannot open the file ({exc.strerror}).") from exc
    if size > MAX_RECORD_BYTES:
        raise ReadError(f"{path.name}: the file is {megabytes(size)}; the limit is {megabytes(MAX_RECORD_BYTES)}. "
                        "Export a smaller part of the record (for example one visit or one report).")
    structured = STRUCTURED.get(path.suffix.lower())
    if structured is not None:
        kind, reader = structured
        raw = _decode_text(path.name, path.read_bytes())
        result = reader(raw, path.name, pack)  # raises ReadError (FhirError, CcdaError) with a clear message
        warnings = [*result.warnings, *nothing_recognised(path.name, kind, result.facts)]
        return RecordResult(path.name, kind, result.facts, warnings, _latest(result.facts), result.units, raw)
    doc = read_document(path)
    full = "\n".join(p.text for p in doc.pages)
    date = document_date(full)
    about_kidney_cancer = is_kidney_cancer_text(full)
    facts: list[Fact] = []
    for page in doc.pages:
        facts += extract(TextSource(path.name, page.text, page.number, date), pack, about_kidney_cancer)
    if len(doc.pages) > 1:
        facts = _first_per_field(facts)
    return RecordResult(path.name, doc.kind, facts, nothing_recognised(path.name, doc.kind, facts),
                        date or _latest(facts), len(doc.pages), full)


FORMAT_NAMES = {"fhir": "FHIR", "ccda": "C-CDA", "pdf": "PDF", "html": "web page", "markdown": "Markdown",
                "text": "text"}


def nothing_recognised(document: str, kind: str, facts: list[Fact]) -> list[str]:
    """A file that was read but gave no facts at all must say so: a silent empty profile looks like "nothing to
    report" when the truth is "this reader did not understand the file"."""
    if facts:
        return []
    return [f"nothing recognised in {document}: it was read as {FORMAT_NAMES.get(kind, kind)}, but no diagnosis, "
            "stage, treatment, lab or performance status was found in it. Check the file is the record you meant, "
            "or enter the details by hand."]


def _latest(facts: list[Fact]) -> dt.date | None:
    dates = [dt.date.fromisoformat(f.date) for f in facts if f.date]
    return max(dates) if dates else None


MULTI = {"metastatic_sites", "therapies"}
# A later assessment in the same document replaces an earlier one (admission vs discharge performance status).
LATEST = {"performance_status"}


def _first_per_field(facts: list[Fact]) -> list[Fact]:
    """Across pages of one document keep one fact per single-valued field: the first page that states it (the
    diagnosis comes first), except for assessments that change over time (LATEST), where the last page wins."""
    seen: set[str] = set()
    out = []
    for fact in facts:
        if fact.field in MULTI or fact.field in LATEST or fact.field.startswith("labs."):
            out.append(fact)
        elif fact.field not in seen:
            seen.add(fact.field)
            out.append(fact)
    # The latest assessment per scale: by the date of its own sentence, then the later page (a later restatement
    # with no date, "Karnofsky is 80%" in the summary, does not hide the dated assessment it repeats).
    latest: dict[tuple[str, str], tuple[str, int]] = {}
    for index, fact in enumerate(out):
        if fact.field in LATEST:
            scale = str(fact.value.get("scale")) if isinstance(fact.value, dict) else ""
            key = (fact.date or "", index)
            latest[(fact.field, scale)] = max(latest.get((fact.field, scale), key), key)
    keep = {index for _, index in latest.values()}
    return [f for i, f in enumerate(out) if f.field not in LATEST or i in keep]
