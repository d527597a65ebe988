"""Triage a question before answering: red flags first, then scope, then requests for a personal decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.knowledge.models import RedFlag


@dataclass(frozen=True)
class Triage:
    """What the safety layer decided about a question, before any retrieval."""

    red_flags: tuple[RedFlag, ...]
    out_of_scope: str | None  # id of the out-of-scope rule that fired
    in_scope_signal: bool  # the question mentions kidney cancer or something only it involves
    directive: bool  # the person asks for an individual decision

    @property
    def urgent(self) -> bool:
        return bool(self.red_flags)


@dataclass(frozen=True)
class _Compiled:
    flags: tuple[tuple[RedFlag, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]], ...]
    general: re.Pattern[str]
    personal: re.Pattern[str]
    directive: tuple[re.Pattern[str], ...]
    in_scope: tuple[re.Pattern[str], ...]
    oos: tuple[tuple[str, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]], ...]


def normalise(text: str) -> str:
    """Lower-case and unify apostrophes and spaces so the rules see one spelling."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _rx(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


@lru_cache(maxsize=4)
def _compile(pack: Pack) -> _Compiled:
    rules = pack.safety
    names = sorted({n.lower() for d in pack.drugs.values() for n in [d.generic, *d.brands]}, key=len, reverse=True)
    drug_rx = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I) if names else None
    in_scope = _rx(rules.in_scope_terms) + ((drug_rx,) if drug_rx else ())
    return _Compiled(
        flags=tuple((f, _rx(f.patterns), _rx(f.requires_any)) for f in rules.red_flags),
        general=re.compile(rules.general_question, re.I),
        personal=re.compile(rules.personal_markers, re.I),
        directive=_rx(rules.directive_patterns),
        in_scope=in_scope,
        oos=tuple(
            (r.id, _rx(r.patterns), _rx(r.unless) + ((drug_rx,) if drug_rx and r.unless else ()))
            for r in rules.out_of_scope
        ),
    )


def triage(question: str, pack: Pack) -> Triage:
    """Apply the pack's safety rules to one question."""
    compiled = _compile(pack)
    text = normalise(question)
    general_only = bool(compiled.general.search(text)) and not compiled.personal.search(text)
    flags = tuple(
        flag for flag, patterns, requires in compiled.flags
        if any(p.search(text) for p in patterns)
        and (not requires or any(r.search(text) for r in requires))
        and (flag.crisis_line or not general_only)
    )
    oos = next(
        (rule_id for rule_id, patterns, unless in compiled.oos
         if any(p.search(text) for p in patterns) and not any(u.search(text) for u in unless)),
        None,
    )
    return Triage(
        red_flags=flags,
        out_of_scope=oos,
        in_scope_signal=any(p.search(text) for p in compiled.in_scope),
        directive=any(p.search(text) for p in compiled.directive),
    )


def directive_violations(text: str, pack: Pack) -> list[str]:
    """Directive wording found in an answer text (must be empty for every answer we give)."""
    return [m.group(0) for p in _rx(pack.safety.forbidden_in_answers) for m in [p.search(text)] if m]
