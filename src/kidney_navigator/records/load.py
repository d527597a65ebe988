"""Read one record file of any supported kind (text, PDF, FHIR JSON, C-CDA XML) into Facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.dates import document_order
from kidney_navigator.records.extract_ccda import read_ccda
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.readers import MAX_FILE_BYTES, ReadError, _decode_text, megabytes, read_document
from kidney_navigator.records.results import StructuredResult
from kidney_navigator.records.text.disease import STATED_T
from kidney_navigator.records.text.source import TextSource, document_date, is_kidney_cancer_text, names_other_cancer

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
    about_kidney_cancer: bool = False  # the record itself names the kidney cancer (or codes it)
    needs_context: bool = False  # names no cancer at all: read in full when the person's other records name it
    page_texts: list[tuple[int | None, str]] = field(default_factory=list)  # (page number, text), as read


def read_records(paths: list[Path], pack: Pack, kidney_context: bool = False) -> list[RecordResult]:
    """Facts from several files of one person. A record that names no cancer at all (a patient's e-mail, a triage
    call) gives only labs and performance status on its own; when another of the person's records (or
    `kidney_context`, from records stored before) names the kidney cancer, it is read in full."""
    results = [read_record(path, pack, kidney_context) for path in paths]
    if any(r.about_kidney_cancer for r in results):
        results = [read_pages(r.document, r.kind, r.page_texts, pack, kidney_context=True) if r.needs_context else r
                   for r in results]
    return results


def read_record(path: Path, pack: Pack, kidney_context: bool = False) -> RecordResult:
    """Facts from one file, or ReadError with a message a person can act on. `kidney_context`: the person's other
    records name the kidney cancer, so a record that names no cancer at all is read as being about it."""
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
        about = any(f.field == "histology" for f in result.facts)
        return RecordResult(path.name, kind, result.facts, warnings, _latest(result.facts), result.units, raw, about)
    doc = read_document(path)
    return read_pages(path.name, doc.kind, [(p.number, p.text) for p in doc.pages], pack, kidney_context)


def needs_person_context(full: str) -> bool:
    """The record names no cancer at all, so it is read in full only when the person's other records name the kidney
    cancer."""
    return not is_kidney_cancer_text(full) and not names_other_cancer(full)


def read_pages(document: str, kind: str, pages: list[tuple[int | None, str]], pack: Pack,
               kidney_context: bool = False) -> RecordResult:
    """Facts from a document's page texts. Split from read_record so that pages kept from an earlier upload can be
    read again when the person's kidney-cancer record arrives later."""
    full = "\n".join(text for _, text in pages)
    date = document_date(full)
    named = is_kidney_cancer_text(full)
    needs_context = needs_person_context(full)
    about_kidney_cancer = named or (kidney_context and needs_context)
    facts: list[Fact] = []
    with document_order(full):
        for index, (number, text) in enumerate(pages):
            # a later page with its own dated header is another document bound in ("MDT outcome ... Meeting date:
            # 29/07/2025" after a September letter): its facts take that date
            own = document_date(text) if index else None
            when = own if own is not None and (date is None or own != date) else date
            facts += extract(TextSource(document, text, number, when, whole=full), pack, about_kidney_cancer)
    if len(pages) > 1:
        facts = _first_per_field(facts)
    return RecordResult(document, kind, facts, nothing_recognised(document, kind, facts),
                        date or _latest(facts), len(pages), full, named, needs_context and not kidney_context, pages)


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
    # A T category the record writes ("cT3a") beats one worked out from a size on an earlier page ("8.7 cm").
    written_t = next((f for f in facts if f.field == "stage.t" and STATED_T.search(f.evidence.text)), None)
    for fact in facts:
        if fact.field in MULTI or fact.field in LATEST or fact.field.startswith("labs."):
            out.append(fact)
        elif fact.field == "stage.t" and written_t is not None:
            if fact is written_t:
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
    # earlier dated assessments stay too: the risk models need the one from before the first treatment
    for index, fact in enumerate(out):
        if fact.field in LATEST and fact.date:
            scale = str(fact.value.get("scale")) if isinstance(fact.value, dict) else ""
            if fact.date < latest[(fact.field, scale)][0]:
                keep.add(index)
    return [f for i, f in enumerate(out) if f.field not in LATEST or i in keep]
