"""`kidney-nav options` and `kidney-nav eval options` through typer's CliRunner: the public JSON contract, golden
outputs, and one clear line (no traceback) for every kind of bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kidney_navigator.cli import app

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "options"
runner = CliRunner()


def _write(tmp_path: Path, content: str | bytes, name: str = "profile.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def test_json_output_keeps_the_contract() -> None:
    result = runner.invoke(app, ["options", str(GOLDEN / "after-pembro-axi-few-spots.profile.json"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["setting", "options", "not_applicable", "local_and_supportive", "questions", "missing",
                          "disclaimer"]
    assert list(data["setting"]) == ["histology_group", "line", "imdc_group", "prior_classes"]
    assert isinstance(data["setting"]["line"], int) and isinstance(data["setting"]["prior_classes"], list)
    for option in data["options"]:
        assert list(option) == ["regimen", "drugs", "category", "why", "evidence", "sources"]
        assert option["sources"] and all(isinstance(d, str) for d in option["drugs"])
    assert all(list(n) == ["regimen", "reason"] for n in data["not_applicable"])
    assert all(list(o) == ["option", "why", "sources"] for o in data["local_and_supportive"])
    assert all(isinstance(q, str) for q in data["questions"] + data["missing"]) and data["disclaimer"]


@pytest.mark.parametrize("name", ["after-pembro-axi-few-spots", "first-line-favorable"])
def test_golden_outputs(name: str) -> None:
    """Pinned outputs: a change to the table or the engine shows up here. Regenerate with UPDATE_GOLDEN=1."""
    result = runner.invoke(app, ["options", str(GOLDEN / f"{name}.profile.json"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    assert data == json.loads(path.read_text())


def test_text_output_is_readable() -> None:
    result = runner.invoke(app, ["options", str(GOLDEN / "first-line-favorable.profile.json")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Setting: clear_cell, line 1, IMDC favorable")
    assert "not for this setting: Ipilimumab" in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"therapies": [{"start": "2022-01-01"}]}', "field 'therapies[0].drug': Field required"),
        ('{"performance_status": {"scale": "ECOG"}}', "field 'performance_status.value': Field required"),
        ('{"metastatic_sites": "lung"}', "field 'metastatic_sites': Input should be a valid list"),
        ('{"histology": 7}', "field 'histology'"),
        ('{"nephrectomy": {"done": "maybe"}}', "field 'nephrectomy.done'"),
        ('{"therapies": [{"drug": "sunitinib", "stop_reason": "tired"}]}', "field 'therapies[0].stop_reason'"),
        ("histology: papillary", "is not valid JSON (line 1, column 1"),
        ("", "is not valid JSON"),
        ('["clear_cell"]', "must hold one profile (a JSON object), not a JSON list"),
        (b"\xff\xfe\x00bad", "is not a text file"),
    ],
)
def test_bad_profile_gives_one_clear_line(tmp_path: Path, content: str | bytes, expected: str) -> None:
    result = runner.invoke(app, ["options", str(_write(tmp_path, content))])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: profile.json")
    assert isinstance(result.exception, SystemExit), "a clean exit, not an exception"


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_not_a_file_gives_one_clear_line(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "nothing.json" if kind == "missing" else tmp_path
    result = runner.invoke(app, ["options", str(target)])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert ("No such file" in result.stderr) if kind == "missing" else ("is a folder" in result.stderr)
    assert isinstance(result.exception, SystemExit)


def test_eval_options_prints_agreement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(app, ["eval", "options", "--failures"])
    assert result.exit_code == 0, result.output
    assert "overall agreement         1.000" in result.stdout
    assert "cc-after-belzutifan-fourth-line" in result.stdout
