"""Load the knowledge pack from YAML and validate it as a whole; a broken pack fails loudly, once."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kidney_navigator.knowledge.models import Drug, LexiconEntry, OptionsTable, RiskRules, SafetyRules, Source, Topic

PACK_DIR = Path(__file__).parent / "pack"
M = TypeVar("M", bound=BaseModel)


class PackError(Exception):
    """The pack is invalid; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"knowledge pack invalid ({len(problems)} problems):\n- " + "\n- ".join(problems))


@dataclass(frozen=True, eq=False)
class Pack:
    """The validated pack, indexed by id."""

    sources: dict[str, Source]
    topics: dict[str, Topic]
    drugs: dict[str, Drug]
    lexicon: list[LexiconEntry]
    safety: SafetyRules
    risk: RiskRules
    options: OptionsTable
    warnings: list[str] = field(default_factory=list)


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read YAML: {exc}")
        return None


def _parse_list(path: Path, model: type[M], problems: list[str]) -> list[M]:
    data = _read_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(f"{path.name}: expected a list of entries")
        return []
    items: list[M] = []
    for index, raw in enumerate(data):
        label = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        try:
            items.append(model.model_validate(raw))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                problems.append(f"{path.name}: {label}: {where}: {err['msg']}")
    return items


def _index(items: list[M], kind: str, problems: list[str]) -> dict[str, M]:
    out: dict[str, M] = {}
    for item in items:
        key = str(getattr(item, "id"))  # noqa: B009 - every indexed model has an id
        if key in out:
            problems.append(f"duplicate {kind} id: {key}")
        out[key] = item
    return out


def _check_dates(label: str, reviewed: dt.date, next_review: dt.date, today: dt.date, problems: list[str]) -> None:
    if next_review <= today:
        problems.append(f"{label}: next_review {next_review} is past (today {today}); review it again")
    if reviewed > today:
        problems.append(f"{label}: reviewed {reviewed} is in the future")
    if next_review <= reviewed:
        problems.append(f"{label}: next_review must come after reviewed")


def load_pack(pack_dir: Path = PACK_DIR, today: dt.date | None = None) -> Pack:
    """Read every pack file, validate each entry and the links between them, raise PackError on any problem."""
    today = today or dt.date.today()
    problems: list[str] = []
    sources = _index(
        [s for p in sorted((pack_dir / "sources").glob("*.yaml")) for s in _parse_list(p, Source, problems)],
        "source", problems,
    )
    topics = _index(
        [t for p in sorted((pack_dir / "topics").glob("*.yaml")) for t in _parse_list(p, Topic, problems)],
        "topic", problems,
    )
    drugs_path = pack_dir / "drugs.yaml"
    drugs = _index(_parse_list(drugs_path, Drug, problems) if drugs_path.exists() else [], "drug", problems)
    lexicon_path = pack_dir / "lexicon.yaml"
    lexicon = _parse_list(lexicon_path, LexiconEntry, problems) if lexicon_path.exists() else []
    safety = _parse_one(pack_dir / "safety" / "rules.yaml", SafetyRules, problems)
    risk = _parse_one(pack_dir / "rules" / "risk_models.yaml", RiskRules, problems)
    options_path = pack_dir / "rules" / "options.yaml"
    options = _parse_one(options_path, OptionsTable, problems) if options_path.exists() else OptionsTable(
        reviewed=today, next_review=today + dt.timedelta(days=1), guideline_versions="none", regimens=[], settings=[])

    cites = _Citations(sources, problems)
    forbidden = [re.compile(p, re.I) for p in safety.forbidden_in_answers] if safety else []

    def no_directive(label: str, text: str) -> None:
        problems.extend(f"{label}: directive wording /{rx.pattern}/ in: {text}" for rx in forbidden if rx.search(text))

    for topic in topics.values():
        _check_dates(f"topic {topic.id}", topic.reviewed, topic.next_review, today, problems)
        for statement in topic.statements():
            cites.check(f"topic {topic.id}", statement.sources)
            no_directive(f"topic {topic.id}", statement.text)
        problems.extend(f"topic {topic.id}: related topic '{r}' does not exist" for r in topic.related
                        if r not in topics)
    for drug in drugs.values():
        _check_dates(f"drug {drug.id}", drug.reviewed, drug.next_review, today, problems)
        cites.check(f"drug {drug.id}", drug.sources)
    if risk:
        _check_dates("risk models", risk.reviewed, risk.next_review, today, problems)
        cites.check("risk models", risk.sources)
    if options is not None and options.regimens:
        _check_dates("options table", options.reviewed, options.next_review, today, problems)
        _check_options(options, cites, no_directive, problems)
    if safety:
        _check_dates("safety rules", safety.reviewed, safety.next_review, today, problems)
        cites.check("safety rules", safety.sources)
        for flag in safety.red_flags:
            for pattern in [*flag.patterns, *flag.requires_any]:
                _check_regex(f"red flag {flag.id}", pattern, problems)
        for pattern in [*safety.directive_patterns, *safety.forbidden_in_answers, *safety.in_scope_terms]:
            _check_regex("safety rules", pattern, problems)
    if problems or safety is None or risk is None or options is None:
        raise PackError(problems or ["safety/rules.yaml or rules/risk_models.yaml missing"])
    warnings = [f"source '{sid}' is never cited" for sid in sorted(set(sources) - cites.used)]
    return Pack(sources=sources, topics=topics, drugs=drugs, lexicon=lexicon, safety=safety, risk=risk,
                options=options, warnings=warnings)


def _parse_one(path: Path, model: type[M], problems: list[str]) -> M | None:
    """One YAML file holding a single object (safety rules, risk models, options table)."""
    try:
        return model.model_validate(_read_yaml(path, problems))
    except ValidationError as exc:
        where = f"{path.parent.name}/{path.name}"
        problems.extend(f"{where}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return None


@dataclass
class _Citations:
    """Checks that cited source ids exist and remembers which were cited."""

    sources: dict[str, Source]
    problems: list[str]
    used: set[str] = field(default_factory=set)

    def check(self, label: str, ids: list[str]) -> None:
        for sid in ids:
            self.used.add(sid)
            if sid not in self.sources:
                self.problems.append(f"{label}: unknown source id '{sid}'")


def _check_options(options: OptionsTable, cites: _Citations, no_directive: Callable[[str, str], None],
                   problems: list[str]) -> None:
    """Every option and local item cites known sources and regimens that exist, in non-directive words."""
    regimen_ids = {r.id for r in options.regimens}
    for regimen in options.regimens:
        cites.check(f"regimen {regimen.id}", regimen.sources)
        no_directive(f"regimen {regimen.id}", regimen.evidence)
    for setting in options.settings:
        for opt in setting.options:
            if opt.regimen not in regimen_ids:
                problems.append(f"options {setting.id}: unknown regimen '{opt.regimen}'")
            cites.check(f"options {setting.id}/{opt.regimen}", opt.sources)
            no_directive(f"options {setting.id}/{opt.regimen}", opt.why)
    for rule in options.not_applicable:
        cites.check(f"not_applicable {rule.regimen}", rule.sources)
    for local in options.local_and_supportive:
        cites.check(f"local option {local.id}", local.sources)
        no_directive(f"local option {local.id}", local.why)


def _check_regex(label: str, pattern: str, problems: list[str]) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        problems.append(f"{label}: bad pattern /{pattern}/: {exc}")


@lru_cache(maxsize=1)
def default_pack() -> Pack:
    """The bundled pack (or $KIDNEY_NAV_PACK, for pack authors trying a draft), loaded and validated once."""
    override = os.environ.get("KIDNEY_NAV_PACK")
    return load_pack(Path(override)) if override else load_pack()
