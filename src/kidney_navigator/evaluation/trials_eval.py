"""Trial matching against hand-labelled profile/study pairs (eval/trials): decision and criterion accuracy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Profile
from kidney_navigator.trials.criteria import CriteriaEngine
from kidney_navigator.trials.match import judge
from kidney_navigator.trials.models import parse_study
from kidney_navigator.trials.patient import patient_facts

LETTERS = {"m": "met", "n": "not_met", "u": "unknown"}


@dataclass
class TrialsReport:
    pairs: int = 0
    decisions_right: int = 0
    criteria: int = 0
    criteria_right: int = 0
    decidable: int = 0  # items the labels say the profile decides (met / not met)
    decidable_right: int = 0
    unsafe: int = 0  # likely_eligible although a labelled decisive criterion is not met
    failures: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "n/a"

        return [
            f"pairs (profile x study)   {self.pairs}",
            f"decision accuracy         {ratio(self.decisions_right, self.pairs)}",
            f"criterion accuracy        {ratio(self.criteria_right, self.criteria)}  ({self.criteria} items)",
            f"  on decidable items      {ratio(self.decidable_right, self.decidable)}  ({self.decidable} labelled met"
            " or not met)",
            f"likely_eligible despite an unmet item  {self.unsafe}  (bar: 0)",
        ]


def evaluate_trials(folder: Path, pack: Pack) -> TrialsReport:
    """Read studies.json, profiles/*.json and expected.yaml from folder and score every labelled pair."""
    studies = {s.nct_id: s for s in (parse_study(raw) for raw in
                                     json.loads((folder / "studies.json").read_text(encoding="utf-8"))["studies"])}
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    engine = CriteriaEngine.load(pack)
    report = TrialsReport()
    for name, pairs in expected.items():
        profile = Profile.model_validate_json((folder / "profiles" / f"{name}.json").read_text(encoding="utf-8"))
        facts = patient_facts(profile, pack)
        for nct, want in pairs.items():
            match, _, _ = judge(studies[nct], facts, engine)
            report.pairs += 1
            if match.decision == want["decision"]:
                report.decisions_right += 1
            else:
                report.failures.append(f"{name} {nct}: decision {match.decision}, expected {want['decision']}")
            letters = want["criteria"].replace("|", "").replace(" ", "")
            if len(letters) != len(match.criteria):
                report.failures.append(f"{name} {nct}: {len(match.criteria)} items, labels for {len(letters)}")
            if match.decision == "likely_eligible" and "n" in letters:
                report.unsafe += 1
            for letter, criterion in zip(letters, match.criteria, strict=False):
                expected_status = LETTERS[letter]
                report.criteria += 1
                right = criterion.status == expected_status
                report.criteria_right += right
                if letter != "u":
                    report.decidable += 1
                    report.decidable_right += right
                if not right:
                    report.failures.append(f"{name} {nct} [{criterion.kind}] {criterion.text[:90]!r}: "
                                           f"{criterion.status}, expected {expected_status} ({criterion.evidence})")
    return report
