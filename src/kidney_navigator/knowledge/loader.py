"""Load the knowledge pack from YAML and validate it as a whole; a broken pack fails loudly, once."""

from __future__ import annotations

import datetime as dt
import os
import re
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
    safety_raw = _read_yaml(pack_dir / "safety" / "rules.yaml", problems)
    safety: SafetyRules | None = None
    try:
        safety = SafetyRules.model_validate(safety_raw)
    except ValidationError as exc:
        problems.extend(f"safety/rules.yaml: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())

    used: set[str] = set()
    risk: RiskRules | None = None
    try:
        risk = RiskRules.model_validate(_read_yaml(pack_dir / "rules" / "risk_models.yaml", problems))
    except ValidationError as exc:
        problems.extend(f"rules/risk_models.yaml: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    if risk:
        _check_dates("risk models", risk.reviewed, risk.next_review, today, problems)
        for sid in risk.sources:
            used.add(sid)
            if sid not in sources:
                problems.append(f"risk models: unknown source id '{sid}'")

    options: OptionsTable | None = None
    options_path = pack_dir / "rules" / "options.yaml"
    try:
        options = OptionsTable.model_validate(_read_yaml(options_path, problems)) if options_path.exists() else \
            OptionsTable(reviewed=today, next_review=today + dt.timedelta(days=1), guideline_versions="none",
                         regimens=[], settings=[])
    except ValidationError as exc:
        problems.extend(f"rules/options.yaml: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    if options is not None and options.regimens:
        _check_options(options, sources, used, today, problems)

    forbidden = [re.compile(p, re.I) for p in safety.forbidden_in_answers] if safety else []
    for topic in topics.values():
        _check_dates(f"topic {topic.id}", topic.reviewed, topic.next_review, today, problems)
        for statement in topic.statements():
            for sid in statement.sources:
                used.add(sid)
                if sid not in sources:
                    problems.append(f"topic {topic.id}: unknown source id '{sid}'")
            problems.extend(
                f"topic {topic.id}: directive wording /{rx.pattern}/ in: {statement.text}"
                for rx in forbidden if rx.search(statement.text)
            )
        problems.extend(f"topic {topic.id}: related topic '{r}' does not exist" for r in topic.related
                        if r not in topics)
    for drug in drugs.values():
        _check_dates(f"drug {drug.id}", drug.reviewed, drug.next_review, today, problems)
        for sid in drug.sources:
            used.add(sid)
            if sid not in sources:
                problems.append(f"drug {drug.id}: unknown source id '{sid}'")
    if safety:
        _check_dates("safety rules", safety.reviewed, safety.next_review, today, problems)
        for sid in safety.sources:
            used.add(sid)
            if sid not in sources:
                problems.append(f"safety rules: unknown source id '{sid}'")
        for flag in safety.red_flags:
            for pattern in [*flag.patterns, *flag.requires_any]:
                _check_regex(f"red flag {flag.id}", pattern, problems)
        for pattern in [*safety.directive_patterns, *safety.forbidden_in_answers, *safety.in_scope_terms]:
            _check_regex("safety rules", pattern, problems)
    if problems or safety is None or risk is None or options is None:
        raise PackError(problems or ["safety/rules.yaml or rules/risk_models.yaml missing"])
    warnings = [f"source '{sid}' is never cited" for sid in sorted(set(sources) - used)]
    return Pack(sources=sources, topics=topics, drugs=drugs, lexicon=lexicon, safety=safety, risk=risk,
                options=options, warnings=warnings)


def _check_options(options: OptionsTable, sources: dict[str, Source], used: set[str], today: dt.date,
                   problems: list[str]) -> None:
    """Every option and local item cites known sources; regimens referenced exist; review date not past."""
    _check_dates("options table", options.reviewed, options.next_review, today, problems)
    regimen_ids = {r.id for r in options.regimens}
    cited: list[tuple[str, list[str]]] = [(f"regimen {r.id}", r.sources) for r in options.regimens]
    for setting in options.settings:
        for opt in setting.options:
            if opt.regimen not in regimen_ids:
                problems.append(f"options {setting.id}: unknown regimen '{opt.regimen}'")
            cited.append((f"options {setting.id}/{opt.regimen}", opt.sources))
    for rule in options.not_applicable:
        cited.append((f"not_applicable {rule.regimen}", rule.sources))
    cited += [(f"local option {o.id}", o.sources) for o in options.local_and_supportive]
    for label, ids in cited:
        for sid in ids:
            used.add(sid)
            if sid not in sources:
                problems.append(f"{label}: unknown source id '{sid}'")


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
