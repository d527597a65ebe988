"""Saved profiles: the extracted facts and the user's corrections, kept apart so corrections survive re-reading.

Facts, corrections and document names are encrypted at rest (`storage.crypto`); only the profile name and dates
are stored in the clear so the list of profiles can be shown without the key.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from kidney_navigator.profile.models import Fact
from kidney_navigator.storage.crypto import Cipher

SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    name TEXT PRIMARY KEY,
    facts TEXT NOT NULL,
    corrections TEXT NOT NULL DEFAULT '[]',
    documents TEXT NOT NULL DEFAULT '[]',
    as_of TEXT,
    updated TEXT NOT NULL
);
"""


class ProfileStore:
    def __init__(self, conn: sqlite3.Connection, cipher: Cipher | None = None) -> None:
        self.conn = conn
        self.cipher = cipher or Cipher.for_connection(conn)
        conn.executescript(SCHEMA)

    def _seal(self, name: str, column: str, value: object) -> str:
        return self.cipher.seal(json.dumps(value), f"profiles/{name}/{column}")

    def _open(self, name: str, column: str, stored: str) -> list[dict[str, object]]:
        opened: list[dict[str, object]] = json.loads(self.cipher.open(stored, f"profiles/{name}/{column}"))
        return opened

    def save(self, name: str, facts: list[Fact], documents: list[str], as_of: str | None) -> None:
        """Store freshly extracted facts; keep any corrections already made under this name."""
        payload = self._seal(name, "facts", [f.model_dump(mode="json") for f in facts if f.source != "user"])
        with self.conn:
            self.conn.execute(
                "INSERT INTO profiles(name, facts, documents, as_of, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET facts=excluded.facts, documents=excluded.documents, "
                "as_of=excluded.as_of, updated=excluded.updated",
                (name, payload, self._seal(name, "documents", documents), as_of, dt.datetime.now(dt.UTC).isoformat()),
            )

    def add_correction(self, name: str, fact: Fact) -> None:
        row = self.conn.execute("SELECT corrections FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        corrections = [*self._open(name, "corrections", row[0]), fact.model_dump(mode="json")]
        with self.conn:
            self.conn.execute("UPDATE profiles SET corrections = ?, updated = ? WHERE name = ?",
                              (self._seal(name, "corrections", corrections), dt.datetime.now(dt.UTC).isoformat(),
                               name))

    def load(self, name: str) -> tuple[list[Fact], str | None]:
        """All facts for a saved profile (extracted, then corrections) and its as-of date."""
        row = self.conn.execute("SELECT facts, corrections, as_of FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        stored = self._open(name, "facts", row[0]) + self._open(name, "corrections", row[1])
        facts = [Fact.model_validate(f) for f in stored]
        return facts, row[2]

    def documents(self, name: str) -> list[str]:
        """The file names a saved profile was read from (decrypted); KeyError when there is no such profile."""
        row = self.conn.execute("SELECT documents FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        return [str(d) for d in self._open(name, "documents", row[0])]

    def names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM profiles ORDER BY name")]

    def delete(self, name: str) -> bool:
        with self.conn:
            return self.conn.execute("DELETE FROM profiles WHERE name = ?", (name,)).rowcount > 0
