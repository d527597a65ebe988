"""Records are encrypted at rest: the database file alone does not reveal them, and a wrong key says so."""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.load import read_record
from kidney_navigator.storage.crypto import Cipher, RecordsKeyError, key_path
from kidney_navigator.storage.db import connect
from kidney_navigator.storage.profiles import ProfileStore
from tests.conftest import REPO

CASE = REPO / "eval" / "records" / "cases" / "02-path-papillary-pt1b-partial" / "pathology.txt"


def _file_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob("navigator.db*"))


def test_saved_profile_is_not_readable_in_the_database_file(private_home: Path, pack: Pack) -> None:
    facts = read_record(CASE, pack).facts
    snippets = {f.evidence.text for f in facts if len(f.evidence.text) >= 8}
    assert snippets, "the case should give facts with evidence"
    conn = connect()
    store = ProfileStore(conn)
    store.save("dad", facts, [CASE.name], "2024-01-01")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = _file_bytes(private_home)
    for snippet in snippets:
        assert snippet.encode() not in raw
    assert CASE.name.encode() not in raw
    assert b"papillary" not in raw.lower()
    # ... and it all comes back with the key.
    loaded, as_of = ProfileStore(connect()).load("dad")
    assert [f.model_dump() for f in loaded] == [f.model_dump() for f in facts]
    assert as_of == "2024-01-01"
    assert ProfileStore(connect()).documents("dad") == [CASE.name]


def test_key_file_is_private_and_beside_the_database(private_home: Path) -> None:
    ProfileStore(connect())
    path = key_path(private_home)
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.urlsafe_b64decode(path.read_text())) == 32


def test_wrong_key_gives_a_clear_error(private_home: Path, pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProfileStore(connect())
    store.save("dad", read_record(CASE, pack).facts, [CASE.name], None)
    monkeypatch.setenv("KIDNEY_NAV_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    with pytest.raises(RecordsKeyError, match="could not be opened with this encryption key"):
        ProfileStore(connect()).load("dad")


def test_malformed_key_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIDNEY_NAV_KEY", "not base64 at all!")
    with pytest.raises(RecordsKeyError, match="KIDNEY_NAV_KEY"):
        Cipher()
    monkeypatch.setenv("KIDNEY_NAV_KEY", base64.urlsafe_b64encode(b"short").decode())
    with pytest.raises(RecordsKeyError, match="32 bytes"):
        Cipher()


def test_values_are_bound_to_their_row() -> None:
    cipher = Cipher(key=os.urandom(32))
    sealed = cipher.seal('["x"]', "profiles/a/facts")
    assert cipher.open(sealed, "profiles/a/facts") == '["x"]'
    with pytest.raises(RecordsKeyError):
        cipher.open(sealed, "profiles/b/facts")


def test_rows_saved_before_encryption_still_load(private_home: Path) -> None:
    conn = connect()
    ProfileStore(conn)
    with conn:
        conn.execute("INSERT INTO profiles(name, facts, corrections, documents, as_of, updated) "
                     "VALUES ('old', '[]', '[]', '[\"a.txt\"]', NULL, '2026-01-01')")
    store = ProfileStore(sqlite3.connect(private_home / "navigator.db"))
    assert store.load("old") == ([], None)
    assert store.documents("old") == ["a.txt"]
