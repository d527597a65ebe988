"""`kidney-nav trials match` prints the JSON contract exactly; text mode and store age."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kidney_navigator.cli import app
from kidney_navigator.storage.db import connect
from kidney_navigator.trials.store import TrialStore

EVAL = Path(__file__).resolve().parents[2] / "eval" / "trials"
PROFILE = EVAL / "profiles" / "p02-cc-after-pembro-axi.json"
runner = CliRunner()


def check_contract(payload: object) -> None:
    assert isinstance(payload, list) and payload
    for m in payload:
        assert set(m) == {"nct_id", "title", "phase", "status", "decision", "nearest_site", "criteria"}
        assert m["decision"] in ("likely_eligible", "possibly_eligible", "likely_ineligible")
        site = m["nearest_site"]
        assert site is None or (set(site) == {"facility", "city", "state", "distance_miles"}
                                and isinstance(site["distance_miles"], float))
        for c in m["criteria"]:
            assert set(c) == {"text", "kind", "status", "evidence"}
            assert c["kind"] in ("inclusion", "exclusion") and c["status"] in ("met", "not_met", "unknown")
            assert c["evidence"] is None or isinstance(c["evidence"], str)


def test_match_json_contract_from_a_studies_file() -> None:
    result = runner.invoke(app, ["trials", "match", "--profile-json", str(PROFILE), "--studies",
                                 str(EVAL / "studies.json"), "--zip", "31774", "--radius-miles", "300", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    check_contract(payload)
    assert all(m["nearest_site"]["distance_miles"] <= 300 for m in payload)
    assert payload[0]["decision"] == "likely_eligible"


def test_match_from_the_store_says_when_it_was_synced(private_home: Path) -> None:
    store = TrialStore(connect())
    store.upsert(json.loads((EVAL / "studies.json").read_text(encoding="utf-8"))["studies"])
    result = runner.invoke(app, ["trials", "match", "--profile-json", str(PROFILE), "--city", "Ocilla, GA"])
    assert result.exit_code == 0, result.output
    assert "last synced never completely" in result.stdout and "LIKELY ELIGIBLE" in result.stdout


def test_errors_are_clear() -> None:
    none = runner.invoke(app, ["trials", "match", "--profile-json", str(PROFILE)])
    assert none.exit_code == 1 and "trials sync" in none.output
    bad_zip = runner.invoke(app, ["trials", "match", "--profile-json", str(PROFILE), "--zip", "00000",
                                  "--studies", str(EVAL / "studies.json")])
    assert bad_zip.exit_code == 2
    missing = runner.invoke(app, ["trials", "match", "--profile", "nobody", "--studies", str(EVAL / "studies.json")])
    assert missing.exit_code == 1 and "no saved profile" in missing.output


def test_sync_offline_keeps_data() -> None:
    result = runner.invoke(app, ["trials", "sync", "--base-url", "http://127.0.0.1:9/api/v2", "--timeout", "0.2",
                                 "--retries", "0"])
    assert result.exit_code == 1 and "Could not finish the sync" in result.output


def test_eval_trials_meets_the_bars() -> None:
    result = runner.invoke(app, ["eval", "trials", "--folder", str(EVAL)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("criterion accuracy"))
    assert float(line.split()[2]) >= 0.90
    assert "unmet item  0" in result.stdout
