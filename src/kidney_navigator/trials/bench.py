"""Bench figure: matching one profile against 5,000 stored studies made by varying the written eval studies."""

from __future__ import annotations

import copy
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Profile
from kidney_navigator.storage.db import connect
from kidney_navigator.trials.geo import resolve_origin
from kidney_navigator.trials.match import criteria_engine, match_profile
from kidney_navigator.trials.store import TrialStore


def vary_studies(studies: list[Any], n: int, seed: int = 7) -> list[Any]:
    """n distinct studies: new ids, statuses, shifted sites and eligibility texts re-mixed from the originals."""
    rng = random.Random(seed)
    statuses = ["RECRUITING", "RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED"]
    texts = [s["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] for s in studies]
    out = []
    for i in range(n):
        study = copy.deepcopy(studies[i % len(studies)])
        proto = study["protocolSection"]
        proto["identificationModule"]["nctId"] = f"NCT98{i:06d}"
        proto["statusModule"]["overallStatus"] = rng.choice(statuses)
        lines = texts[i % len(texts)].splitlines() + rng.choice(texts).splitlines()[-2:]
        proto["eligibilityModule"]["eligibilityCriteria"] = "\n".join(lines) + f"\n* Site-specific item {i}"
        for loc in proto["contactsLocationsModule"]["locations"]:
            loc["geoPoint"] = {"lat": loc["geoPoint"]["lat"] + rng.uniform(-2, 2),
                               "lon": loc["geoPoint"]["lon"] + rng.uniform(-2, 2)}
        out.append(study)
    return out


def trials_bench(pack: Pack, folder: Path = Path("eval/trials"), n: int = 5000) -> list[str]:
    studies_path = folder / "studies.json"
    profiles = sorted((folder / "profiles").glob("*.json"))
    if not studies_path.exists() or not profiles:
        return [f"trials: {folder} not found, matching bench skipped"]
    raw = json.loads(studies_path.read_text(encoding="utf-8"))["studies"]
    profile = Profile.model_validate_json(profiles[0].read_text(encoding="utf-8"))
    origin = resolve_origin("31774")
    varied = vary_studies(raw, n)
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "bench.db")
        start = time.perf_counter()
        store = TrialStore(conn, engine=criteria_engine(pack))  # as `trials sync` does: rules compiled once
        store.upsert(varied)  # split and analysed at store time
        stored = time.perf_counter() - start
        start = time.perf_counter()
        studies = store.studies()  # a fresh process's load: items and analyses come from the database
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        matches = match_profile(profile, studies, origin, None, pack=pack)
        matched = time.perf_counter() - start
        conn.close()
    return [f"trials store {len(varied):,} (compile rules, split, analyse)  {stored * 1000:.0f} ms",
            f"trials load {len(studies):,} stored  {loaded * 1000:.0f} ms",
            f"trials match 1 profile x {len(matches):,} studies  {matched * 1000:.0f} ms  (target <= 1000 ms)"]
