"""Expand lay words and brand names in a question with the clinical terms the pack uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kidney_navigator.knowledge.models import LexiconEntry


@dataclass(frozen=True)
class Lexicon:
    """Compiled lexicon: one regex per entry, matching any of its lay terms as whole words."""

    entries: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]

    @classmethod
    def build(cls, entries: list[LexiconEntry]) -> Lexicon:
        compiled = []
        for entry in entries:
            alts = sorted({t.lower().strip() for t in entry.terms if t.strip()}, key=len, reverse=True)
            pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(a) for a in alts) + r")(?![a-z0-9])")
            compiled.append((pattern, tuple(entry.clinical)))
        return cls(tuple(compiled))

    def expand(self, text: str) -> list[str]:
        """Clinical terms for every lay term found in `text` (lower-cased), without duplicates."""
        lowered = text.lower().replace("\u2019", "'")
        out: dict[str, None] = {}
        for pattern, clinical in self.entries:
            if pattern.search(lowered):
                for term in clinical:
                    out.setdefault(term.lower(), None)
        return list(out)
