"""The options evaluation: the synthetic set covers every setting and the engine agrees with it fully."""

from __future__ import annotations

from pathlib import Path

import yaml

from kidney_navigator.evaluation.options_eval import agreement, evaluate_options, load_profiles, profile_from_compact
from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.engine import HISTOLOGY_GROUP, build_options

EVAL = Path(__file__).resolve().parents[2] / "eval" / "options"


def test_agreement_is_jaccard() -> None:
    assert agreement(set(), set()) == 1.0
    assert agreement({"a", "b"}, {"b", "c"}) == 1 / 3


def test_compact_profiles_build_real_profiles() -> None:
    profile = profile_from_compact({"id": "x", "histology": None, "imdc": None, "nephrectomy": None,
                                    "therapies": ["pembrolizumab spring-2022 progression", "axitinib"],
                                    "ps": "ECOG 2", "sites": ["bone"]})
    assert profile.histology is None and profile.imdc is not None and profile.imdc.group is None
    assert profile.therapies[0].start == "spring-2022" and profile.therapies[0].stop_reason == "progression"
    assert profile.therapies[1].start is None and profile.nephrectomy.done is None
    assert profile.performance_status is not None and profile.performance_status.value == 2


def test_the_set_covers_every_setting_the_issue_names(pack: Pack) -> None:
    profiles = load_profiles(EVAL / "profiles.yaml", pack)
    assert len(profiles) >= 40
    results = {pid: build_options(p, pack) for pid, p in profiles.items()}
    groups = {(r.setting.histology_group, r.setting.line > 1) for r in results.values()}
    assert {(g, False) for g in set(HISTOLOGY_GROUP.values())} <= groups
    assert {r.setting.imdc_group for r in results.values() if r.setting.line == 1} >= {"favorable", "intermediate",
                                                                                       "poor", None}
    priors = {tuple(r.setting.prior_classes) for r in results.values()}
    assert {("ctla4", "pd1_pdl1"), ("vegf_tki",), ("pd1_pdl1", "vegf_tki"), ("hif2a", "pd1_pdl1", "vegf_tki")} <= priors
    entries = yaml.safe_load((EVAL / "profiles.yaml").read_text())
    flags = {k for e in entries for k, v in e.items() if v is None or k in ("sarcomatoid", "ps", "sites")}
    assert {"histology", "imdc", "nephrectomy", "sarcomatoid", "ps", "sites"} <= flags


def test_engine_agrees_with_every_expectation(pack: Pack) -> None:
    report = evaluate_options(EVAL / "profiles.yaml", EVAL / "expected.yaml", pack)
    assert not report.missing_expectations
    assert report.failures == []
    assert report.overall == 1.0 and report.exact == len(report.scores)
