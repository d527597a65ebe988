"""Real profiles built from the synthetic eval records (no hand-made profiles: the summary must cope with ours)."""

from __future__ import annotations

from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Profile
from kidney_navigator.records.load import read_record

CASES = Path(__file__).resolve().parents[2] / "eval" / "records" / "cases"


def profile_from(pack: Pack, *files: str) -> Profile:
    facts = []
    for name in files:
        facts += read_record(CASES / name, pack).facts
    return build_profile(facts, pack)
