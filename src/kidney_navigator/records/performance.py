"""A performance-status score from a coded answer (FHIR valueCodeableConcept, C-CDA value code="...").

Structured records may carry the LOINC answer ("LA9623-5", display "Symptomatic but completely ambulatory", text
"1") instead of a number. The digits of an answer code are never the score, so the score comes from the answer-code
table (rules/record_terms.yaml `performance_answer_codes`), then from a text or code that is the bare number ("1",
"ECOG 1", "80%"); whatever is read must be a possible score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kidney_navigator.profile.models import plausible_performance
from kidney_navigator.records.text.source import record_terms

# "1", "ECOG 1", "grade 2", "KPS 80", "80%": the whole text is the score, perhaps after the scale's name.
# An answer's display may go on after the score when it starts with the scale's name ("KPS 70: Cares for self;
# unable to carry on normal activity").
BARE_SCORE = re.compile(r"^\s*(?:(?:ecog|who|karnofsky|kps|performance status|ps|grade|score)\s*[:=]?\s*)*"
                        r"(?P<v>\d{1,3})\s*%?\s*$"
                        r"|^\s*(?:ecog|karnofsky|kps)\s*[:=]?\s*(?P<lead>\d{1,3})\s*%?\s*[:;,]", re.I)


def coded_score(scale: str, codes: Iterable[str], texts: Iterable[str]) -> int | None:
    """The score a coded answer stands for, or None when nothing in it is a possible score of `scale`."""
    table = {code.upper(): value for code, value in record_terms().performance_answer_codes.get(scale, {}).items()}
    codes = [c for c in codes if c]
    for code in codes:
        mapped = table.get(code.strip().upper())
        if mapped is not None and plausible_performance(scale, mapped):
            return mapped
    for text in [*texts, *codes]:
        m = BARE_SCORE.match(text or "")
        value = int(m.group("v") or m.group("lead")) if m else None
        if value is not None and plausible_performance(scale, value):
            return value
    return None
