"""Where the app keeps its data: one SQLite file in the user's data folder (local-first, nothing leaves)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    pages INTEGER NOT NULL,
    added TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER,
    text TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
"""


def data_dir() -> Path:
    """The app's data folder: $KIDNEY_NAV_HOME, else ~/.kidney-navigator."""
    return Path(os.environ.get("KIDNEY_NAV_HOME") or Path.home() / ".kidney-navigator")


def connect(path: Path | None = None) -> sqlite3.Connection:
    """Open (and create if needed) the app database with foreign keys on and WAL journaling."""
    path = path or data_dir() / "navigator.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    # Deleted rows are overwritten with zeros, so "delete my data" leaves no readable remains in the file.
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(SCHEMA)
    return conn
