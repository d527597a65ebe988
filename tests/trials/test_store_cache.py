"""Items split and analysed at store time must give exactly the matches of parsing the study afresh."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Profile
from kidney_navigator.storage.db import connect
from kidney_navigator.trials.criteria import CriteriaEngine
from kidney_navigator.trials.geo import resolve_origin
from kidney_navigator.trials.match import match_profile
from kidney_navigator.trials.models import Study, parse_study
from kidney_navigator.trials.store import ANALYSES_KEY, ITEMS_KEY, TrialStore

EVAL = Path(__file__).resolve().parents[2] / "eval" / "trials"
PROFILES = ["p01-cc-untreated", "p02-cc-after-pembro-axi", "p06-cc-brain-untreated", "p09-sparse"]


@pytest.fixture(scope="module")
def raw() -> list[Any]:
    studies: list[Any] = json.loads((EVAL / "studies.json").read_text(encoding="utf-8"))["studies"]
    return studies


def dumped(studies: list[Study], pack: Pack, engine: CriteriaEngine) -> list[Any]:
    origin = resolve_origin("31774")
    out = []
    for name in PROFILES:
        profile = Profile.model_validate_json((EVAL / "profiles" / f"{name}.json").read_text(encoding="utf-8"))
        out.append([m.model_dump(mode="json") for m in match_profile(profile, studies, origin, None, pack, engine)])
    return out


def test_stored_items_and_analyses_match_a_fresh_parse(pack: Pack, raw: list[Any], tmp_path: Path) -> None:
    fresh = dumped([parse_study(r) for r in raw], pack, CriteriaEngine.load(pack))
    conn = connect(tmp_path / "trials.db")
    TrialStore(conn, engine=CriteriaEngine.load(pack)).upsert(raw)
    loaded = TrialStore(conn).studies()
    assert all(s.stored_analyses is not None and "items" in s.__dict__ for s in loaded)  # nothing re-split
    engine = CriteriaEngine.load(pack)  # a fresh process's engine: every analysis comes from the store
    assert dumped(loaded, pack, engine) == fresh
    conn.close()


def test_stale_or_missing_analyses_are_recomputed(pack: Pack, raw: list[Any], tmp_path: Path) -> None:
    fresh = dumped([parse_study(r) for r in raw], pack, CriteriaEngine.load(pack))
    conn = connect(tmp_path / "trials.db")
    TrialStore(conn, engine=CriteriaEngine.load(pack)).upsert(raw)
    with conn:  # other rules wrote these, claiming no rule fires anywhere
        for nct, prepared in conn.execute("SELECT nct_id, prepared FROM trial_studies").fetchall():
            data = json.loads(prepared)
            data[ANALYSES_KEY] = ["another-rule-set", [[False, False, False, []] for _ in data[ITEMS_KEY]]]
            conn.execute("UPDATE trial_studies SET prepared = ? WHERE nct_id = ?", (json.dumps(data), nct))
    assert dumped(TrialStore(conn).studies(), pack, CriteriaEngine.load(pack)) == fresh
    TrialStore(conn).upsert(raw)  # a store without an engine keeps split items only
    assert all(s.stored_analyses is None for s in TrialStore(conn).studies())
    assert dumped(TrialStore(conn).studies(), pack, CriteriaEngine.load(pack)) == fresh
    conn.close()


def test_malformed_stored_analysis_is_ignored(pack: Pack) -> None:
    engine = CriteriaEngine.load(pack)
    text = "Prior treatment with a PD-1 inhibitor"
    for bad in [None, [], [True, False, False, [[999, None]]], [1, 0, 0, []], [False, False, False, [["x", None]]]]:
        engine.adopt(text, bad)
        assert text not in engine._analyses
    assert engine.analyse(text).candidates  # analysed when met instead


def test_a_database_from_before_prepared_items_still_loads(pack: Pack, raw: list[Any], tmp_path: Path) -> None:
    conn = connect(tmp_path / "old.db")
    conn.executescript("CREATE TABLE trial_studies (nct_id TEXT PRIMARY KEY, status TEXT NOT NULL, last_update TEXT, "
                       "raw TEXT NOT NULL, parsed TEXT NOT NULL);")
    with conn:
        conn.executemany("INSERT INTO trial_studies VALUES (?, ?, ?, ?, ?)",
                         [(s.nct_id, s.status, s.last_update, json.dumps(r), s.model_dump_json())
                          for r, s in ((r, parse_study(r)) for r in raw)])
    loaded = TrialStore(conn).studies()
    assert all(s.stored_analyses is None for s in loaded)
    engine = CriteriaEngine.load(pack)
    assert dumped(loaded, pack, engine) == dumped([parse_study(r) for r in raw], pack, engine)
    conn.close()
