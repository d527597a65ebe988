"""The Profile object: its JSON is the public contract of `kidney-nav profile --json`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

Histology = Literal[
    "clear_cell", "papillary", "chromophobe", "collecting_duct", "medullary", "translocation", "fh_deficient",
    "unclassified", "other",
]
Site = Literal["lung", "bone", "liver", "brain", "adrenal", "lymph_node", "pancreas", "other"]
LabName = Literal["hemoglobin", "calcium", "corrected_calcium", "albumin", "neutrophils", "platelets", "ldh"]
RiskGroup = Literal["favorable", "intermediate", "poor"]


class Evidence(BaseModel):
    """Where a fact came from: the exact span of a document's text."""

    document: str
    page: int | None = None
    start: int
    end: int
    text: str


class Fact(BaseModel):
    field: str
    value: Any
    evidence: Evidence
    date: str | None = None  # the date the fact refers to, when the document gives one (YYYY-MM-DD)
    source: Literal["extracted", "user"] = "extracted"


class Stage(BaseModel):
    t: str | None = None
    n: str | None = None
    m: str | None = None
    group: str | None = None


class Nephrectomy(BaseModel):
    done: bool | None = None
    date: str | None = None
    type: str | None = None


class PerformanceStatus(BaseModel):
    scale: Literal["KPS", "ECOG"]
    value: int


def plausible_performance(scale: object, value: object) -> bool:
    """ECOG is 0-5 and Karnofsky 0-100 in steps of 10: any other number is a misread (an answer code such as
    LA9623-5, a date part, a dose), and a wrong score would silently change the IMDC group."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    if scale == "ECOG":
        return 0 <= value <= 5
    if scale == "KPS":
        return 0 <= value <= 100 and value % 10 == 0
    return False


class Lab(BaseModel):
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    date: str | None = None
    flag: Literal["low", "high"] | None = None  # the lab's own mark (L/H), when printed without its range


class Therapy(BaseModel):
    drug: str
    start: str | None = None
    stop: str | None = None
    stop_reason: Literal["progression", "toxicity", "completed", "other"] | None = None


class Biomarker(BaseModel):
    name: str
    value: str


class Risk(BaseModel):
    factors: dict[str, bool | None]
    count: int | None
    group: RiskGroup | None
    missing: list[str]


class Conflict(BaseModel):
    """Two documents disagree; the newest wins by default, both are shown."""

    field: str
    chosen: Any
    others: list[Any]


class Profile(BaseModel):
    histology: Histology | None = None
    sarcomatoid: bool | None = None
    grade: int | None = None
    stage: Stage = Field(default_factory=Stage)
    diagnosis_date: str | None = None
    nephrectomy: Nephrectomy = Field(default_factory=Nephrectomy)
    metastatic_sites: list[Site] = Field(default_factory=list)
    performance_status: PerformanceStatus | None = None
    labs: dict[LabName, Lab] = Field(default_factory=dict)
    therapies: list[Therapy] = Field(default_factory=list)
    biomarkers: list[Biomarker] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    imdc: Risk | None = None
    mskcc: Risk | None = None
    as_of: str | None = None
    # The values the risk models were scored on (those from before the first treatment, when known); kept out of the
    # JSON contract, so that explanations can name the values actually used.
    _risk_inputs: Profile | None = PrivateAttr(default=None)

    @property
    def risk_inputs(self) -> Profile:
        return self._risk_inputs or self
