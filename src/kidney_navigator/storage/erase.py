"""Delete-my-data that really deletes: rows are removed, the file is rewritten, and the key can be destroyed.

Why: SQLite keeps deleted pages in the file and in its write-ahead log. `secure_delete` (set in `db.connect`)
zeroes them, the WAL checkpoint and VACUUM rewrite the file, and removing the key makes any copy or backup of
the encrypted records unreadable.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kidney_navigator.storage.crypto import key_path

# Tables that hold one person's records, and the column naming the profile.
PROFILE_TABLES = {"profiles": "name", "web_documents": "profile"}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def scrub(conn: sqlite3.Connection) -> None:
    """Fold the WAL into the file and rebuild it, so freed pages with old data are gone."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_profile(conn: sqlite3.Connection, name: str) -> int:
    """Remove one saved profile and its uploaded documents; returns how many rows went."""
    present = _tables(conn)
    removed = 0
    with conn:
        for table, column in PROFILE_TABLES.items():
            if table in present:
                removed += conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (name,)).rowcount
    scrub(conn)
    return removed


def erase_everything(folder: Path) -> list[Path]:
    """Delete the database (with its WAL and shared-memory files) and the records key; returns what was removed."""
    db = folder / "navigator.db"
    candidates = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), key_path(folder)]
    removed = []
    for path in candidates:
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
