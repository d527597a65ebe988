"""Evaluate the options engine: set agreement of expected vs produced options, not-applicable and local options.

Profiles come from a compact YAML (eval/options/profiles.yaml) and/or profile JSON files (the contract of
`kidney-nav profile --json`); expectations (eval/options/expected.yaml) were written from the table's documented
guideline logic, so a disagreement is either an engine/table bug or a reading to discuss - never a reason to copy
engine output into the expectations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.engine import build_options
from kidney_navigator.options.models import OptionSet
from kidney_navigator.profile.models import Nephrectomy, PerformanceStatus, Profile, Risk, Therapy
from kidney_navigator.profile.risk import assess_all

PARTS = ("options", "not_applicable", "local")
STOP_REASONS = {"progression", "toxicity", "completed", "other"}
DEFAULT_SITES = ["lung", "liver", "lymph_node"]


def agreement(expected: set[str], produced: set[str]) -> float:
    """Jaccard agreement of two sets; two empty sets agree fully."""
    union = expected | produced
    return 1.0 if not union else len(expected & produced) / len(union)


def _therapy(text: str) -> Therapy:
    """'drug [start] [stop_reason]': the start is kept as written, so unreadable dates can be tested too."""
    parts = str(text).split()
    reason = parts.pop() if len(parts) > 1 and parts[-1] in STOP_REASONS else None
    return Therapy(drug=parts[0], start=parts[1] if len(parts) > 1 else None,
                   stop_reason=reason)


def profile_from_compact(entry: dict[str, Any]) -> Profile:
    """Build a Profile from one compact entry (defaults documented in eval/options/profiles.yaml)."""
    ps = None
    if entry.get("ps"):
        scale, value = str(entry["ps"]).split()
        ps = PerformanceStatus(scale=scale, value=int(value))
    return Profile.model_validate({
        "histology": entry.get("histology", "clear_cell"),
        "sarcomatoid": entry.get("sarcomatoid"),
        "nephrectomy": Nephrectomy(done=entry.get("nephrectomy", True)),
        "metastatic_sites": entry.get("sites", DEFAULT_SITES),
        "performance_status": ps,
        "therapies": [_therapy(t) for t in entry.get("therapies", [])],
        "imdc": Risk(factors={}, count=None, group=entry.get("imdc", "intermediate"),
                     missing=[] if entry.get("imdc", "intermediate") else ["the risk factors"]),
    })


def load_profiles(path: Path, pack: Pack) -> dict[str, Profile]:
    """Compact YAML entries and/or profile JSON files (a file or a folder of them), by id / file stem."""
    files = sorted(path.glob("*")) if path.is_dir() else [path]
    profiles: dict[str, Profile] = {}
    for file in files:
        if file.suffix in (".yaml", ".yml"):
            for entry in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
                profiles[str(entry["id"])] = profile_from_compact(entry)
        elif file.suffix == ".json":
            profile = Profile.model_validate_json(file.read_text(encoding="utf-8"))
            if profile.imdc is None:  # as the CLI does
                profile.imdc, profile.mskcc = assess_all(profile, pack.risk)
            profiles[file.stem] = profile
    return profiles


def produced_ids(result: OptionSet, pack: Pack) -> dict[str, set[str]]:
    """The engine's output as table ids (it shows names), so it compares with expected.yaml."""
    regimen_ids = {r.name: r.id for r in pack.options.regimens}
    local_ids = {o.option: o.id for o in pack.options.local_and_supportive}
    return {
        "options": {regimen_ids[o.regimen] for o in result.options},
        "not_applicable": {regimen_ids[n.regimen] for n in result.not_applicable},
        "local": {local_ids[o.option] for o in result.local_and_supportive},
    }


@dataclass
class OptionsReport:
    """Per-profile and overall agreement, plus a readable line for every difference."""

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    missing_expectations: list[str] = field(default_factory=list)

    def mean(self, part: str) -> float:
        values = [s[part] for s in self.scores.values()]
        return sum(values) / len(values) if values else 0.0

    @property
    def overall(self) -> float:
        return sum(self.mean(p) for p in PARTS) / len(PARTS)

    @property
    def exact(self) -> int:
        return sum(all(v == 1.0 for v in s.values()) for s in self.scores.values())

    def lines(self) -> list[str]:
        out = [f"profiles                  {len(self.scores)}"]
        out += [f"{part + ' agreement':<26}{self.mean(part):.3f}" for part in PARTS]
        out.append(f"{'overall agreement':<26}{self.overall:.3f}")
        out.append(f"{'profiles fully agreeing':<26}{self.exact}/{len(self.scores)}")
        if self.missing_expectations:
            out.append(f"no expectation for        {', '.join(self.missing_expectations)}")
        return out

    def per_profile(self) -> list[str]:
        return [f"  {pid:<46}" + "  ".join(f"{p} {s[p]:.2f}" for p in PARTS) for pid, s in self.scores.items()]


def evaluate_options(profiles_path: Path, expected_path: Path, pack: Pack) -> OptionsReport:
    """Run the engine on every profile and compare each part with the expectation."""
    expected: dict[str, dict[str, list[str]]] = yaml.safe_load(expected_path.read_text(encoding="utf-8"))["profiles"]
    report = OptionsReport()
    for pid, profile in load_profiles(profiles_path, pack).items():
        if pid not in expected:
            report.missing_expectations.append(pid)
            continue
        got = produced_ids(build_options(profile, pack), pack)
        report.scores[pid] = {}
        for part in PARTS:
            want = set(expected[pid].get(part) or [])
            report.scores[pid][part] = agreement(want, got[part])
            if want != got[part]:
                extra, lacking = sorted(got[part] - want), sorted(want - got[part])
                report.failures.append(f"{pid} {part}: unexpected {extra or '-'}; missing {lacking or '-'}")
    return report
