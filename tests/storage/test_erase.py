"""Delete-my-data removes the records from the file itself, not just from view."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kidney_navigator.cli import app
from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.load import read_record
from kidney_navigator.storage.crypto import Cipher, key_path
from kidney_navigator.storage.db import connect
from kidney_navigator.storage.erase import erase_profile
from kidney_navigator.storage.profiles import ProfileStore
from tests.conftest import REPO

CASE = REPO / "eval" / "records" / "cases" / "02-path-papillary-pt1b-partial" / "pathology.txt"
runner = CliRunner()


def _ciphertexts(folder: Path) -> list[str]:
    conn = connect(folder / "navigator.db")
    return [r[0] for r in conn.execute("SELECT facts FROM profiles")]


def test_erased_profile_leaves_no_trace_in_the_file(private_home: Path, pack: Pack) -> None:
    conn = connect()
    store = ProfileStore(conn, Cipher(key=b"k" * 32))
    facts = read_record(CASE, pack).facts
    store.save("dad", facts, [CASE.name], None)
    store.save("mum", facts, [CASE.name], None)
    dad_sealed = conn.execute("SELECT facts FROM profiles WHERE name = 'dad'").fetchone()[0]
    assert erase_profile(conn, "dad") == 1
    raw = b"".join(p.read_bytes() for p in private_home.glob("navigator.db*"))
    assert dad_sealed.encode() not in raw
    assert b"dad" not in raw
    assert store.names() == ["mum"]


def test_cli_deletes_one_profile_then_everything(private_home: Path, pack: Pack) -> None:
    case_dir = CASE.parent
    assert runner.invoke(app, ["profile", str(CASE), "--save", "dad"]).exit_code == 0
    assert runner.invoke(app, ["profile", str(CASE), "--save", "mum"]).exit_code == 0
    result = runner.invoke(app, ["delete-my-data", "--profile", "dad", "--yes"])
    assert result.exit_code == 0, result.output
    assert ProfileStore(connect()).names() == ["mum"]
    again = runner.invoke(app, ["delete-my-data", "--profile", "dad", "--yes"])
    assert again.exit_code == 1 and "no saved profile" in again.output
    refused = runner.invoke(app, ["delete-my-data", "--all"], input="n\n")
    assert refused.exit_code == 1 and (private_home / "navigator.db").exists()
    result = runner.invoke(app, ["delete-my-data", "--all", "--yes"])
    assert result.exit_code == 0, result.output
    assert not (private_home / "navigator.db").exists()
    assert not key_path(private_home).exists()
    assert case_dir.exists()  # the user's own files are never touched


def test_cli_needs_a_target() -> None:
    result = runner.invoke(app, ["delete-my-data", "--yes"])
    assert result.exit_code == 2
    assert "--profile NAME, or --all" in result.output
