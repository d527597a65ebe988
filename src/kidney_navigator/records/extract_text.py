"""Free text (pathology reports, visit notes, PDF pages) -> Facts, each with the exact span it came from.

Every mention passes the ConText check (records/context.py) so that negated, family, hypothetical, planned,
declined and uncertain mentions do not become facts about the patient.
"""

from __future__ import annotations

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.text.cleanup import (
    UNCHECKED,
    blank_unchecked,
    cue_vocabulary,
    join_hyphenated,
    join_ocr_splits,
    spoken_punctuation,
)
from kidney_navigator.records.text.disease import (
    grade_facts,
    histology_facts,
    sarcomatoid_facts,
    site_facts,
    stage_facts,
)
from kidney_navigator.records.text.events import diagnosis_date_facts, nephrectomy_facts
from kidney_navigator.records.text.labs import lab_facts
from kidney_navigator.records.text.performance_status import performance_facts
from kidney_navigator.records.text.source import TextSource, is_kidney_cancer_text
from kidney_navigator.records.text.therapies import therapy_facts


def extract(src: TextSource, pack: Pack, about_kidney_cancer: bool | None = None) -> list[Fact]:
    """All facts found in one text source.

    Cancer facts (type, stage, spread, treatment) come only from documents about kidney cancer, so a breast-cancer
    note never gives "bone metastases"; labs and performance status belong to the person and come from any
    document (a lab printout rarely names the cancer). `about_kidney_cancer` lets a caller decide once for a whole
    multi-page document.
    """
    original = src.original or src.text
    cleaned = join_ocr_splits(blank_unchecked(src.text) if UNCHECKED.search(src.text) else src.text)
    cleaned = spoken_punctuation(join_hyphenated(cleaned, cue_vocabulary()))
    if cleaned != src.text:
        src = TextSource(src.document, cleaned, src.page, src.date, original, src.whole)
    text = src.text
    if about_kidney_cancer is None:
        about_kidney_cancer = is_kidney_cancer_text(text)
    if not about_kidney_cancer:
        return performance_facts(src) + lab_facts(src)
    facts: list[Fact] = []
    facts += histology_facts(src)
    facts += sarcomatoid_facts(src)
    facts += grade_facts(src)
    facts += stage_facts(src)
    facts += site_facts(src)
    facts += performance_facts(src)
    facts += lab_facts(src)
    facts += therapy_facts(src, pack)
    facts += nephrectomy_facts(src)
    facts += diagnosis_date_facts(src)
    return facts
