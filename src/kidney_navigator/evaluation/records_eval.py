"""Evaluate record extraction: per-field accuracy/F1 on the synthetic set, histology and pT on TCGA reports."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Profile
from kidney_navigator.records.load import read_records
from kidney_navigator.records.text.disease import histology_facts, stage_facts
from kidney_navigator.records.text.source import TextSource

TCGA_HISTOLOGY = {"KIRC": "clear_cell", "KIRP": "papillary", "KICH": "chromophobe"}


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 1.0 if denom == 0 else 2 * self.tp / denom


@dataclass
class RecordsReport:
    cases: int = 0
    fields: dict[str, FieldScore] = field(default_factory=dict)
    imdc_cases: int = 0
    imdc_exact: int = 0
    failures: list[str] = field(default_factory=list)

    def score(self, name: str) -> FieldScore:
        return self.fields.setdefault(name, FieldScore())

    def lines(self) -> list[str]:
        out = [f"cases                     {self.cases}"]
        for name, s in sorted(self.fields.items()):
            out.append(f"{name:<26}F1 {s.f1:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})")
        out.append(f"IMDC group exact          {self.imdc_exact}/{self.imdc_cases} complete-input cases")
        return out


def _items(expected: Any, got: Any) -> tuple[set[Any], set[Any]]:
    def norm(v: Any) -> Any:
        if isinstance(v, dict):
            return tuple(sorted((k, norm(x)) for k, x in v.items()))
        if isinstance(v, list):
            return tuple(norm(x) for x in v)
        if isinstance(v, float):
            return round(v, 2)
        return v
    if isinstance(expected, list):
        return {norm(x) for x in expected}, {norm(x) for x in (got or [])}
    return ({norm(expected)} if expected is not None else set()), ({norm(got)} if got is not None else set())


def _actual(profile: Profile, name: str, expected: Any) -> Any:
    if name == "stage":
        return {k: getattr(profile.stage, k) for k in expected}
    if name == "labs":
        return {k: profile.labs[k].value for k in profile.labs if k in expected} | {
            k: None for k in expected if k not in profile.labs}
    if name == "therapies":
        keys = set().union(*(e.keys() for e in expected)) if expected else {"drug"}
        return [{k: getattr(t, k) for k in keys} for t in profile.therapies]
    if name == "nephrectomy_done":
        return profile.nephrectomy.done
    if name == "imdc_group":
        return profile.imdc.group if profile.imdc else None
    if name == "imdc_count":
        return profile.imdc.count if profile.imdc else None
    if name == "performance_status":
        return profile.performance_status.model_dump() if profile.performance_status else None
    return getattr(profile, name)


def evaluate_records(cases_dir: Path, pack: Pack) -> RecordsReport:
    report = RecordsReport()
    for expected_path in sorted(cases_dir.glob("*/expected.yaml")):
        case = yaml.safe_load(expected_path.read_text())
        folder = expected_path.parent
        report.cases += 1
        facts = [f for r in read_records([folder / name for name in case.get("inputs", [])], pack) for f in r.facts]
        as_of = case.get("as_of")
        profile = build_profile(facts, pack, dt.date.fromisoformat(str(as_of)) if as_of else None)
        for name, expected in (case.get("expect") or {}).items():
            got = _actual(profile, name, expected)
            if name == "labs":
                exp_items = {(k, round(float(v), 2)) for k, v in expected.items()}
                got_items = {(k, round(float(v), 2)) for k, v in got.items() if v is not None}
            elif name == "stage":
                exp_items = {(k, v) for k, v in expected.items() if v is not None}
                got_items = {(k, v) for k, v in got.items() if v is not None}
            else:
                exp_items, got_items = _items(expected, got)
            score = report.score(name)
            score.tp += len(exp_items & got_items)
            score.fp += len(got_items - exp_items)
            score.fn += len(exp_items - got_items)
            if exp_items != got_items:
                report.failures.append(f"{folder.name}: {name} expected {expected!r} got {got!r}")
            if name == "imdc_group" and expected is not None:
                report.imdc_cases += 1
                report.imdc_exact += got == expected
    return report


def evaluate_tcga(path: Path) -> tuple[float, float, int, list[str]]:
    """Histology accuracy over all reports; pT accuracy over reports with a registry pT.

    A registry label without a sub-letter (T1, T2) counts as matched by the same category with one (T1a).
    """
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    hist_ok = t_ok = t_n = 0
    misses = []
    for row in rows:
        src = TextSource(row["case"], row["text"])
        found = histology_facts(src)
        got = found[0].value if found else None
        hist_ok += got == TCGA_HISTOLOGY.get(row["project"])
        if got != TCGA_HISTOLOGY.get(row["project"]):
            misses.append(f"{row['case']}: histology {row['project']} got {got}")
        if row.get("t"):
            t_n += 1
            stage = [f.value for f in stage_facts(src) if f.field == "stage.t"]
            t = stage[0] if stage else None
            label = row["t"]
            if t == label or (t and len(label) == 2 and t.startswith(label)):
                t_ok += 1
            else:
                misses.append(f"{row['case']}: pT {label} got {t}")
    return hist_ok / len(rows), (t_ok / t_n if t_n else 0.0), len(rows), misses
