"""Saved profiles: the extracted facts and the user's corrections, kept apart so corrections survive re-reading."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from kidney_navigator.profile.models import Fact

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
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.executescript(SCHEMA)

    def save(self, name: str, facts: list[Fact], documents: list[str], as_of: str | None) -> None:
        """Store freshly extracted facts; keep any corrections already made under this name."""
        payload = json.dumps([f.model_dump(mode="json") for f in facts if f.source != "user"])
        with self.conn:
            self.conn.execute(
                "INSERT INTO profiles(name, facts, documents, as_of, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET facts=excluded.facts, documents=excluded.documents, "
                "as_of=excluded.as_of, updated=excluded.updated",
                (name, payload, json.dumps(documents), as_of, dt.datetime.now(dt.UTC).isoformat()),
            )

    def add_correction(self, name: str, fact: Fact) -> None:
        row = self.conn.execute("SELECT corrections FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        corrections = [*json.loads(row[0]), fact.model_dump(mode="json")]
        with self.conn:
            self.conn.execute("UPDATE profiles SET corrections = ?, updated = ? WHERE name = ?",
                              (json.dumps(corrections), dt.datetime.now(dt.UTC).isoformat(), name))

    def load(self, name: str) -> tuple[list[Fact], str | None]:
        """All facts for a saved profile (extracted, then corrections) and its as-of date."""
        row = self.conn.execute("SELECT facts, corrections, as_of FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        facts = [Fact.model_validate(f) for f in json.loads(row[0]) + json.loads(row[1])]
        return facts, row[2]

    def names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM profiles ORDER BY name")]

    def delete(self, name: str) -> bool:
        with self.conn:
            return self.conn.execute("DELETE FROM profiles WHERE name = ?", (name,)).rowcount > 0
