"""What a structured-record reader (FHIR, C-CDA) returns: facts, warnings about skipped parts, and a size."""

from __future__ import annotations

from dataclasses import dataclass, field

from kidney_navigator.profile.models import Fact


@dataclass
class StructuredResult:
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    units: int = 0  # resources (FHIR) or entries (C-CDA) read, for throughput figures
