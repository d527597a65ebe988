"""One base profile for criterion tests: metastatic clear cell, lung and bone, ECOG 1, kidney removed, untreated."""

from __future__ import annotations

from typing import Any

from kidney_navigator.profile.models import Profile

AS_OF = "2025-06-01"


def person(**changes: Any) -> Profile:
    """The base profile with some fields changed, so each test states only what matters to it."""
    base: dict[str, Any] = {
        "histology": "clear_cell", "stage": {"m": "M1", "group": "IV"}, "metastatic_sites": ["lung", "bone"],
        "performance_status": {"scale": "ECOG", "value": 1}, "nephrectomy": {"done": True, "date": "2022-03-04"},
        "therapies": [], "as_of": AS_OF}
    base.update(changes)
    return Profile.model_validate(base)
