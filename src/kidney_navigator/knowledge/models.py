"""Pydantic models of the knowledge pack: the pack is data, these models are its schema."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SourceKind = Literal["guideline", "label", "trial", "pdq", "review", "patient_info", "research", "other"]
TopicCategory = Literal[
    "basics", "prognosis", "treatment", "drug", "side_effects", "living", "sites", "types", "genetics",
    "research", "trials", "emergency",
]
DrugClass = Literal[
    "vegf_tki", "pd1_pdl1", "ctla4", "mtor", "hif2a", "anti_vegf_antibody", "cytokine", "bone_agent",
    "chemotherapy",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """One public document the pack cites; shown to the user as a reference."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    year: int = Field(ge=1950, le=2100)
    url: str = Field(pattern=r"^https?://")
    pmid: str | None = Field(default=None, pattern=r"^\d{5,9}$")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    kind: SourceKind
    accessed: dt.date


class Statement(_Strict):
    """One short plain-language sentence (or two) and the sources that back it."""

    text: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _single_line(cls, value: str) -> str:
        return re.sub(r"\s+", " ", value).strip()


class Topic(_Strict):
    """A question family people ask, answered in sections of cited statements."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    category: TopicCategory
    phrasings: list[str] = Field(min_length=3)
    keywords: list[str] = Field(default_factory=list)
    short_answer: list[Statement] = Field(min_length=1)
    evidence: list[Statement] = Field(min_length=1)
    consider: list[Statement] = Field(min_length=1)
    questions: list[str] = Field(min_length=2)
    related: list[str] = Field(default_factory=list)
    reviewed: dt.date
    next_review: dt.date

    def statements(self) -> list[Statement]:
        return [*self.short_answer, *self.evidence, *self.consider]


class Drug(_Strict):
    """Structured facts about one drug used in advanced kidney cancer."""

    id: str = Field(pattern=ID_PATTERN)
    generic: str = Field(min_length=3)
    brands: list[str]
    drug_class: str = Field(min_length=3)
    classes: list[DrugClass] = Field(min_length=1)
    route: str = Field(min_length=3)
    usual_schedule: str = Field(min_length=5)
    common_side_effects: list[str] = Field(min_length=1)
    urgent_side_effects: list[str] = Field(min_length=1)
    interactions: list[str] = Field(min_length=1)
    rcc_use: str = Field(min_length=5)
    sources: list[str] = Field(min_length=1)
    reviewed: dt.date
    next_review: dt.date


class LexiconEntry(_Strict):
    """Lay words (or brand names) and the clinical terms retrieval should also search for."""

    terms: list[str] = Field(min_length=1)
    clinical: list[str] = Field(min_length=1)


class RedFlag(_Strict):
    """A symptom pattern that needs urgent care before any information is given."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    patterns: list[str] = Field(min_length=1)
    requires_any: list[str] = Field(default_factory=list)
    message: str = Field(min_length=20)
    crisis_line: bool = False


class SafetyRules(_Strict):
    """All triage rules: red flags, directive requests, scope and directive-language checks."""

    urgent_preamble: str
    red_flags: list[RedFlag]
    personal_markers: str
    general_question: str
    directive_patterns: list[str]
    directive_note: str
    forbidden_in_answers: list[str]
    in_scope_terms: list[str]
    out_of_scope: list[OutOfScopeRule]
    out_of_scope_message: str
    no_answer_message: str
    disclaimer: str
    sources: list[str] = Field(min_length=1)
    reviewed: dt.date
    next_review: dt.date


class OutOfScopeRule(_Strict):
    """A family of questions the navigator does not cover, and how to recognise it."""

    id: str = Field(pattern=ID_PATTERN)
    patterns: list[str] = Field(min_length=1)
    unless: list[str] = Field(default_factory=list)


SafetyRules.model_rebuild()


class RefRange(_Strict):
    low: float
    high: float
    unit: str


class RiskModel(_Strict):
    label: str
    groups: dict[Literal["favorable", "intermediate", "poor"], tuple[int, int]]
    factors: dict[str, str]


class RiskRules(_Strict):
    """IMDC and MSKCC definitions plus the defaults used when a lab gives no reference range."""

    reviewed: dt.date
    next_review: dt.date
    sources: list[str] = Field(min_length=1)
    ecog_to_kps_range: dict[int, tuple[int, int]]
    default_ranges: dict[str, RefRange]
    calcium_correction: dict[str, float]
    models: dict[Literal["imdc", "mskcc"], RiskModel]


class ContextModifier(_Strict):
    category: Literal["negated", "historical", "family", "hypothetical", "planned", "declined", "uncertain"]
    direction: Literal["forward", "backward", "both"]
    cues: list[str] = Field(min_length=1)


class ProxyWriterRules(_Strict):
    """A message written by a relative or carer for the patient: who the writer is, and which kinship words then
    name the patient (optional; records without it read as before)."""

    writer: list[str]  # regexes with a named group `relation` (the writer's role), e.g. "i'm his (?P<relation>son)"
    patient_words: dict[str, dict[str, list[str]]]  # writer's relation -> patient's sex (male/female) -> words


class ContextRules(_Strict):
    """ConText cues (negation, history, family, hypothetical, planned, declined, uncertain) as data."""

    reviewed: dt.date
    next_review: dt.date
    window: int = Field(ge=1, le=30)
    pseudo: list[str]
    terminators: list[str]
    modifiers: list[ContextModifier]
    proxy_writer: ProxyWriterRules | None = None


class HistologyRefinement(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    when: str


class RecordDrug(_Strict):
    """An anticancer drug records may name that has no patient page in drugs.yaml: a name for recognition only."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    generic: str
    drug_class: str = Field(alias="class")


class TSizeCategory(_Strict):
    """A primary-tumour category by largest dimension, for a kidney tumour limited to the kidney (AJCC)."""

    up_to_cm: float
    t: str


class RecordTerms(_Strict):
    """Words records use for drugs, histologic types and metastatic sites (regexes), as data."""

    reviewed: dt.date
    next_review: dt.date
    drug_aliases: dict[str, str]
    other_drugs: dict[str, RecordDrug] = Field(default_factory=dict)
    t_size_categories: list[TSizeCategory] = Field(default_factory=list)
    histology: dict[str, list[str]]
    histology_refinements: list[HistologyRefinement] = Field(default_factory=list)
    metastatic_sites: dict[str, list[str]]
    # nephrectomy type (radical / partial / cytoreductive / any) -> abbreviations and lay phrases (optional)
    nephrectomy_phrases: dict[str, list[str]] = Field(default_factory=dict)
    # benign findings named with a site word: "adrenal adenoma" is not an adrenal metastasis (optional)
    benign_site_findings: list[str] = Field(default_factory=list)
    # scale (ECOG / KPS) -> LOINC answer code (LA...) -> score, for coded performance-status answers (optional)
    performance_answer_codes: dict[str, dict[str, int]] = Field(default_factory=dict)
    # what follows a drug in its sentence when its first dose is still to come (optional)
    not_yet_started: list[str] = Field(default_factory=list)
    # drug id -> words that say it is given for something other than the cancer ("transplant immunosuppression")
    non_cancer_use: dict[str, list[str]] = Field(default_factory=dict)


# fda_approved / trial_evidence: honest labels where no guideline category could be confirmed (rules/options.yaml).
OptionCategory = Literal["preferred", "other_recommended", "certain_circumstances", "fda_approved", "trial_evidence"]
HistologyGroup = Literal["clear_cell", "papillary", "chromophobe", "collecting_duct_medullary", "other_non_clear_cell"]


class Regimen(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    drugs: list[str] = Field(min_length=1)
    classes: list[DrugClass] = Field(min_length=1)
    evidence: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)


class SettingOption(_Strict):
    regimen: str
    category: OptionCategory
    why: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)


class Setting(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    histology_group: HistologyGroup
    line: int = Field(ge=1, le=3)
    imdc: list[Literal["favorable", "intermediate", "poor"]] = Field(min_length=1)
    prior_classes_all: list[DrugClass] = Field(default_factory=list)
    prior_classes_none: list[DrugClass] = Field(default_factory=list)
    options: list[SettingOption] = Field(min_length=1)


class NotApplicableRule(_Strict):
    regimen: str
    when: Literal["not_both_pd1_and_vegf", "favorable_risk", "prior_pd1_progression", "non_clear_cell", "clear_cell"]
    reason: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)


class LocalOption(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    when: list[Literal["kidney_in_place", "oligometastatic", "brain_mets", "bone_mets", "lung_only", "always",
                       "slow_growing_few_symptoms", "frail"]] = Field(min_length=1)
    option: str
    why: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)


class OptionsTable(_Strict):
    """Guideline-listed options by setting, as reviewed data with sources."""

    reviewed: dt.date
    next_review: dt.date
    guideline_versions: str
    regimens: list[Regimen]
    settings: list[Setting]
    not_applicable: list[NotApplicableRule] = Field(default_factory=list)
    local_and_supportive: list[LocalOption] = Field(default_factory=list)
